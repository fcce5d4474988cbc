package oms

import "time"

// Grain is how much time one rollup row covers: a day, an ISO week (keyed
// by its Monday) or a calendar month (keyed by its first day). A change is
// written at each grain — at once for a day before the rollups' watermark,
// at the day's own grain alone until the day is rolled up otherwise — so
// that a report reads few rows: whole months from month rows, whole weeks
// from week rows, the edges and the days not rolled up from day rows.
type Grain int64

// The grains, by their length in days (a month's nominally).
const (
	GrainDay   Grain = 1
	GrainWeek  Grain = 7
	GrainMonth Grain = 30
)

// Grains lists the grains every rollup row is written at.
var Grains = []Grain{GrainDay, GrainWeek, GrainMonth}

// Key returns the first day of the row of grain g holding day.
func (g Grain) Key(day time.Time) time.Time {
	switch g {
	case GrainWeek:
		return PeriodWeek.Start(day)
	case GrainMonth:
		return PeriodMonth.Start(day)
	}
	return PeriodDay.Start(day)
}

// RollupSpan selects the rows of a grain whose key day is in [From, To).
type RollupSpan struct {
	Grain    Grain
	From, To time.Time
}

// RollupCover returns the rollup rows that cover the whole UTC days of
// [from, to) exactly once, each row within one period of p: month rows for
// the whole months in it (when p is month), week rows for whole weeks (when
// they lie within one period), day rows for the rest. Week and month rows
// hold only the days before rolled, so the days from rolled on are read
// from day rows.
func RollupCover(from, to time.Time, p Period, rolled time.Time) []RollupSpan {
	from, to, rolled = DayOf(from), DayOf(to), DayOf(rolled)
	if !rolled.Before(to) {
		return rollupCover(from, to, p)
	}
	if !from.Before(rolled) {
		if !from.Before(to) {
			return nil
		}
		return []RollupSpan{{GrainDay, from, to}}
	}
	return append(rollupCover(from, rolled, p), RollupSpan{GrainDay, rolled, to})
}

func rollupCover(from, to time.Time, p Period) []RollupSpan {
	from, to = DayOf(from), DayOf(to)
	if !from.Before(to) {
		return nil
	}
	switch p {
	case PeriodMonth:
		var out []RollupSpan
		first := PeriodMonth.Start(from)
		if first.Before(from) {
			first = first.AddDate(0, 1, 0)
		}
		last := PeriodMonth.Start(to) // the months [first, last) are whole
		if !first.Before(last) {
			// No whole month: cover each month's part by weeks and days.
			for m := PeriodMonth.Start(from); m.Before(to); m = m.AddDate(0, 1, 0) {
				out = append(out, coverWeeks(maxTime(m, from), minTime(m.AddDate(0, 1, 0), to))...)
			}
			return out
		}
		out = append(out, coverWeeks(from, first)...)
		out = append(out, RollupSpan{GrainMonth, first, last})
		return append(out, coverWeeks(last, to)...)
	case PeriodWeek:
		return coverWeeks(from, to)
	}
	return []RollupSpan{{GrainDay, from, to}}
}

// coverWeeks covers [from, to) with the week rows of the weeks wholly in it
// and day rows for the rest.
func coverWeeks(from, to time.Time) []RollupSpan {
	if !from.Before(to) {
		return nil
	}
	first := PeriodWeek.Start(from)
	if first.Before(from) {
		first = first.AddDate(0, 0, 7)
	}
	last := PeriodWeek.Start(to)
	if !first.Before(last) {
		return []RollupSpan{{GrainDay, from, to}}
	}
	var out []RollupSpan
	if from.Before(first) {
		out = append(out, RollupSpan{GrainDay, from, first})
	}
	out = append(out, RollupSpan{GrainWeek, first, last})
	if last.Before(to) {
		out = append(out, RollupSpan{GrainDay, last, to})
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// EpochDay is the number of the UTC day holding t, counting 1970-01-01 as 0:
// how rollup rows store their day.
func EpochDay(t time.Time) int64 {
	return DayOf(t).Unix() / 86400
}

// FromEpochDay is the midnight of day number n.
func FromEpochDay(n int64) time.Time {
	return time.Unix(n*86400, 0).UTC()
}
