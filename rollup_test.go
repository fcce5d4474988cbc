package oms

import (
	"reflect"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRollupCover(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		p        Period
		want     []RollupSpan
	}{
		{"days", "2026-01-05", "2026-01-08", PeriodDay, []RollupSpan{{GrainDay, day("2026-01-05"), day("2026-01-08")}}},
		{"whole weeks and edges", "2026-01-03", "2026-01-21", PeriodWeek, []RollupSpan{
			{GrainDay, day("2026-01-03"), day("2026-01-05")}, {GrainWeek, day("2026-01-05"), day("2026-01-19")},
			{GrainDay, day("2026-01-19"), day("2026-01-21")}}},
		{"less than a week", "2026-01-06", "2026-01-09", PeriodWeek, []RollupSpan{{GrainDay, day("2026-01-06"), day("2026-01-09")}}},
		{"months with partial edges", "2026-01-20", "2026-04-03", PeriodMonth, []RollupSpan{
			{GrainDay, day("2026-01-20"), day("2026-01-26")}, {GrainWeek, day("2026-01-26"), day("2026-01-26")},
		}},
		{"within one month", "2026-03-02", "2026-03-20", PeriodMonth, []RollupSpan{
			{GrainWeek, day("2026-03-02"), day("2026-03-16")}, {GrainDay, day("2026-03-16"), day("2026-03-20")}}},
		{"whole year", "2025-01-01", "2026-01-01", PeriodMonth, []RollupSpan{{GrainMonth, day("2025-01-01"), day("2026-01-01")}}},
		{"empty", "2026-01-02", "2026-01-02", PeriodDay, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RollupCover(day(tt.from), day(tt.to), tt.p, day("2100-01-01"))
			if tt.name == "months with partial edges" {
				checkCover(t, got, day(tt.from), day(tt.to), tt.p)
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			checkCover(t, got, day(tt.from), day(tt.to), tt.p)
		})
	}
}

// TestRollupCoverRolled moves the watermark through a range: the days from
// it on must come from day rows, and every day still exactly once.
func TestRollupCoverRolled(t *testing.T) {
	from, to := day("2026-01-20"), day("2026-04-03")
	for _, p := range []Period{PeriodDay, PeriodWeek, PeriodMonth} {
		for rolled := from.AddDate(0, 0, -3); rolled.Before(to.AddDate(0, 0, 3)); rolled = rolled.AddDate(0, 0, 1) {
			got := RollupCover(from, to, p, rolled)
			checkCover(t, got, from, to, p)
			for _, s := range got {
				if s.Grain == GrainDay || !s.From.Before(s.To) {
					continue
				}
				if last := s.Grain.Key(s.To.AddDate(0, 0, -1)); !rolled.After(last) || s.To.After(rolled) {
					t.Errorf("%s rolled %s: %v row reads days from %s on", p, rolled.Format(time.DateOnly), s.Grain, rolled.Format(time.DateOnly))
				}
			}
		}
		if got := RollupCover(from, to, p, from); !reflect.DeepEqual(got, []RollupSpan{{GrainDay, from, to}}) {
			t.Errorf("%s, nothing rolled: %v, want day rows", p, got)
		}
	}
}

// checkCover asserts that the spans cover every day of [from, to) once, and
// that each row lies within one period.
func checkCover(t *testing.T, spans []RollupSpan, from, to time.Time, p Period) {
	t.Helper()
	seen := map[time.Time]int{}
	for _, s := range spans {
		for k := s.From; k.Before(s.To); k = k.AddDate(0, 0, 1) {
			if s.Grain.Key(k) != k {
				continue
			}
			end := k.AddDate(0, 0, 1)
			switch s.Grain {
			case GrainWeek:
				end = k.AddDate(0, 0, 7)
			case GrainMonth:
				end = k.AddDate(0, 1, 0)
			}
			if p.Start(k) != p.Start(end.AddDate(0, 0, -1)) {
				t.Errorf("row %v %s crosses a %s", s.Grain, k.Format(time.DateOnly), p)
			}
			for d := k; d.Before(end); d = d.AddDate(0, 0, 1) {
				seen[d]++
			}
		}
	}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if seen[d] != 1 {
			t.Errorf("%s covered %d times", d.Format(time.DateOnly), seen[d])
		}
		delete(seen, d)
	}
	if len(seen) > 0 {
		t.Errorf("covered days outside the range: %v", seen)
	}
}

func TestPercentile(t *testing.T) {
	h := map[int64]int64{2: 3, 5: 1, 30: 1, 7: 5}
	if b, _ := Percentile(h, 1, 2); b != 7 {
		t.Errorf("median %d, want 7", b)
	}
	if b, _ := Percentile(h, 9, 10); b != 7 {
		t.Errorf("p90 %d, want 7", b)
	}
	if b, _ := Percentile(h, 1, 1); b != 30 {
		t.Errorf("max %d, want 30", b)
	}
	if _, ok := Percentile(nil, 1, 2); ok {
		t.Error("a percentile of nothing")
	}
}

