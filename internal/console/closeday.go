package console

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/omshq/oms"
)

// The fulfillment screen's close of the day: the packed parcels of a
// location picked (all, by default) and shipped in one batch — POST
// /v1/fulfillments/moves — each with its carrier and tracking number,
// then a summary of what closed and what did not, and why.

// batchData is what the close of the day did.
type batchData struct {
	Tried   int
	Shipped []string          // the fulfillments shipped
	Failed  map[string]string // the fulfillments left as they were, and why
}

func init() {
	flashes["edit"] = "The order is changed."
	flashes["refund"] = "The refund is recorded."
	flashes["source"] = "The order's waiting units were sent to sourcing again: the timeline says what was placed."
}

// shipsFromHere reports whether the close of the day may ship the
// fulfillment: packed, and going by carrier (to the customer, or to the
// store a pickup waits at), not handed over at this counter.
func shipsFromHere(f oms.Fulfillment) bool {
	return f.Status == oms.FulfillmentPacked && (!f.Pickup || f.DeliverTo != "")
}

// moveBatch is POST /v1/fulfillments/moves: a bound user's moves of
// fulfillments they may not see are not found, and the others go ahead.
func (c *Console) moveBatch(ctx context.Context, u oms.User, moves []oms.BatchMove) ([]oms.MoveResult, error) {
	p := u.Principal()
	refused := make(map[int]error)
	var mine []oms.BatchMove
	for i, m := range moves {
		if p.Bound() {
			if err := c.svc.Fulfillments.AuthorizeFulfillment(ctx, p, m.Fulfillment); err != nil {
				refused[i] = err
				continue
			}
		}
		mine = append(mine, m)
	}
	var done []oms.MoveResult
	if len(mine) > 0 {
		var err error
		if done, err = c.svc.Fulfillments.MoveFulfillments(ctx, mine, p); err != nil {
			return nil, err
		}
	}
	out := make([]oms.MoveResult, len(moves))
	for i := range moves {
		if err, ok := refused[i]; ok {
			out[i] = oms.MoveResult{Err: err}
		} else {
			out[i], done = done[0], done[1:]
		}
	}
	return out, nil
}

// closeDay ships the picked packed fulfillments of the location. Every
// row is checked first — a carrier for each, a tracking number for each
// going to a customer — and a problem anywhere ships nothing, the
// problems next to their rows; then the batch runs, and the screen says
// which shipped and which the fulfillment's state refused.
func (c *Console) closeDay(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermFulfillWrite) {
		c.forbidden(w, r, &s, "Your role may not move fulfillments.")
		return
	}
	ctx, loc := r.Context(), r.PostFormValue("location")
	open, err := c.act.LocationFulfillments(ctx, s.User, loc, []oms.FulfillmentStatus{oms.FulfillmentPacked}, fulfillLimit)
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	picked := r.PostForm["f"]
	errs := map[string]string{}
	var moves []oms.BatchMove
	def := strings.TrimSpace(r.PostFormValue("carrier"))
	var gone []string // picked, but not a packed parcel of the location (any more)
	for _, id := range picked {
		i := slices.IndexFunc(open, func(f oms.Fulfillment) bool { return f.ID == id })
		if i < 0 || !shipsFromHere(open[i]) || open[i].Location != loc {
			gone = append(gone, id)
			continue
		}
		f := open[i]
		t := oms.Tracking{Carrier: strings.TrimSpace(r.PostFormValue("carrier-" + id)),
			TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking-" + id))}
		if t.Carrier == "" {
			t.Carrier = def
		}
		if fe, _ := fieldErrors(t.Validate()); t.Validate() != nil {
			for k, v := range fe {
				errs[k+"-"+id] = v
			}
		}
		if t.Carrier == "" {
			errs["carrier-"+id] = "is required: give it here or as the carrier of every parcel"
		}
		if t.TrackingNumber == "" && f.DeliverTo == "" {
			errs["tracking_number-"+id] = "is required for a parcel to a customer"
		}
		moves = append(moves, oms.BatchMove{Fulfillment: id, FulfillmentMove: oms.FulfillmentMove{To: oms.FulfillmentShipped, Tracking: t}})
	}
	if len(picked) == 0 {
		errs["f"] = "pick at least one parcel to ship"
	} else if len(picked) > oms.MaxBatchMoves {
		errs["f"] = "at most 500 parcels in one close"
	}
	if len(errs) > 0 || len(gone) > 0 {
		msg := "Nothing was shipped: correct the rows marked below and ship again."
		if len(gone) > 0 {
			msg = "Nothing was shipped: " + strings.Join(gone, ", ") + " is not a packed parcel of " + loc +
				" (any more); the list below is as it is now: check it and ship again."
		}
		c.showFulfillment(w, r, s, loc, http.StatusUnprocessableEntity, page{Form: "close", Errors: errs, Values: r.PostForm, FormError: msg})
		return
	}
	res, err := c.moveBatch(ctx, s.User, moves)
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	b := batchData{Tried: len(moves), Failed: map[string]string{}}
	for i, m := range moves {
		if res[i].Err != nil {
			b.Failed[m.Fulfillment] = errMessage(res[i].Err)
		} else {
			b.Shipped = append(b.Shipped, m.Fulfillment)
		}
	}
	status := http.StatusOK
	if len(b.Failed) > 0 {
		status = http.StatusUnprocessableEntity
	}
	c.showFulfillment(w, r, s, loc, status, page{Batch: b})
}
