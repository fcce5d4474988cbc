package bench

import (
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/omshq/oms/internal/store/placement"
)

func TestParseProcStat(t *testing.T) {
	for _, c := range []struct {
		stat string
		cpu  time.Duration
		ok   bool
	}{
		{"4242 (postgres) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 50 0 0 20 0 1 0 100 0 0", 2 * time.Second, true},
		{"4242 (oms) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 50 0 0 20 0 1 0 100 0 0", 0, false},
		{"4242 (post (gres)) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 50", 0, false},
		{"4242 (postgres) S 1 4242", 0, false},
		{"garbage", 0, false},
	} {
		cpu, ok := parseProcStat([]byte(c.stat))
		if cpu != c.cpu || ok != c.ok {
			t.Errorf("%q: %v, %v; want %v, %v", c.stat, cpu, ok, c.cpu, c.ok)
		}
	}
}

// TestDBCPU counts each process's CPU from its first sample, a process
// first seen later from nothing, and a process gone by the end at its last
// reading.
func TestDBCPU(t *testing.T) {
	c := newDBCPU()
	c.first[1], c.last[1] = 5*time.Second, 5*time.Second // as the first sample would
	c.first[2], c.last[2] = time.Second, 3*time.Second   // gone before the last
	c.samples = 1
	c.first[3], c.last[3] = 0, 400*time.Millisecond // opened during the run
	c.last[1] = 6 * time.Second
	if cpu, ok := c.total(); !ok || cpu != 3400*time.Millisecond {
		t.Errorf("total %v, %v; want 3.4s", cpu, ok)
	}
	if _, ok := newDBCPU().total(); ok {
		t.Error("no process read, yet a total")
	}
}

// TestWriterCPU sums the CPU of the samples labelled as the writers' and
// leaves the rest out.
func TestWriterCPU(t *testing.T) {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		Sample: []*profile.Sample{
			{Value: []int64{1, 10e6}, Label: map[string][]string{placement.WriterLabel: {"writer"}}},
			{Value: []int64{3, 30e6}, Label: map[string][]string{placement.WriterLabel: {"writer"}}},
			{Value: []int64{5, 50e6}},
			{Value: []int64{7, 70e6}, Label: map[string][]string{placement.WriterLabel: {"other"}}},
		},
	}
	if cpu, ok := writerCPU(p); !ok || cpu != 40*time.Millisecond {
		t.Errorf("writer CPU %v, %v; want 40ms", cpu, ok)
	}
	p.SampleType = p.SampleType[:1]
	if _, ok := writerCPU(p); ok {
		t.Error("a profile without CPU time gave a figure")
	}
}
