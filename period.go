package oms

import "time"

// Range is a span of time [From, To): either bound may be zero, meaning
// open on that side.
type Range struct {
	From, To time.Time
}

// ParseRange reads the from and to of a query. Each is a day (YYYY-MM-DD,
// in UTC) or an RFC 3339 time; a day as from starts at its midnight, a day
// as to includes the whole day. Problems are recorded under the names
// "from" and "to".
func ParseRange(p *Problems, from, to string) Range {
	var r Range
	r.From = parseBound(p, "from", from, false)
	r.To = parseBound(p, "to", to, true)
	if !r.From.IsZero() && !r.To.IsZero() && !r.From.Before(r.To) {
		p.Add("to", "must be after from")
	}
	return r
}

func parseBound(p *Problems, field, s string, end bool) time.Time {
	if s == "" {
		return time.Time{}
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1970 || t.Year() > 9999 {
		p.Add(field, "must be a day (YYYY-MM-DD) or an RFC 3339 time")
		return time.Time{}
	}
	return t.UTC()
}

// Contains reports whether t is within the range.
func (r Range) Contains(t time.Time) bool {
	return (r.From.IsZero() || !t.Before(r.From)) && (r.To.IsZero() || t.Before(r.To))
}
