package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
)

// editRequest is the body of POST /v1/orders/{id}/edits: operations applied
// in order, all or nothing.
type editRequest struct {
	Operations []editOpRequest `json:"operations"`
}

// editOpRequest is one operation. op names it; the other fields are those
// the operation takes:
//   - set_quantity: line_id, quantity (the line's new ordered quantity)
//   - add_line: sku, quantity, unit_price, discount, tax (leave tax out when oms computed the order's tax)
//   - remove_line: line_id
//   - cancel_line: line_id, quantity (units to cancel)
//   - set_ship_to: ship_to
type editOpRequest struct {
	Op        oms.EditKind `json:"op"`
	LineID    string       `json:"line_id,omitempty"`
	Quantity  decode.Int   `json:"quantity,omitempty"`
	ShipTo    *oms.Address `json:"ship_to,omitempty"`
	SKU       string       `json:"sku,omitempty"`
	UnitPrice decode.Int   `json:"unit_price,omitempty"`
	Discount  decode.Int   `json:"discount,omitempty"` // for the whole line
	Tax       decode.Int   `json:"tax,omitempty"`      // for the whole line
}

// editResponse is the edited order, the record of the edit, and what it
// did to the money.
type editResponse struct {
	TotalBefore int64          `json:"total_before"`
	TotalAfter  int64          `json:"total_after"`
	Difference  int64          `json:"difference"` // total_after − total_before, in minor units of currency
	Currency    string         `json:"currency"`
	Edit        *oms.OrderEdit `json:"edit"`
	Order       *oms.Order     `json:"order"`
}

type editList struct {
	Edits []oms.OrderEdit `json:"edits"`
}

func (s *Server) editOrder(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req editRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	ops, err := req.ops()
	if err != nil {
		return err
	}
	// Without If-Match (version 0) the store refuses the edit: EVERSION.
	o, e, err := s.svc.Orders.EditOrder(r.Context(), r.PathValue("id"), version, ops, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(o))
	return answer.JSON(w, http.StatusOK, editResponse{TotalBefore: e.Before.Total, TotalAfter: e.After.Total,
		Difference: e.Difference, Currency: o.Currency, Edit: e, Order: o})
}

// ops turns the request into edit operations, naming every field that is
// not a whole number or not one the operation takes.
func (req *editRequest) ops() ([]oms.EditOp, error) {
	var p oms.Problems
	if len(req.Operations) > oms.MaxLines {
		return nil, oms.Invalid("operations", "at most %d operations are allowed", oms.MaxLines)
	}
	ops := make([]oms.EditOp, len(req.Operations))
	for i, o := range req.Operations {
		at := fmt.Sprintf("operations[%d].", i)
		op := oms.EditOp{Kind: o.Op, LineID: o.LineID, ShipTo: o.ShipTo}
		needsQty := o.Op == oms.EditQuantity || o.Op == oms.EditCancelLine || o.Op == oms.EditAddLine
		op.Quantity = o.Quantity.Value(&p, at+"quantity", needsQty)
		if o.Op == oms.EditAddLine {
			op.Line = oms.LineDraft{SKU: o.SKU, Quantity: op.Quantity, UnitPrice: o.UnitPrice.Value(&p, at+"unit_price", true),
				Discount: o.Discount.Value(&p, at+"discount", false), Tax: o.Tax.Value(&p, at+"tax", false)}
		}
		for _, f := range o.unused() {
			p.Add(at+f, "is not taken by %s", o.Op)
		}
		ops[i] = op
	}
	return ops, p.Err()
}

// unused names the fields given that the operation does not take.
func (o *editOpRequest) unused() []string {
	takes := map[oms.EditKind]string{
		oms.EditQuantity: "line_id quantity", oms.EditCancelLine: "line_id quantity", oms.EditRemoveLine: "line_id",
		oms.EditShipTo: "ship_to", oms.EditAddLine: "sku quantity unit_price discount tax",
	}
	given := []struct {
		name string
		set  bool
	}{{"line_id", o.LineID != ""}, {"quantity", o.Quantity.Set()}, {"ship_to", o.ShipTo != nil}, {"sku", o.SKU != ""},
		{"unit_price", o.UnitPrice.Set()}, {"discount", o.Discount.Set()}, {"tax", o.Tax.Set()}}
	allowed, known := takes[o.Op]
	var out []string
	for _, g := range given {
		if known && g.set && !strings.Contains(" "+allowed+" ", " "+g.name+" ") {
			out = append(out, g.name)
		}
	}
	return out
}

func (s *Server) orderEdits(w http.ResponseWriter, r *http.Request) error {
	es, err := s.svc.Orders.OrderEdits(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !handle.Viewer(r).SeesShipTo() {
		for i := range es {
			es[i].Before.ShipTo, es[i].After.ShipTo = nil, nil
		}
	}
	return answer.JSON(w, http.StatusOK, editList{Edits: answer.NonNil(es)})
}

// ifMatch reads the If-Match header: the order version its ETag names, or 0
// when the header is absent or "*". A weak or malformed tag can match no
// version (If-Match compares strongly), so it reads as -1, which the store
// refuses with the order's current version.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	switch {
	case h == "" || h == "*":
		return 0, nil
	case strings.Contains(h, ","):
		return 0, oms.Invalid("If-Match", "must name one ETag, such as \"3\"")
	}
	unq, ok := strings.CutPrefix(h, `"`)
	unq, ok2 := strings.CutSuffix(unq, `"`)
	v, err := strconv.ParseInt(unq, 10, 64)
	if !ok || !ok2 || err != nil || v < 1 {
		return -1, nil
	}
	return v, nil
}
