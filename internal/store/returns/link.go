package returns

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	returnLinkKey       = "return_link_secret"
	insertSettingIfNone = `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`
)

// CreateReturnLink signs a return link for the order, valid for days (the
// settings' link_days when 0). The secret it is signed with is made on
// first use and kept in the settings. It returns ENOTFOUND for an unknown
// order and EINVALID for days out of 1–365.
func (c *Counter) CreateReturnLink(ctx context.Context, ref string, days int, by oms.Principal) (*oms.ReturnLink, error) {
	actor := by.Actor()
	if days < 0 || days > 365 {
		return nil, oms.Invalid("expires_in_days", "must be between 1 and 365")
	}
	var l *oms.ReturnLink
	err := c.store.Update(ctx, func(tx Tx) error {
		o, _, err := tx.OrderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		if days == 0 {
			set, err := returnSettings(ctx, tx)
			if err != nil {
				return err
			}
			days = set.LinkDays
		}
		secret, err := returnLinkSecret(ctx, tx, true)
		if err != nil {
			return err
		}
		exp := tx.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
		tok := oms.SignReturnLink(secret, o.ID, exp)
		l = &oms.ReturnLink{OrderID: o.ID, Token: tok, Path: "/v1/return-portal/" + tok, ExpiresAt: exp}
		// The token is a credential: the event says a link was made, not what it is.
		return tx.AddEvent(ctx, oms.EventReturnLinkCreated, o.ID, o.ID, actor, oms.ReturnLinkCreated{ExpiresAt: exp})
	})
	return l, err
}

// returnLinkSecret reads the secret return links are signed with, making
// it first when create is true.
func returnLinkSecret(ctx context.Context, tx Tx, create bool) ([]byte, error) {
	if create {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, insertSettingIfNone, returnLinkKey, `"`+hex.EncodeToString(b)+`"`, tx.Now()); err != nil {
			return nil, err
		}
	}
	var s string
	if err := tx.Setting(ctx, returnLinkKey, &s); err != nil {
		return nil, err
	}
	if s == "" {
		return nil, sqldb.NotFound("the return link is not valid")
	}
	return hex.DecodeString(s)
}

// linkOrder checks the token and returns the order it grants access to:
// ENOTFOUND for a bad or expired token.
func linkOrder(ctx context.Context, tx Tx, token string) (string, error) {
	secret, err := returnLinkSecret(ctx, tx, false)
	if err != nil {
		return "", err
	}
	id, err := oms.ParseReturnLink(secret, token, tx.Now())
	if err != nil {
		// A bad link is reported as not found: the portal has no keys, and
		// a guess should learn nothing.
		return "", sqldb.NotFound("%s", oms.ErrorMessage(err))
	}
	return id, nil
}

// ReturnPortal shows the order the token grants access to. It returns
// ENOTFOUND for a bad or expired token.
func (c *Counter) ReturnPortal(ctx context.Context, token string) (*oms.Portal, error) {
	var p *oms.Portal
	err := c.store.View(ctx, func(tx Tx) error {
		id, err := linkOrder(ctx, tx, token)
		if err != nil {
			return err
		}
		o, ids, err := tx.Order(ctx, id, false)
		if err != nil {
			return err
		}
		set, err := returnSettings(ctx, tx)
		if err != nil {
			return err
		}
		returnable, err := returnable(ctx, tx, o, ids.Seq)
		if err != nil {
			return err
		}
		p = &oms.Portal{OrderID: o.ID, OrderNumber: o.Number, Currency: o.Currency, Reasons: set.Reasons,
			Conditions: oms.ReturnConditions, Lines: []oms.PortalLine{}, Returns: []oms.PortalReturn{}}
		for _, l := range o.Lines {
			p.Lines = append(p.Lines, oms.PortalLine{LineID: l.ID, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
				Shipped: l.Shipped, Returned: l.Returned, Returnable: returnable[l.ID]})
		}
		rs, _, err := returns(ctx, tx, selectReturnCols+" WHERE r.order_seq = $1 ORDER BY r.id", ids.Seq)
		for _, r := range rs {
			p.Returns = append(p.Returns, oms.PortalReturn{ID: r.ID, Status: r.Status, Refund: r.Refund.Total, CreatedAt: r.CreatedAt})
		}
		return err
	})
	return p, err
}

// PortalReturn starts a return of the order the token grants access to;
// exchanges are for staff. It returns ENOTFOUND for a bad or expired token
// and what CreateReturn returns.
func (c *Counter) PortalReturn(ctx context.Context, token string, req oms.ReturnRequest) (*oms.Return, error) {
	var r *oms.Return
	err := c.store.Update(ctx, func(tx Tx) error {
		id, err := linkOrder(ctx, tx, token)
		if err != nil {
			return err
		}
		if len(req.Exchange) > 0 {
			return oms.Invalid("exchange", "ask customer service for an exchange")
		}
		r, err = createReturn(ctx, tx, id, req, oms.SourceLink, "return_link:"+id)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return oms.Errorf(oms.ENOTFOUND, "the order of this return link no longer exists")
		}
		return err
	})
	return r, err
}
