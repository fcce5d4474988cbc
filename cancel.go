package oms

import "fmt"

// CancelLine asks to cancel some units of one line.
type CancelLine struct {
	LineID   string
	Quantity int64
}

// MaxCancelReason bounds the reason given for a cancellation.
const MaxCancelReason = 500

// Release is a reservation given back: units of a line at a location.
type Release struct {
	LineID   string
	SKU      string
	Location string
	Quantity int64
}

// Cancel cancels units of the order in place and returns the reservations to
// give back. With no lines it cancels every unit not yet shipped. On each
// line it cancels open units first, then allocated ones, releasing the most
// recently placed allocation first.
//
// It returns EINVALID when a line is unknown, named twice, or asked to cancel
// more than it has unshipped, and ECONFLICT when nothing is left to cancel.
func (o *Order) Cancel(req []CancelLine) ([]Release, error) {
	if len(req) == 0 {
		for _, l := range o.Lines {
			if n := l.Open + l.Allocated; n > 0 {
				req = append(req, CancelLine{LineID: l.ID, Quantity: n})
			}
		}
		if len(req) == 0 {
			return nil, Errorf(ECONFLICT, "order %s has nothing left to cancel", o.Number)
		}
	}
	if err := o.checkCancel(req); err != nil {
		return nil, err
	}
	var releases []Release
	for _, r := range req {
		l := o.Line(r.LineID)
		fromOpen := min(r.Quantity, l.Open)
		l.Open -= fromOpen
		need := r.Quantity - fromOpen
		for i := len(o.Allocations) - 1; i >= 0 && need > 0; i-- {
			a := &o.Allocations[i]
			if a.LineID != l.ID || a.Quantity == 0 {
				continue
			}
			take := min(need, a.Quantity)
			a.Quantity -= take
			need -= take
			l.Allocated -= take
			releases = append(releases, Release{LineID: l.ID, SKU: l.SKU, Location: a.Location, Quantity: take})
		}
		l.Cancelled += r.Quantity
	}
	o.Allocations = compactAllocations(o.Allocations)
	o.Refresh()
	return releases, nil
}

func (o *Order) checkCancel(req []CancelLine) error {
	var p Problems
	seen := make(map[string]bool)
	for i, r := range req {
		at := fmt.Sprintf("lines[%d]", i)
		l := o.Line(r.LineID)
		switch {
		case l == nil:
			p.Add(at+".line_id", "is not a line of order %s", o.Number)
		case seen[r.LineID]:
			p.Add(at+".line_id", "names a line already listed")
		case r.Quantity < 1:
			p.Add(at+".quantity", "must be at least 1")
		case r.Quantity > l.Open+l.Allocated:
			p.Add(at+".quantity", "only %d units of this line can still be cancelled", l.Open+l.Allocated)
		}
		seen[r.LineID] = true
	}
	return p.Err()
}

func compactAllocations(as []Allocation) []Allocation {
	out := as[:0]
	for _, a := range as {
		if a.Quantity > 0 {
			out = append(out, a)
		}
	}
	return out
}
