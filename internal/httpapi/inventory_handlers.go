package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
)

type adjustmentRequest struct {
	SKU       string     `json:"sku"`
	Location  string     `json:"location"`
	Delta     decode.Int `json:"delta,omitempty"`       // units to add (negative to remove)
	SetOnHand decode.Int `json:"set_on_hand,omitempty"` // instead of delta: the counted quantity
	Reason    string     `json:"reason"`                // receive, adjust, count or damage
	Reference string     `json:"reference,omitempty"`
}

func (s *Server) adjustInventory(w http.ResponseWriter, r *http.Request) error {
	var req adjustmentRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	a := oms.Adjustment{SKU: req.SKU, Location: req.Location, Reason: req.Reason, Reference: req.Reference,
		Delta: req.Delta.Ptr(&p, "delta"), SetOnHand: req.SetOnHand.Ptr(&p, "set_on_hand")}
	if err := decode.InvalidWith(p, a.Validate); err != nil {
		return err
	}
	if err := viewer(r).WorkAt("location", a.Location); err != nil {
		return err
	}
	e, err := s.svc.Inventory.AdjustInventory(r.Context(), a, viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, e)
}

func (s *Server) getStock(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Inventory.Stock(r.Context(), r.PathValue("sku"))
	if err != nil {
		return err
	}
	if p := viewer(r); p.LocationBound() {
		// One SKU's balances are not paged: those at the key's locations,
		// summed again.
		var mine []oms.Balance
		for _, b := range st.Locations {
			if p.CanSeeLocation(b.Location) {
				mine = append(mine, b)
			}
		}
		st = oms.NewStock(st.SKU, mine)
	}
	return answer.JSON(w, http.StatusOK, st)
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
	es, err := s.svc.Inventory.Ledger(r.Context(), viewer(r), r.PathValue("sku"), after, limit+1)
	if err != nil {
		return err
	}
	page := ledgerPage{Entries: nonNil(es)}
	if len(es) > limit {
		page.Entries = es[:limit]
		page.NextCursor = cursor(es[limit-1].ID)
	}
	return answer.JSON(w, http.StatusOK, page)
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

type inventoryPage struct {
	Inventory  []oms.Stock `json:"inventory"`
	NextCursor *string     `json:"next_cursor"`
}

// listInventory answers a page of SKUs in SKU order, each with its stock by
// location.
func (s *Server) listInventory(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := skuListParams(r)
	if err != nil {
		return err
	}
	f := oms.StockFilter{SKUPrefix: q.Get("sku_prefix"), Location: q.Get("location"), After: after, Limit: limit,
		Principal: viewer(r)}
	var p oms.Problems
	switch v := q.Get("low_stock"); v {
	case "", "false":
	case "true":
		f.LowStock = true
	default:
		p.Add("low_stock", "must be true or false")
	}
	if v := q.Get("below"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || n < 0 || n > oms.MaxQuantity:
			p.Add("below", "must be an integer from 0 to %d", oms.MaxQuantity)
		case !f.LowStock:
			p.Add("below", "is the low_stock threshold: send low_stock=true with it")
		}
		f.Below = n
	}
	if f.Location != "" && (len(f.Location) > 64 || !utf8.ValidString(f.Location)) {
		p.Add("location", "must be a location code")
	}
	if err := p.Err(); err != nil {
		return err
	}
	stock, next, err := s.svc.Inventory.ListStock(r.Context(), f)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, inventoryPage{Inventory: nonNil(stock), NextCursor: skuCursor(next)})
}

// skuListParams reads the query of a list in SKU order: limit, after (a
// cursor holding the last SKU of the previous page) and sku_prefix.
func skuListParams(r *http.Request) (q url.Values, limit int, after string, err error) {
	if q, err = query(r); err != nil {
		return nil, 0, "", err
	}
	var p oms.Problems
	if limit, err = limitParam(q, defaultLimit, maxLimit); err != nil {
		return nil, 0, "", err
	}
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) == 0 || !skuText(string(b)) {
			p.Add("after", "is not a cursor this API returned")
		}
		after = string(b)
	}
	if v := q.Get("sku_prefix"); v != "" && !skuText(v) {
		p.Add("sku_prefix", "must be printable text of at most 100 bytes")
	}
	return q, limit, after, p.Err()
}

// skuText reports whether s could be (the start of) a SKU: at most 100 bytes
// of UTF-8 without control characters.
func skuText(s string) bool {
	if len(s) > 100 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// skuCursor encodes the last SKU of a page as an opaque cursor; nil when
// sku is empty (no next page).
func skuCursor(sku string) *string {
	if sku == "" {
		return nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte(sku))
	return &c
}