func TestHoursBucket(t *testing.T) {
	for d, want := range map[time.Duration]int64{-time.Hour: 0, 90 * time.Minute: 1, 47*time.Hour + 59*time.Minute: 47,
		53 * time.Hour: 48, 54 * time.Hour: 54, 100 * time.Hour: 96, 250 * time.Hour: 240, 700 * time.Hour: 672, 2000 * time.Hour: 720} {
		if got := HoursBucket(d); got != want {
			t.Errorf("HoursBucket(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestContribute(t *testing.T) {
	placed := time.Date(2026, 3, 4, 22, 30, 0, 0, time.UTC)
	shipped, delivered := placed.Add(2*time.Hour+59*time.Minute), placed.Add(50*time.Hour)
	f := OrderFacts{PlacedAt: placed, Channel: 7, Currency: "USD", Shipping: 500, Tax: 90, Backordered: true,
		Lines: []LineFacts{
			// 3 units, 2 shipped from location 5 (one returned to stock), 1 cancelled.
			{Item: 1, Quantity: 3, Subtotal: 1000, Discount: 100, Tax: 60, Cancelled: 1, Shipped: 2, Returned: 1, Restocked: 1, UnitCost: 200, CostKnown: true},
			// 2 units: 1 at location 6, 1 waiting for stock; cost unknown.
			{Item: 2, Quantity: 2, Subtotal: 400, Tax: 30},
		},
		Shipments: []ShipmentFacts{
			{Location: 5, Status: FulfillmentDelivered, ShippedAt: &shipped, DeliveredAt: &delivered, Lines: map[int]int64{0: 2}},
			{Location: 6, Status: FulfillmentPending, Lines: map[int]int64{1: 1}},
			{Location: 9, Status: FulfillmentCancelled, Lines: map[int]int64{1: 1}},
		},
		Refunds: []RefundFacts{{RefundReturn, 300}, {RefundAppeasement, 50}},
		Returns: []ReturnFacts{{Position: 0, Reason: "damaged", Units: 1}},
	}
	c := Contribute(f)
	day := DayOf(placed)
	k := func(item, loc int64) SalesKey { return SalesKey{day, 7, item, loc} }
	want := map[SalesKey]SalesFigures{
		// The order: 5 units, 1400 gross, split over locations 5 and 6.
		k(0, 0): {Orders: 1, Units: 5, UnitsCancelled: 1, UnitsShipped: 2, UnitsReturned: 1, UnitsRestocked: 1, Gross: 1400,
			Discounts: 100, Cancellations: 300, Returns: 300, Tax: 90, Shipping: 500, RefundReturn: 300, RefundAppeasement: 50,
			Cost: 200, CostMissing: 2, Backordered: 1, Split: 1},
		k(0, 5): {Orders: 1, Backordered: 1, Split: 1},
		k(0, 6): {Orders: 1, Backordered: 1, Split: 1},
		// Item 1: 1 unit not at a location (cancelled), 2 at location 5; money in proportion.
		k(1, 0): {Orders: 1, Units: 1, UnitsCancelled: 1, Gross: 333, Discounts: 33, Tax: 20, Cancellations: 300},
		k(1, 5): {Units: 2, UnitsShipped: 2, UnitsReturned: 1, UnitsRestocked: 1, Gross: 667, Discounts: 67, Tax: 40, Returns: 300, Cost: 200},
		k(1, AllLocations): {Orders: 1, Units: 3, UnitsCancelled: 1, UnitsShipped: 2, UnitsReturned: 1, UnitsRestocked: 1, Gross: 1000,
			Discounts: 100, Tax: 60, Cancellations: 300, Returns: 300, Cost: 200},
		k(2, 0):            {Orders: 1, Units: 1, Gross: 200, Tax: 15, CostMissing: 1},
		k(2, 6):            {Units: 1, Gross: 200, Tax: 15, CostMissing: 1},
		k(2, AllLocations): {Orders: 1, Units: 2, Gross: 400, Tax: 30, CostMissing: 2},
		k(AllItems, 0): {Orders: 1, Units: 2, UnitsCancelled: 1, Gross: 533, Discounts: 33, Tax: 35, Cancellations: 300,
			CostMissing: 1},
		k(AllItems, 5): {Orders: 1, Units: 2, UnitsShipped: 2, UnitsReturned: 1, UnitsRestocked: 1, Gross: 667, Discounts: 67,
			Tax: 40, Returns: 300, Cost: 200},
		k(AllItems, 6): {Orders: 1, Units: 1, Gross: 200, Tax: 15, CostMissing: 1},
	}
	if !reflect.DeepEqual(c.Sales, want) {
		for key, got := range c.Sales {
			if got != want[key] {
				t.Errorf("%+v:\n got %+v\nwant %+v", key, got, want[key])
			}
		}
		for key := range want {
			if _, ok := c.Sales[key]; !ok {
				t.Errorf("%+v missing", key)
			}
		}
	}
	wantCycles := map[CycleKey]int64{{day, 7, 5, CycleShipped, 2}: 1, {day, 7, 5, CycleDelivered, 48}: 1}
	if !reflect.DeepEqual(c.Cycles, wantCycles) {
		t.Errorf("cycles %v, want %v", c.Cycles, wantCycles)
	}
	if want := map[ReturnKey]int64{{day, 7, 1, "damaged"}: 1}; !reflect.DeepEqual(c.Returns, want) {
		t.Errorf("returns %v, want %v", c.Returns, want)
	}
}
