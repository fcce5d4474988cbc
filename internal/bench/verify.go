package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/omshq/oms"
)

// invariants is what the invariant check found.
type invariants struct {
	OK                      bool
	Orders, Lines, Balances int
	Violations              []string
}

// checkInvariants runs the logic of oms check: in-process store.Check, over
// --url GET /v1/admin/check with the admin key.
func checkInvariants(ctx context.Context, t *target, c *client) (invariants, error) {
	if t.db != nil {
		r, err := t.db.Check(ctx)
		if err != nil {
			return invariants{}, fmt.Errorf("check: %w", err)
		}
		return invariants{OK: len(r.Violations) == 0, Orders: r.Orders, Lines: r.Lines, Balances: r.Balances,
			Violations: r.Violations}, nil
	}
	var r struct {
		OK         bool     `json:"ok"`
		Orders     int      `json:"orders"`
		Lines      int      `json:"lines"`
		Balances   int      `json:"balances"`
		Violations []string `json:"violations"`
	}
	if err := c.call(ctx, "GET", "/v1/admin/check", t.adminKey, nil, &r, http.StatusOK); err != nil {
		return invariants{}, err
	}
	return invariants{OK: r.OK && len(r.Violations) == 0, Orders: r.Orders, Lines: r.Lines, Balances: r.Balances,
		Violations: r.Violations}, nil
}

// ackCheck is what checking the acknowledged orders found.
type ackCheck struct {
	Checked, Verified int
	Problems          []string // the first maxProblems
}

const maxProblems = 10

// checkAcks fetches every acknowledged order — in-process with store.Order,
// over --url with GET /v1/orders/{id} — from clients goroutines and compares
// it with its acknowledgement.
func checkAcks(ctx context.Context, t *target, c *client, acks []ack, clients int) (ackCheck, error) {
	var verified atomic.Int64
	var mu sync.Mutex
	var problems []string
	err := forEach(ctx, clients, len(acks), func(ctx context.Context, _, i int) error {
		got, err := fetchOrder(ctx, t, c, acks[i].ID)
		problem := ""
		switch {
		case oms.ErrorCode(err) == oms.ENOTFOUND:
			problem = fmt.Sprintf("order %s (number %s) was acknowledged with 201 but does not exist", acks[i].ID, acks[i].Number)
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			problem = fmt.Sprintf("order %s: %v", acks[i].ID, err)
		default:
			problem = compareOrder(acks[i], got)
		}
		if problem == "" {
			verified.Add(1)
			return nil
		}
		mu.Lock()
		if len(problems) < maxProblems {
			problems = append(problems, problem)
		}
		mu.Unlock()
		return nil
	})
	return ackCheck{Checked: len(acks), Verified: int(verified.Load()), Problems: problems}, err
}

// fetchOrder reads one order; a missing order is ENOTFOUND.
func fetchOrder(ctx context.Context, t *target, c *client, id string) (*oms.Order, error) {
	if t.db != nil {
		return t.db.Order(ctx, id)
	}
	status, body, err := c.do(ctx, "GET", "/v1/orders/"+id, t.adminKey, nil)
	switch {
	case err != nil:
		return nil, err
	case status == http.StatusNotFound:
		return nil, oms.Errorf(oms.ENOTFOUND, "order %s does not exist", id)
	case status != http.StatusOK:
		return nil, fmt.Errorf("GET /v1/orders/%s: %d %s", id, status, clip(body))
	}
	var o oms.Order
	if err := json.Unmarshal(body, &o); err != nil {
		return nil, fmt.Errorf("GET /v1/orders/%s: %w", id, err)
	}
	return &o, nil
}

// compareOrder returns what differs between the acknowledgement of an order
// and the order as stored — its lines, their quantities and allocated units,
// and reservations that add up to them — or "" when nothing does.
func compareOrder(want ack, got *oms.Order) string {
	if got.ID != want.ID {
		return fmt.Sprintf("order %s: fetched order %s instead", want.ID, got.ID)
	}
	if len(got.Lines) != len(want.Lines) {
		return fmt.Sprintf("order %s: acknowledged with %d lines, stored with %d", want.ID, len(want.Lines), len(got.Lines))
	}
	reserved := map[string]int64{}
	for _, a := range got.Allocations {
		reserved[a.LineID] += a.Quantity
	}
	for i, w := range want.Lines {
		g := got.Lines[i]
		switch {
		case g.ID != w.ID || g.SKU != w.SKU:
			return fmt.Sprintf("order %s line %d: acknowledged as %s %s, stored as %s %s", want.ID, i, w.ID, w.SKU, g.ID, g.SKU)
		case g.Quantity != w.Quantity:
			return fmt.Sprintf("order %s line %d (%s): acknowledged quantity %d, stored %d", want.ID, i, w.SKU, w.Quantity, g.Quantity)
		case g.Allocated != w.Allocated:
			return fmt.Sprintf("order %s line %d (%s): acknowledged %d allocated, stored %d", want.ID, i, w.SKU, w.Allocated, g.Allocated)
		case reserved[g.ID] != w.Allocated:
			return fmt.Sprintf("order %s line %d (%s): acknowledged %d allocated, but its reservations hold %d", want.ID, i, w.SKU, w.Allocated, reserved[g.ID])
		}
	}
	return ""
}
