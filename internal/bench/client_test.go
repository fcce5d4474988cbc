package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/omshq/oms"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   outcome
	}{
		{"created", 201, `{"id":"ord_1"}`, accepted},
		{"repeat of an external id", 200, `{"id":"ord_1"}`, duplicate},
		{"out of stock", 409, `{"code":"out_of_stock","short":[{"sku":"A","requested":2,"available":0}]}`, outOfStock},
		{"another conflict", 409, `{"code":"conflict"}`, failed},
		{"conflict without a body", 409, ``, failed},
		{"invalid", 400, `{"code":"invalid"}`, failed},
		{"internal", 500, `{"code":"internal"}`, failed},
		{"no answer", 0, ``, failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.status, []byte(tt.body)); got != tt.want {
				t.Errorf("classify(%d, %s) = %v, want %v", tt.status, tt.body, got, tt.want)
			}
		})
	}
}

func TestSamples(t *testing.T) {
	var s samples
	for i := range 20 {
		s.add("error %d", i%7)
	}
	got := s.get()
	if len(got) != maxSamples || got[0] != "error 0" || got[maxSamples-1] != fmt.Sprintf("error %d", maxSamples-1) {
		t.Errorf("samples = %q, want the first %d distinct", got, maxSamples)
	}
}

// TestParseAck checks that the acknowledgement read from a 201 answer keeps
// what verification compares, by encoding an order as the API does.
func TestParseAck(t *testing.T) {
	o := &oms.Order{ID: "ord_1", Number: "1001", Customer: oms.Customer{Email: "a@b.example"},
		Lines:       []oms.Line{{ID: "ln_1", SKU: "A", Quantity: 3, Allocated: 2, Open: 1}, {ID: "ln_2", SKU: "B", Quantity: 1, Allocated: 1}},
		Allocations: []oms.Allocation{{LineID: "ln_1", Location: "x", Quantity: 2}}}
	body, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseAck(body, o.Customer)
	if err != nil {
		t.Fatal(err)
	}
	want := ackOf(o)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseAck = %+v, want %+v", got, want)
	}
	if _, err := parseAck([]byte(`{"id":`), o.Customer); err == nil {
		t.Error("parseAck of a broken body: no error")
	}
}

func TestEncodeDraftIsAValidOrder(t *testing.T) {
	p := NewPlan(10)
	d := newOrderGen(&p, 1, 0, "x").runOrder()
	var b orderBody
	if err := json.Unmarshal(encodeDraft(d), &b); err != nil {
		t.Fatal(err)
	}
	back := oms.OrderDraft{Channel: b.Channel, ExternalID: b.ExternalID, Currency: b.Currency, Customer: b.Customer,
		ShippingPrice: b.ShippingPrice}
	for _, l := range b.Lines {
		back.Lines = append(back.Lines, oms.LineDraft{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	if fmt.Sprint(back) != fmt.Sprint(*d) {
		t.Errorf("round trip:\n%+v\n%+v", back, *d)
	}
}

func TestForEach(t *testing.T) {
	var n atomic.Int64
	seen := make([]atomic.Bool, 100)
	err := forEach(context.Background(), 7, 100, func(_ context.Context, w, i int) error {
		if w < 0 || w >= 7 {
			t.Errorf("worker %d", w)
		}
		if seen[i].Swap(true) {
			t.Errorf("index %d twice", i)
		}
		n.Add(1)
		return nil
	})
	if err != nil || n.Load() != 100 {
		t.Errorf("forEach = %v after %d calls, want nil after 100", err, n.Load())
	}
	// The 10th call fails; a call after it waits for the failure to end
	// the run, as a slow request would. Once it has, no call starts: each
	// of the other three workers made one call at most after the 10th.
	boom := errors.New("boom")
	n.Store(0)
	err = forEach(context.Background(), 4, 1_000_000, func(ctx context.Context, _, _ int) error {
		switch c := n.Add(1); {
		case c == 10:
			return boom
		case c > 10:
			<-ctx.Done()
		}
		return nil
	})
	if !errors.Is(err, boom) || n.Load() > 13 {
		t.Errorf("forEach = %v after %d calls, want boom after 10 to 13", err, n.Load())
	}
}
