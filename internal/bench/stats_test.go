package bench

import (
	"math/rand/v2"
	"testing"
	"time"
)

func ms(ns ...int) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n) * time.Millisecond
	}
	return out
}

func seq(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value is every percentile", ms(7), 99, 7 * time.Millisecond},
		{"median of two is the lower", ms(1, 2), 50, 1 * time.Millisecond},
		{"just past the median is the upper", ms(1, 2), 51, 2 * time.Millisecond},
		{"p50 of 1..100", seq(100), 50, 50 * time.Millisecond},
		{"p95 of 1..100", seq(100), 95, 95 * time.Millisecond},
		{"p99 of 1..100 is not the max", seq(100), 99, 99 * time.Millisecond},
		{"p100 is the max", seq(100), 100, 100 * time.Millisecond},
		{"p99 of 1..1000", seq(1000), 99, 990 * time.Millisecond},
		{"p99 of 10 values is the max", seq(10), 99, 10 * time.Millisecond},
		{"p95 of 20 values", seq(20), 95, 19 * time.Millisecond},
		{"tiny p is the min", seq(100), 0.001, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%d values, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want Latency
	}{
		{"empty", nil, Latency{}},
		{"unsorted input", ms(30, 10, 20), Latency{Count: 3, P50: 20 * time.Millisecond, P95: 30 * time.Millisecond,
			P99: 30 * time.Millisecond, Max: 30 * time.Millisecond}},
		{"one slow request shows only in the tail", append(ms(make([]int, 99)...), time.Second), Latency{Count: 100,
			P99: 0, Max: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.in); got != tt.want {
				t.Errorf("Summarize = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestSummarizeShuffled checks the percentiles do not depend on the order
// the workers recorded their durations in.
func TestSummarizeShuffled(t *testing.T) {
	want := Summarize(seq(1000))
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		ds := seq(1000)
		r.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
		if got := Summarize(ds); got != want {
			t.Fatalf("Summarize(shuffled) = %+v, want %+v", got, want)
		}
	}
}

func TestMerge(t *testing.T) {
	got := merge([][]time.Duration{ms(1, 2), nil, ms(3)})
	if len(got) != 3 || got[0] != ms(1)[0] || got[2] != ms(3)[0] {
		t.Errorf("merge = %v", got)
	}
}
