package webhooks

import (
	"context"
	"database/sql"
	"errors"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/webhook"
)

// Webhook endpoints: the URLs that subscribed to events, their secrets and
// whether they are enabled. Delivery is in delivery.go, the outbox that
// feeds it in outbox.go.

const (
	webhookEndpointColumns = `id, url, description, event_types, enabled, disabled_reason, created_at, updated_at, previous_expires_at`
	insertWebhookEndpoint  = `
INSERT INTO webhook_endpoints (id, url, description, event_types, secret, enabled, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6)`
	selectWebhookEndpoint = `
SELECT ` + webhookEndpointColumns + `, secret, previous_secret FROM webhook_endpoints WHERE id = $1`
	selectWebhookEndpoints = `
SELECT ` + webhookEndpointColumns + `, secret, previous_secret FROM webhook_endpoints
WHERE ($1 = '' OR id < $1) ORDER BY id DESC LIMIT $2`
	selectEnabledWebhookEndpoints = `
SELECT ` + webhookEndpointColumns + `, secret, previous_secret FROM webhook_endpoints
WHERE enabled ORDER BY id`
	updateWebhookEndpoint = `
UPDATE webhook_endpoints SET url = $2, description = $3, event_types = $4, enabled = $5, disabled_reason = $6, updated_at = $7
WHERE id = $1`
	rotateWebhookSecret = `
UPDATE webhook_endpoints SET previous_secret = secret, previous_expires_at = $2, secret = $3, updated_at = $4
WHERE id = $1`
	deleteWebhookEndpoint  = `DELETE FROM webhook_endpoints WHERE id = $1`
	disableWebhookEndpoint = `
UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $2, updated_at = $3 WHERE id = $1 AND enabled`
)

// The overlap of a webhook secret's rotation: how long the replaced secret
// keeps signing beside the new one.
const (
	DefaultWebhookOverlap = 24 * time.Hour
	MaxWebhookOverlap     = 7 * 24 * time.Hour
)

// maxEventTypes bounds the patterns of one endpoint.
const maxEventTypes = 100

// endpointRow is an endpoint with its secrets, as the store reads it.
type endpointRow struct {
	oms.WebhookEndpoint
	secret, previous string
}

// secrets returns the secrets that sign a message at now: the current one,
// and the previous one until its overlap ends.
func (e endpointRow) secrets(now time.Time) []string {
	if e.previous != "" && e.PreviousSecretExpiresAt != nil && now.Before(*e.PreviousSecretExpiresAt) {
		return []string{e.secret, e.previous}
	}
	return []string{e.secret}
}

func scanEndpoint(row scanner, now time.Time) (endpointRow, error) {
	var e endpointRow
	var types string
	var prevExpires sql.NullTime
	var previous sql.NullString
	err := row.Scan(&e.ID, &e.URL, &e.Description, &types, &e.Enabled, &e.DisabledReason,
		&e.CreatedAt, &e.UpdatedAt, &prevExpires, &e.secret, &previous)
	if err != nil {
		return e, err
	}
	e.EventTypes = splitLines(types)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.PreviousSecretExpiresAt = utcPtr(prevExpires)
	e.previous = previous.String
	if e.PreviousSecretExpiresAt != nil && !now.Before(*e.PreviousSecretExpiresAt) {
		e.PreviousSecretExpiresAt, e.previous = nil, "" // the overlap is over
	}
	return e, nil
}

// checkEndpointInput validates the fields given, naming each bad one.
func checkEndpointInput(in oms.WebhookEndpointInput, create bool) error {
	var p oms.Problems
	if in.URL != nil || create {
		url := ""
		if in.URL != nil {
			url = *in.URL
		}
		if err := webhook.CheckURL(url, in.AllowPrivate); err != nil {
			p = append(p, fieldErrors(err, "url")...)
		} else if u, err := neturl.Parse(url); err == nil && u.User != nil {
			p.Add("url", "may not hold a user name or password")
		}
	}
	if in.EventTypes != nil || create {
		switch {
		case len(in.EventTypes) == 0:
			p.Add("event_types", "must name at least one event type, such as order.* or *")
		case len(in.EventTypes) > maxEventTypes:
			p.Add("event_types", "may hold at most %d patterns", maxEventTypes)
		}
		for i, t := range in.EventTypes {
			if err := webhook.ValidatePattern("event_types["+strconv.Itoa(i)+"]", t); err != nil {
				p = append(p, fieldErrors(err, "event_types")...)
			}
		}
	}
	if in.Description != nil && len(*in.Description) > 500 {
		p.Add("description", "must be at most 500 bytes")
	}
	return p.Err()
}

// fieldErrors returns the field errors of an EINVALID error, or one for
// field with its message.
func fieldErrors(err error, field string) oms.Problems {
	var e *oms.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return oms.Problems(e.Fields)
	}
	var p oms.Problems
	p.Add(field, "%s", err.Error())
	return p
}

// CreateWebhookEndpoint makes an enabled endpoint and returns it with its
// new secret ("whsec_…"), which cannot be read again. It returns EINVALID
// naming the field for a bad URL (not http or https, credentials, a private
// address without AllowPrivate) or event type pattern.
func (db *Hooks) CreateWebhookEndpoint(ctx context.Context, in oms.WebhookEndpointInput, by oms.Principal) (oms.WebhookEndpoint, string, error) {
	if err := checkEndpointInput(in, true); err != nil {
		return oms.WebhookEndpoint{}, "", err
	}
	secret := webhook.NewSecret()
	var e oms.WebhookEndpoint
	err := db.update(ctx, func(tx *Tx) error {
		e = oms.WebhookEndpoint{ID: newID("we"), URL: *in.URL, EventTypes: in.EventTypes, Enabled: true,
			CreatedAt: tx.now, UpdatedAt: tx.now}
		if in.Description != nil {
			e.Description = *in.Description
		}
		_, err := tx.ExecContext(ctx, insertWebhookEndpoint, e.ID, e.URL, e.Description,
			strings.Join(e.EventTypes, "\n"), secret, tx.now)
		if err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventWebhookEndpointCreated, e.ID, "", by.Actor(), e)
	})
	return e, secret, err
}

