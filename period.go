package oms

import "time"

// Range is a span of time [From, To): either bound may be zero, meaning
// open on that side.
type Range struct {
	From, To time.Time
}

// The dates oms takes, inclusive, in UTC: every date or time a request
// gives — a report's range, an export's, an ETA, a release date, a day of
// exchange rates — must fall within them. Reports and rollups count days
// from 1970-01-01, and any time well inside them can be added to, stored and
// written back in RFC 3339 on either database.
const (
	FirstDate = "1970-01-01"
	LastDate  = "2200-12-31"
)

// firstYear and lastYear are the years of FirstDate and LastDate.
const (
	firstYear = 1970
	lastYear  = 2200
)

// InDateBounds reports whether t falls on a day from FirstDate to LastDate
// (UTC).
func InDateBounds(t time.Time) bool {
	y := t.UTC().Year()
	return y >= firstYear && y <= lastYear
}

// CheckDate records a problem under field unless t is within the date
// bounds. It reports whether t is.
func CheckDate(p *Problems, field string, t time.Time) bool {
	if !InDateBounds(t) {
		p.Add(field, "must be from %s to %s", FirstDate, LastDate)
		return false
	}
	return true
}

// ParseDay reads a day written YYYY-MM-DD within the date bounds,
// recording a problem under field when it is not one.
func ParseDay(p *Problems, field, s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.Add(field, "must be a date written YYYY-MM-DD")
		return time.Time{}, false
	}
	return d, CheckDate(p, field, d)
}

// ParseTime reads an RFC 3339 time within the date bounds, in UTC,
// recording a problem under field when it is not one.
func ParseTime(p *Problems, field, s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.Add(field, "must be an RFC 3339 time such as 2026-12-01T00:00:00Z")
		return time.Time{}, false
	}
	return t.UTC(), CheckDate(p, field, t)
}

// ParseRange reads the from and to of a query. Each is a day (YYYY-MM-DD,
// in UTC) or an RFC 3339 time; a day as from starts at its midnight, a day
// as to includes the whole day. Each must be within the date bounds.
// Problems are recorded under the names "from" and "to".
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
		if !CheckDate(p, field, d) {
			return time.Time{}
		}
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.Add(field, "must be a day (YYYY-MM-DD) or an RFC 3339 time")
		return time.Time{}
	}
	if !CheckDate(p, field, t) {
		return time.Time{}
	}
	return t.UTC()
}

// Contains reports whether t is within the range.
func (r Range) Contains(t time.Time) bool {
	return (r.From.IsZero() || !t.Before(r.From)) && (r.To.IsZero() || t.Before(r.To))
}
