package reports

import (
	"testing"
	"time"
)

// TestPlanSums: the rows chosen add up to exactly the days of the range.
func TestPlanSums(t *testing.T) {
	day := func(s string) int64 {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return epochDay(d)
	}
	today := day("2026-11-26")
	cases := []struct{ from, to string }{
		{"2025-11-27", "2026-11-27"}, // a year to today: head in part, this month from its row
		{"2026-03-30", "2026-04-10"}, // two months in part
		{"2026-03-01", "2026-05-01"}, // whole months
		{"2026-04-03", "2026-04-11"}, // within a month
		{"2026-04-01", "2026-05-01"}, // one whole month
		{"2026-01-20", "2026-03-05"}, // late in one month, early in another
		{"2026-11-20", "2027-02-01"}, // past today
	}
	for _, c := range cases {
		from, to := day(c.from), day(c.to)
		p := planSums(from, to, today)
		// Count how often each day is covered, as the rows would be summed.
		covered := map[int64]int{}
		for d := p.months[0]; d < p.months[1]; d++ {
			covered[d]++
		}
		for _, s := range p.plus {
			for d := s[0]; d < s[1]; d++ {
				covered[d]++
			}
		}
		for _, s := range p.minus {
			for d := s[0]; d < s[1]; d++ {
				covered[d]--
			}
		}
		if p.months[0] > p.months[1] || (p.months[0] != p.months[1] && dayTime(p.months[0]).Day() != 1) {
			t.Errorf("%v: months %v", c, p.months)
		}
		for d, n := range covered {
			inRange := d >= from && d < to
			if want := map[bool]int{true: 1, false: 0}[inRange]; n != want && d <= today {
				t.Errorf("%v: day %s counted %d times", c, dayTime(d).Format(time.DateOnly), n)
			}
		}
		for d := from; d < min(to, today+1); d++ {
			if covered[d] != 1 {
				t.Errorf("%v: day %s not covered", c, dayTime(d).Format(time.DateOnly))
			}
		}
	}
}
