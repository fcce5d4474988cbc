package channels

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Orders a channel sends in its own format (read by its adapter in
// internal/channel) are taken here: each is placed once per channel order
// id, through the store's order placement (Hooks.Place), and a later
// version of it is applied by the store's orders (Hooks.Apply).

// IngestOrder takes an order a channel sent in its own format (read by its
// adapter) with the raw payload. A new order is placed like any other — its
// listing SKUs mapped to oms SKUs, an unknown SKU holding it, a
// marketplace-fulfilled one recorded without touching stock, and its totals
// reconciled with what the channel stated, a difference flagged on the
// order. An order the channel sent already cancelled is recorded with
// every unit cancelled (its amounts unknown when the channel states none),
// and one it reports already shipped by the merchant is recorded shipped
// from the channel's "outside oms" location: neither reserves or moves
// stock. A version the store has seen, a payload byte for byte like one it
// keeps, and an older version are no-ops that write nothing; a newer one
// applies the channel's changes (a cancellation cancels and releases
// stock). Every payload applied is kept as received. It returns EINVALID
// for a draft oms cannot take and ENOTFOUND for an unknown channel.
func (r *Registry) IngestOrder(ctx context.Context, channel string, in *oms.Ingested, raw []byte, by oms.Principal) (oms.IngestResult, error) {
	actor := by.Actor()
	d := Draft(channel, in)
	if _, err := r.Channel(ctx, channel); err != nil {
		return oms.IngestResult{}, err
	}
	if existing, err := r.hooks.Order(ctx, channel, d.ExternalID); err == nil {
		return r.hooks.Apply(ctx, existing, in, raw, actor)
	} else if oms.ErrorCode(err) != oms.ENOTFOUND {
		return oms.IngestResult{}, err
	}
	o, created, err := r.hooks.Place(ctx, &d, in, raw, actor)
	if err != nil {
		return oms.IngestResult{}, err
	}
	if !created {
		// Another delivery of the same order won the race.
		return r.hooks.Apply(ctx, o, in, raw, actor)
	}
	return oms.IngestResult{Order: o, Outcome: oms.IngestCreated}, nil
}

// Draft is the draft of an order the channel sent: in the channel's
// currency or another, its line SKUs the channel's listing SKUs, a line
// without one named by what the channel gave.
func Draft(channel string, in *oms.Ingested) oms.OrderDraft {
	d := in.Draft
	d.Channel, d.ForeignCurrency, d.ListingSKUs = channel, true, true
	d.Cancelled = d.Cancelled || in.Cancelled
	d.Lines = append([]oms.LineDraft(nil), d.Lines...)
	for i := range d.Lines {
		if d.Lines[i].SKU == "" {
			d.Lines[i].SKU = unknownSKU(d.Lines[i])
		}
	}
	return d
}

// Preview is what IngestOrder would do with an order.
type Preview struct {
	Outcome string   // oms.IngestCreated, oms.IngestDuplicate, oms.IngestUpdated or oms.IngestStale
	Unknown []string // listing SKUs the order would be held for
}

// PreviewIngest says what IngestOrder would do with the order the channel
// sent, writing nothing: the EINVALID error it would return for a draft oms
// cannot take, or the outcome and the SKUs it would hold a new order for.
// Stock is not consulted: an order a channel sent is never refused for it.
func (r *Registry) PreviewIngest(ctx context.Context, channel string, in *oms.Ingested) (Preview, error) {
	d := Draft(channel, in)
	if err := d.Validate(); err != nil {
		return Preview{}, err
	}
	var pv Preview
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		_, chID, err := ByCode(ctx, tx, channel)
		if err != nil {
			return err
		}
		var applied sql.NullTime
		err = tx.QueryRowContext(ctx, `SELECT channel_updated_at FROM orders WHERE channel_id = $1 AND external_id = $2`,
			chID, d.ExternalID).Scan(&applied)
		switch {
		case err == nil:
			switch {
			case !in.UpdatedAt.IsZero() && (!applied.Valid || in.UpdatedAt.After(applied.Time)):
				pv.Outcome = oms.IngestUpdated
			case !in.UpdatedAt.IsZero() && applied.Valid && in.UpdatedAt.Before(applied.Time):
				pv.Outcome = oms.IngestStale
			default:
				pv.Outcome = oms.IngestDuplicate
			}
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		pv.Outcome = oms.IngestCreated
		listings := make([]string, len(d.Lines))
		for i, l := range d.Lines {
			listings[i] = l.SKU
		}
		ms, err := Mappings(ctx, tx, chID, listings)
		if err != nil {
			return err
		}
		for _, l := range d.Lines {
			if _, ok := ms[l.SKU]; ok {
				continue
			}
			if _, err := r.hooks.ItemID(ctx, tx, l.SKU); oms.ErrorCode(err) == oms.ENOTFOUND {
				pv.Unknown = append(pv.Unknown, l.SKU)
			} else if err != nil {
				return err
			}
		}
		return nil
	})
	return pv, err
}

// unknownSKU names a line that came without a SKU by what the channel gave.
func unknownSKU(l oms.LineDraft) string {
	switch {
	case l.ListingID != "":
		return "listing-" + l.ListingID
	case l.Title != "":
		s := "untitled-" + strings.Join(strings.Fields(strings.Map(safeSKURune, l.Title)), "-")
		for len(s) > 100 {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
		return s
	}
	return "no-sku"
}

func safeSKURune(r rune) rune {
	if strings.ContainsRune("/?#%", r) {
		return ' '
	}
	return r
}
