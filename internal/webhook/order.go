package webhook

import (
	"cmp"
	"slices"
	"time"
)

// Pending is a delivery to one endpoint that is neither done nor dead: not
// yet attempted, or failed and waiting for its next attempt.
type Pending struct {
	ID  string    // the delivery
	Key string    // its event's ordering key (Event.Key); "" keeps no order
	Seq int64     // its event's place in the outbox: lower happened first
	Due time.Time // when its next attempt may run
}

// Eligible picks, from the pending deliveries of one endpoint, those that may
// be attempted at now, in Seq order: for each ordering key only the earliest
// pending delivery, and only once it is due, so an order's events reach the
// endpoint in the order they happened. A delivery without a key goes when it
// is due. The rule is per endpoint and per key, so a slow or dead endpoint
// holds up nobody else, and one order's failing event holds back only that
// order's later events on that endpoint.
//
// A dead-lettered delivery is not pending: the caller leaves it out, so it
// releases the next event of its key. Holding an order's events forever
// behind one the endpoint never accepted would stop that order for good;
// the owner sees the dead delivery in the log and can replay it.
func Eligible(pending []Pending, now time.Time) []Pending {
	sorted := slices.SortedFunc(slices.Values(pending), func(a, b Pending) int { return cmp.Compare(a.Seq, b.Seq) })
	held := make(map[string]bool)
	var out []Pending
	for _, p := range sorted {
		if p.Key != "" {
			if held[p.Key] {
				continue
			}
			held[p.Key] = true
		}
		if !p.Due.After(now) {
			out = append(out, p)
		}
	}
	return out
}
