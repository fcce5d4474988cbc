package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"

	"github.com/omshq/oms"
)

type adjustmentRequest struct {
	SKU       string `json:"sku"`
	Location  string `json:"location"`
	Delta     Int    `json:"delta,omitempty"`       // units to add (negative to remove)
	SetOnHand Int    `json:"set_on_hand,omitempty"` // instead of delta: the counted quantity
	Reason    string `json:"reason"`                // receive, adjust, count or damage
	Reference string `json:"reference,omitempty"`
}

func (s *Server) adjustInventory(w http.ResponseWriter, r *http.Request) error {
	var req adjustmentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	a := oms.Adjustment{SKU: req.SKU, Location: req.Location, Reason: req.Reason, Reference: req.Reference,
		Delta: req.Delta.ptr(&p, "delta"), SetOnHand: req.SetOnHand.ptr(&p, "set_on_hand")}
	if err := invalidWith(p, a.Validate); err != nil {
		return err
	}
	e, err := s.db.AdjustInventory(r.Context(), a, actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (s *Server) getStock(w http.ResponseWriter, r *http.Request) error {
	st, err := s.db.Stock(r.Context(), r.PathValue("sku"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

type ledgerPage struct {
	Entries    []oms.LedgerEntry `json:"entries"`
	NextCursor *string           `json:"next_cursor"`
}

func (s *Server) getLedger(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := pageParams(r)
	if err != nil {
		return err
	}
	es, err := s.db.Ledger(r.Context(), r.PathValue("sku"), after, limit+1)
	if err != nil {
		return err
	}
	page := ledgerPage{Entries: nonNil(es)}
	if len(es) > limit {
		page.Entries = es[:limit]
		page.NextCursor = cursor(es[limit-1].ID)
	}
	return writeJSON(w, http.StatusOK, page)
}

// Page sizes.
const (
	defaultLimit = 50
	maxLimit     = 200
)

// limitParam reads the limit query parameter: def when absent, else an
// integer from 1 to most.
func limitParam(q url.Values, def, most int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, oms.Invalid("limit", "must be an integer from 1 to %d", most)
	}
	return n, nil
}

// pageParams reads limit and after (a cursor) from the query string.
func pageParams(r *http.Request) (limit int, after int64, err error) {
	q, err := query(r)
	if err != nil {
		return 0, 0, err
	}
	if limit, err = limitParam(q, defaultLimit, maxLimit); err != nil {
		return 0, 0, err
	}
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		n, err2 := strconv.ParseInt(string(b), 10, 64)
		if err != nil || err2 != nil || n <= 0 {
			return 0, 0, oms.Invalid("after", "is not a cursor this API returned")
		}
		after = n
	}
	return limit, after, nil
}

// listParams reads a list's query: its filters, and the page asked for.
func listParams(r *http.Request) (q url.Values, limit int, after int64, err error) {
	if limit, after, err = pageParams(r); err != nil {
		return nil, 0, 0, err
	}
	q, err = query(r)
	return q, limit, after, err
}

// query parses the query string, refusing a malformed one rather than
// silently dropping its broken parts.
func query(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, oms.Invalid("query", "the query string is malformed")
	}
	return q, nil
}

// cursor encodes a position as an opaque page cursor.
func cursor(pos int64) *string {
	c := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(pos, 10)))
	return &c
}
