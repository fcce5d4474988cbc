package channels

import (
	"context"
	"database/sql"
	"errors"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	insertChannel = `
INSERT INTO channels (code, name, kind, currency, backorder_policy, created_at, updated_at, no_split_below,
    share_percent, buffer, webhook_secret, low_stock)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11)
ON CONFLICT (code) DO NOTHING
RETURNING created_at, webhook_secret <> ''`
	updateChannel = `
UPDATE channels SET name = $2, kind = $3, currency = $4, backorder_policy = $5, updated_at = $6,
    no_split_below = $7, share_percent = $8, buffer = $9, low_stock = $11,
    webhook_secret = CASE WHEN $10 = '' THEN webhook_secret ELSE $10 END
WHERE code = $1
RETURNING created_at, webhook_secret <> ''`
	selectChannel = `
SELECT id, code, name, kind, currency, backorder_policy, no_split_below, share_percent, buffer, webhook_secret,
    created_at, updated_at, low_stock
FROM channels WHERE code = $1`
	selectChannels = `
SELECT id, code, name, kind, currency, backorder_policy, no_split_below, share_percent, buffer, webhook_secret,
    created_at, updated_at, low_stock
FROM channels ORDER BY code`
)

// PutChannel creates the channel or replaces its fields, and reports whether
// it was created. It returns EINVALID for a bad field.
func (r *Registry) PutChannel(ctx context.Context, c *oms.Channel, by oms.Principal) (created bool, err error) {
	actor := by.Actor()
	if err := c.Validate(); err != nil {
		return false, err
	}
	err = r.db.Update(ctx, func(tx *sqldb.Tx) error {
		args := []any{c.Code, c.Name, c.Kind, c.Currency, c.BackorderPolicy, tx.Now(), c.NoSplitBelow,
			c.SharePercent, c.Buffer, c.WebhookSecret, c.LowStock}
		created, err = tx.Upsert(ctx, insertChannel, updateChannel, args, &c.CreatedAt, &c.HasSecret)
		if err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		return tx.AddEvent(ctx, oms.EventChannelSaved, c.Code, "", actor, c)
	})
	r.hooks.Forget(c.Code)
	return created, err
}

// Channel returns the channel with the code, or ENOTFOUND.
func (r *Registry) Channel(ctx context.Context, code string) (*oms.Channel, error) {
	var c *oms.Channel
	err := r.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		c, _, err = ByCode(ctx, tx, code)
		return err
	})
	return c, err
}

// Channels returns every channel, by code.
func (r *Registry) Channels(ctx context.Context) ([]oms.Channel, error) {
	var out []oms.Channel
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		rows, err := List(ctx, tx)
		for _, row := range rows {
			out = append(out, *row.Channel)
		}
		return err
	})
	return out, err
}

// Row is a channel with its id.
type Row struct {
	Channel *oms.Channel
	ID      int64
}

// List returns every channel with its id, by code, read in tx.
func List(ctx context.Context, tx *sqldb.Tx) ([]Row, error) {
	rows, err := tx.QueryContext(ctx, selectChannels)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		c, id, err := scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, Row{c, id})
	}
	return out, rows.Err()
}

// ByCode returns the channel with the code and its id, read in tx, or
// ENOTFOUND.
func ByCode(ctx context.Context, tx *sqldb.Tx, code string) (*oms.Channel, int64, error) {
	c, id, err := scanChannel(tx.QueryRowContext(ctx, selectChannel, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, sqldb.NotFound("channel %q does not exist", code)
	}
	return c, id, err
}

func scanChannel(row sqldb.Scanner) (*oms.Channel, int64, error) {
	var c oms.Channel
	var id int64
	err := row.Scan(&id, &c.Code, &c.Name, &c.Kind, &c.Currency, &c.BackorderPolicy, &c.NoSplitBelow, &c.SharePercent,
		&c.Buffer, &c.WebhookSecret, &c.CreatedAt, &c.UpdatedAt, &c.LowStock)
	if err != nil {
		return nil, 0, err
	}
	c.HasSecret = c.WebhookSecret != ""
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, id, nil
}
