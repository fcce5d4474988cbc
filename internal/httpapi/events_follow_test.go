package httpapi_test

import (
	"slices"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestEventStreamFollow: a poller that keeps next_cursor and asks again
// reads every event once, in order, and keeps its place at the end of the
// stream: the empty page gives back the cursor it was asked with, and the
// next event after it is the next one written.
func TestEventStreamFollow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		type page struct {
			Events     []oms.Event
			NextCursor *string `json:"next_cursor"`
		}
		follow := func(after string) (ids []string, cursor string) {
			cursor = after
			for range 100 {
				var p page
				h.mustCall("GET", "/v1/events?limit=2&after="+cursor, oms.RoleAdmin, nil, 200).json(t, &p)
				if p.NextCursor == nil {
					t.Fatalf("after %q: next_cursor is null", cursor)
				}
				for _, ev := range p.Events {
					ids = append(ids, ev.ID)
				}
				cursor = *p.NextCursor
				if len(p.Events) == 0 {
					return ids, cursor
				}
			}
			t.Fatal("the stream did not end")
			return nil, ""
		}
		var all page
		h.mustCall("GET", "/v1/events?limit=1000", oms.RoleAdmin, nil, 200).json(t, &all)
		if len(all.Events) < 3 || all.NextCursor == nil {
			t.Fatalf("setup wrote %d events", len(all.Events))
		}
		ids, cursor := follow(all.Events[0].ID)
		if len(ids) != len(all.Events)-1 || cursor != all.Events[len(all.Events)-1].ID {
			t.Fatalf("followed %d events to %s; want %d to %s", len(ids), cursor, len(all.Events)-1, *all.NextCursor)
		}
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("EV-1", 1), 201)
		more, _ := follow(cursor)
		if len(more) == 0 || more[0] == cursor || slices.Contains(ids, more[0]) {
			t.Errorf("after the end, the next poll read %v", more)
		}
	})
}
