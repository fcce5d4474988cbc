package httpapi

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
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
	if err := handle.Viewer(r).WorkAt("location", a.Location); err != nil {
		return err
	}
	e, err := s.svc.Inventory.AdjustInventory(r.Context(), a, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, e)
}

// safetyStockRequest sets the units of the path's SKU kept back from sale
// at a location.
type safetyStockRequest struct {
	Location    string     `json:"location"`
	SafetyStock decode.Int `json:"safety_stock"` // units kept back from sale: 0 for none
}

func (s *Server) setSafetyStock(w http.ResponseWriter, r *http.Request) error {
	var req safetyStockRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	ss := oms.SafetyStock{SKU: r.PathValue("sku"), Location: req.Location, Units: req.SafetyStock.Value(&p, "safety_stock", true)}
	if err := decode.InvalidWith(p, ss.Validate); err != nil {
		return err
	}
	if err := handle.Viewer(r).WorkAt("location", ss.Location); err != nil {
		return err
	}
	st, err := s.svc.Inventory.SetSafetyStock(r.Context(), ss, handle.Viewer(r))
	if err != nil {
		return err
	}
	return writeStock(w, r, st)
}

func (s *Server) getStock(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Inventory.Stock(r.Context(), r.PathValue("sku"))
	if err != nil {
		return err
	}
	return writeStock(w, r, st)
}

// writeStock answers a SKU's stock as the key may see it.
func writeStock(w http.ResponseWriter, r *http.Request, st oms.Stock) error {
	if p := handle.Viewer(r); p.LocationBound() {
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
	limit, after, err := paging.Params(r)
	if err != nil {
		return err
	}
	es, err := s.svc.Inventory.Ledger(r.Context(), handle.Viewer(r), r.PathValue("sku"), after, limit+1)
	if err != nil {
		return err
	}
	page := ledgerPage{Entries: answer.NonNil(es)}
	if len(es) > limit {
		page.Entries = es[:limit]
		page.NextCursor = paging.Cursor(es[limit-1].ID)
	}
	return answer.JSON(w, http.StatusOK, page)
}

type inventoryPage struct {
	Inventory  []oms.Stock `json:"inventory"`
	NextCursor *string     `json:"next_cursor"`
}

// listInventory answers a page of SKUs in SKU order, each with its stock by
// location.
func (s *Server) listInventory(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.SKUList(r)
	if err != nil {
		return err
	}
	f := oms.StockFilter{SKUPrefix: q.Get("sku_prefix"), Location: q.Get("location"), After: after, Limit: limit,
		Principal: handle.Viewer(r)}
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
	return answer.JSON(w, http.StatusOK, inventoryPage{Inventory: answer.NonNil(stock), NextCursor: paging.SKUCursor(next)})
}
