package bench

import (
	"slices"
	"time"
)

// Latency summarises request durations: exact percentiles by the
// nearest-rank method, and the maximum.
type Latency struct {
	Count int
	P50   time.Duration
	P95   time.Duration
	P99   time.Duration
	Max   time.Duration
}

// Summarize returns the percentiles of ds. It sorts ds in place.
func Summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	return Latency{Count: len(ds), P50: Percentile(ds, 50), P95: Percentile(ds, 95),
		P99: Percentile(ds, 99), Max: ds[len(ds)-1]}
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. It returns 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// rank = ⌈p/100 × n⌉, computed in integers of hundredths to avoid
	// float rounding (99% of 100 values must be the 99th, not the 100th).
	hundredths := int64(p*100 + 0.5)
	rank := int((hundredths*int64(n) + 9999) / 10000)
	return sorted[min(max(rank, 1), n)-1]
}

// merge concatenates per-worker duration slices.
func merge(parts [][]time.Duration) []time.Duration {
	var n int
	for _, p := range parts {
		n += len(p)
	}
	out := make([]time.Duration, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
