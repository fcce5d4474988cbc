package webhook

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestEligible(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	due, later := now.Add(-time.Second), now.Add(time.Hour)
	tests := []struct {
		name    string
		pending []Pending
		want    []string
	}{
		{"nothing pending", nil, nil},
		{"one order's events go one at a time, oldest first", []Pending{
			{ID: "d3", Key: "ord_1", Seq: 30, Due: due},
			{ID: "d1", Key: "ord_1", Seq: 10, Due: due},
			{ID: "d2", Key: "ord_1", Seq: 20, Due: due},
		}, []string{"d1"}},
		{"an order's failing event holds back only that order", []Pending{
			{ID: "a1", Key: "ord_a", Seq: 1, Due: later}, // failed, waiting for its retry
			{ID: "a2", Key: "ord_a", Seq: 4, Due: due},
			{ID: "b1", Key: "ord_b", Seq: 2, Due: due},
			{ID: "b2", Key: "ord_b", Seq: 5, Due: due},
			{ID: "c1", Key: "ord_c", Seq: 3, Due: due},
		}, []string{"b1", "c1"}},
		{"a retry that has come due goes first of its order", []Pending{
			{ID: "a1", Key: "ord_a", Seq: 1, Due: now},
			{ID: "a2", Key: "ord_a", Seq: 4, Due: due},
		}, []string{"a1"}},
		{"a dead delivery is not pending: the next of its order goes", []Pending{
			// a1 (Seq 1) was dead-lettered and left out by the caller
			{ID: "a2", Key: "ord_a", Seq: 4, Due: due},
			{ID: "a3", Key: "ord_a", Seq: 6, Due: due},
		}, []string{"a2"}},
		{"events without a key keep no order", []Pending{
			{ID: "x1", Seq: 1, Due: later},
			{ID: "x2", Seq: 2, Due: due},
			{ID: "x3", Seq: 3, Due: due},
		}, []string{"x2", "x3"}},
		{"mixed, answered in outbox order", []Pending{
			{ID: "s1", Key: "SKU-1", Seq: 9, Due: due},
			{ID: "x1", Seq: 7, Due: due},
			{ID: "o1", Key: "ord_1", Seq: 8, Due: due},
			{ID: "o2", Key: "ord_1", Seq: 3, Due: later},
		}, []string{"x1", "s1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.pending)
			var got []string
			for _, p := range Eligible(tt.pending, now) {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Eligible = %v, want %v", got, tt.want)
			}
			if !slices.Equal(in, tt.pending) {
				t.Fatal("Eligible changed its input")
			}
		})
	}
}

// TestEligibleDeliversInOrder drains one endpoint's deliveries of three
// orders with Eligible, failing every fourth event's first attempt, and
// checks each order's events arrived in the order they happened, every one
// once.
func TestEligibleDeliversInOrder(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var pending []Pending
	for seq := int64(1); seq <= 30; seq++ {
		key := []string{"ord_a", "ord_b", "ord_c"}[seq%3]
		pending = append(pending, Pending{ID: "d" + strconv.FormatInt(seq, 10), Key: key, Seq: seq, Due: now})
	}
	last := map[string]int64{}
	failed := map[string]bool{}
	delivered := 0
	for round := 0; len(pending) > 0; round++ {
		if round > 1000 {
			t.Fatal("never drained")
		}
		for _, p := range Eligible(pending, now) {
			i := slices.IndexFunc(pending, func(q Pending) bool { return q.ID == p.ID })
			if p.Seq%4 == 0 && !failed[p.ID] {
				failed[p.ID] = true
				pending[i].Due = now.Add(time.Minute)
				continue
			}
			if p.Seq <= last[p.Key] {
				t.Fatalf("%s (seq %d) after seq %d of its order", p.ID, p.Seq, last[p.Key])
			}
			last[p.Key] = p.Seq
			delivered++
			pending = slices.Delete(pending, i, i+1)
		}
		now = now.Add(10 * time.Second)
	}
	if delivered != 30 || len(failed) != 7 {
		t.Fatalf("%d delivered after %d failures, want 30 after 7", delivered, len(failed))
	}
}
