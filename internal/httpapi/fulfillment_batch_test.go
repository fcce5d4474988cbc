package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestMoveFulfillmentsAPI closes a wave in one request: two shipments go,
// one refused move is answered in its result, and a malformed request moves
// nothing and names the field.
func TestMoveFulfillmentsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		for i := range 2 {
			h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody(fmt.Sprintf("W-%d", i), 2), 201)
		}
		type result struct {
			FulfillmentID string `json:"fulfillment_id"`
			Moved         bool
			Fulfillment   *oms.Fulfillment
			Problem       *struct {
				Code   string
				Status int
				Detail string
			}
		}
		var res struct {
			Moved, Failed int
			Results       []result
		}
		// Malformed anywhere: nothing moves, every bad field is named.
		p := h.mustCall("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, `{"moves":[
			{"fulfillment_id":"1001-F1","status":"shipped","carrier":"UPS","tracking_number":"1Z1"},
			{"fulfillment_id":"1002-F1","status":"lost"},
			{"fulfillment_id":"","status":"shipped","tracking_url":"ftp://x","lines":[{"line_id":"1002-1","quantity":"2"}]}]}`, 400).problem(t)
		fields := map[string]bool{}
		for _, f := range p.Errors {
			fields[f.Field] = true
		}
		for _, f := range []string{"moves[1].status", "moves[2].fulfillment_id", "moves[2].tracking_url", "moves[2].lines[0].quantity"} {
			if !fields[f] {
				t.Errorf("problem does not name %s: %+v", f, p.Errors)
			}
		}
		var o oms.Order
		h.mustCall("GET", "/v1/orders/1001", oms.RoleAgent, nil, 200).json(t, &o)
		if o.Status != oms.StatusAllocated {
			t.Fatalf("a refused request moved order 1001 to %s", o.Status)
		}
		h.mustCall("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, `{"moves":[]}`, 400)
		h.mustCall("POST", "/v1/fulfillments/moves", oms.RoleAgent, `{"moves":[{"fulfillment_id":"1001-F1","status":"picking"}]}`, 403)
		many := `{"moves":[` + strings.Repeat(`{"fulfillment_id":"1001-F1","status":"picking"},`, oms.MaxBatchMoves) + `{"fulfillment_id":"1001-F1","status":"picking"}]}`
		if p := h.mustCall("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, many, 400).problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "moves" {
			t.Errorf("too many moves: %+v", p)
		}

		h.mustCall("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, `{"moves":[
			{"fulfillment_id":"1001-F1","status":"shipped","carrier":"UPS","tracking_number":"1Z1001"},
			{"fulfillment_id":"1002-F1","status":"delivered"},
			{"fulfillment_id":"1002-F1","status":"shipped","carrier":"UPS","tracking_number":"1Z1002"}]}`, 200).json(t, &res)
		if res.Moved != 2 || res.Failed != 1 || len(res.Results) != 3 {
			t.Fatalf("batch = %+v", res)
		}
		for i, want := range []string{"1001-F1", "1002-F1", "1002-F1"} {
			if res.Results[i].FulfillmentID != want {
				t.Errorf("result %d is for %s, want %s", i, res.Results[i].FulfillmentID, want)
			}
		}
		if r := res.Results[0]; !r.Moved || r.Fulfillment == nil || r.Fulfillment.Status != oms.FulfillmentShipped || r.Fulfillment.TrackingNumber != "1Z1001" || r.Problem != nil {
			t.Errorf("first result = %+v", r)
		}
		if r := res.Results[1]; r.Moved || r.Fulfillment != nil || r.Problem == nil || r.Problem.Code != oms.ECONFLICT || r.Problem.Status != 409 {
			t.Errorf("refused result = %+v", r)
		}
		for _, n := range []string{"1001", "1002"} {
			h.mustCall("GET", "/v1/orders/"+n, oms.RoleAgent, nil, 200).json(t, &o)
			if o.Status != oms.StatusShipped {
				t.Errorf("order %s is %s after the batch", n, o.Status)
			}
		}
		// A retried batch with its Idempotency-Key is answered as the first
		// time, not refused as a second delivery.
		deliver := `{"moves":[{"fulfillment_id":"1001-F1","status":"delivered"}]}`
		first := h.call("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, deliver, "Idempotency-Key", "carrier-run-7")
		again := h.call("POST", "/v1/fulfillments/moves", oms.RoleWarehouse, deliver, "Idempotency-Key", "carrier-run-7")
		if first.status != 200 || again.status != 200 || string(first.body) != string(again.body) || !strings.Contains(string(first.body), `"moved":1`) {
			t.Errorf("retried batch: %d %s, then %d %s", first.status, first.body, again.status, again.body)
		}
		var st struct{ Locations []oms.Balance }
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleAgent, nil, 200).json(t, &st)
		if len(st.Locations) != 1 || st.Locations[0].OnHand != 1 || st.Locations[0].Reserved != 0 {
			t.Errorf("mug stock after shipping 4 of 5: %+v", st.Locations)
		}
	})
}
