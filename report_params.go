package oms

import (
	"strconv"
	"time"
)

// MaxReportDays bounds a report's range.
const MaxReportDays = 3 * 366

// DefaultDeadDays is how long without a sale makes stock dead, unless the
// turnover report is told otherwise.
const DefaultDeadDays = 90

// ParseReportQuery reads the parameters every report takes (from, to,
// period, channel, location, sku, by) from get — a URL query's Get —
// naming each bad one. A range is required (at most MaxReportDays), unless
// pointInTime. The API and the console read reports' parameters alike.
func ParseReportQuery(get func(string) string, pointInTime bool) (ReportQuery, error) {
	var p Problems
	rq := ReportQuery{Range: ParseRange(&p, get("from"), get("to")), Period: Period(get("period")),
		Channel: get("channel"), Location: get("location"), SKU: get("sku"), By: get("by")}
	if rq.Period == "" {
		rq.Period = PeriodDay
	} else if !rq.Period.Valid() {
		p.Add("period", "must be one of %v", Periods)
	}
	if !pointInTime {
		if get("from") == "" {
			p.Add("from", "is required")
		}
		if get("to") == "" {
			p.Add("to", "is required")
		}
		if !rq.Range.From.IsZero() && rq.Range.To.Sub(rq.Range.From) > MaxReportDays*24*time.Hour {
			p.Add("to", "the range may span at most %d days", MaxReportDays)
		}
	}
	return rq, p.Err()
}

// ParseReportAt reads the inventory report's at: a day (its close) or an
// RFC 3339 time; zero when empty.
func ParseReportAt(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	var p Problems
	rg := ParseRange(&p, "", v) // a day as a range's end is its close
	if p.Err() != nil {
		return time.Time{}, Invalid("at", "must be a day (YYYY-MM-DD) or an RFC 3339 time from %s to %s", FirstDate, LastDate)
	}
	return rg.To, nil
}

// ParseDeadDays reads the turnover report's dead_days: DefaultDeadDays
// when empty.
func ParseDeadDays(v string) (int, error) {
	if v == "" {
		return DefaultDeadDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, Invalid("dead_days", "must be a whole number of days")
	}
	return n, nil
}