// WebhookEndpoint returns the endpoint, or ENOTFOUND.
func (db *Hooks) WebhookEndpoint(ctx context.Context, id string) (oms.WebhookEndpoint, error) {
	e, err := db.endpoint(ctx, db.read, id)
	return e.WebhookEndpoint, err
}

// endpoint reads the endpoint with its secrets, or returns ENOTFOUND.
func (db *Hooks) endpoint(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (endpointRow, error) {
	e, err := scanEndpoint(q.QueryRowContext(ctx, selectWebhookEndpoint, id), db.now())
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("no webhook endpoint has id %q", id)
	}
	return e, err
}

// WebhookEndpoints returns a page of the endpoints, newest first, after the
// endpoint with id after (from the start when empty), and the id to ask for
// the next page after ("" on the last page).
func (db *Hooks) WebhookEndpoints(ctx context.Context, after string, limit int) ([]oms.WebhookEndpoint, string, error) {
	rows, err := db.read.QueryContext(ctx, selectWebhookEndpoints, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	now := db.now()
	out := []oms.WebhookEndpoint{}
	for rows.Next() {
		e, err := scanEndpoint(rows, now)
		if err != nil {
			return nil, "", err
		}
		out = append(out, e.WebhookEndpoint)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// UpdateWebhookEndpoint changes the fields given and returns the endpoint.
// Enabling it clears its disabled reason, and its pending deliveries go
// out again. It returns ENOTFOUND for an unknown id and EINVALID naming the
// field for bad input.
func (db *Hooks) UpdateWebhookEndpoint(ctx context.Context, id string, in oms.WebhookEndpointInput, by oms.Principal) (oms.WebhookEndpoint, error) {
	if err := checkEndpointInput(in, false); err != nil {
		return oms.WebhookEndpoint{}, err
	}
	var e oms.WebhookEndpoint
	err := db.update(ctx, func(tx *Tx) error {
		row, err := db.endpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		e = row.WebhookEndpoint
		if in.URL != nil {
			e.URL = *in.URL
		}
		if in.Description != nil {
			e.Description = *in.Description
		}
		if in.EventTypes != nil {
			e.EventTypes = in.EventTypes
		}
		if in.Enabled != nil && *in.Enabled != e.Enabled {
			e.Enabled, e.DisabledReason = *in.Enabled, ""
			if !e.Enabled {
				e.DisabledReason = "manual"
			}
		}
		e.UpdatedAt = tx.now
		_, err = tx.ExecContext(ctx, updateWebhookEndpoint, e.ID, e.URL, e.Description,
			strings.Join(e.EventTypes, "\n"), e.Enabled, e.DisabledReason, tx.now)
		if err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventWebhookEndpointUpdated, e.ID, "", by.Actor(), e)
	})
	return e, err
}

// DeleteWebhookEndpoint deletes the endpoint and its delivery log. It
// returns ENOTFOUND for an unknown id.
func (db *Hooks) DeleteWebhookEndpoint(ctx context.Context, id string, by oms.Principal) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, deleteWebhookEndpoint, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("no webhook endpoint has id %q", id)
		}
		return tx.addEvent(ctx, oms.EventWebhookEndpointDeleted, id, "", by.Actor(), oms.WebhookEndpointDeleted{ID: id})
	})
}

// RotateWebhookSecret gives the endpoint a new secret, returned with the
// endpoint and never shown again. For overlap (0 to MaxWebhookOverlap)
// messages are signed with both the new and the replaced secret, so that
// the receiver can switch without missing one; a secret an earlier
// rotation replaced stops at once. It returns ENOTFOUND for an unknown id
// and EINVALID for an overlap out of range.
func (db *Hooks) RotateWebhookSecret(ctx context.Context, id string, overlap time.Duration, by oms.Principal) (oms.WebhookEndpoint, string, error) {
	if overlap < 0 || overlap > MaxWebhookOverlap {
		return oms.WebhookEndpoint{}, "", oms.Invalid("expires_in_seconds", "must be from 0 to %d (7 days)", int64(MaxWebhookOverlap/time.Second))
	}
	secret := webhook.NewSecret()
	var e oms.WebhookEndpoint
	err := db.update(ctx, func(tx *Tx) error {
		row, err := db.endpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		e = row.WebhookEndpoint
		expires := tx.now.Add(overlap)
		e.PreviousSecretExpiresAt, e.UpdatedAt = &expires, tx.now
		if overlap == 0 {
			e.PreviousSecretExpiresAt = nil
		}
		if _, err := tx.ExecContext(ctx, rotateWebhookSecret, id, expires, secret, tx.now); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventWebhookEndpointRotated, id, "", by.Actor(), e)
	})
	return e, secret, err
}

// enabledEndpoints returns every enabled endpoint with its secrets.
func (tx *Tx) enabledEndpoints(ctx context.Context) ([]endpointRow, error) {
	rows, err := tx.QueryContext(ctx, selectEnabledWebhookEndpoints)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []endpointRow
	for rows.Next() {
		e, err := scanEndpoint(rows, tx.now)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
