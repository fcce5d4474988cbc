package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestTargetsFor(t *testing.T) {
	tests := []struct {
		engine         string
		minRatio, p99  float64
		lookup, listMS float64
	}{
		{"sqlite", 0.25, 25, 5, 20},
		{"postgres", 0.5, 50, 5, 20},
	}
	for _, tt := range tests {
		got := targetsFor(tt.engine)
		if got.MinRatio != tt.minRatio || got.P99MS != tt.p99 || got.LookupP99MS != tt.lookup ||
			got.ListP99MS != tt.listMS || got.MemoryBytes != 250<<20 {
			t.Errorf("targetsFor(%s) = %+v", tt.engine, got)
		}
	}
}

func sampleReport() *Report {
	ceiling, ratio, rss, goBytes := 1000.0, 0.2, uint64(300<<20), uint64(100<<20)
	return &Report{Engine: "sqlite", Mode: "in-process", Database: "/tmp/x/oms.db", CPUs: 2, Clients: 32,
		Duration: 30, Warmup: 5, Items: 1000, Seed: 1, MeasuredSeconds: 30.01, OrdersPerSec: 200,
		LatencyMS: msLatency{P50: 3, P95: 10, P99: 30, Max: 80}, Accepted: 6000, OutOfStock: 40, Errors: 2,
		ErrorSamples: []string{"POST /v1/orders: 500 {}"}, CeilingTxPerSec: &ceiling, Ratio: &ratio,
		PeakRSSBytes: &rss, PeakGoBytes: &goBytes,
		lookupOrder: []lookupResult{{Kind: "by_id", Latency: Latency{Count: 10, P99: 4 * time.Millisecond}},
			{Kind: "list_allocated", List: true, Latency: Latency{Count: 10, P99: 21 * time.Millisecond}}},
		InvariantsOK: false, Violations: []string{"oversold: A east (5 vs 4)"},
		Acknowledged: 6100, AcknowledgedChecked: 6100, AcknowledgedVerified: 6099,
		AcknowledgedProblems: []string{"order ord_1 (number 7) was acknowledged with 201 but does not exist"},
		Targets:              targetsFor("sqlite")}
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().writeTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"oms bench: sqlite (in-process, /tmp/x/oms.db), 32 clients, 30s measured after a 5s warm-up",
		"share this process and its 2 CPUs",
		"ratio               0.200",
		"target ≥ 0.25  MISSED",
		"latency p99         30.00 ms",
		"error: POST /v1/orders: 500 {}",
		"by id ", "≤ 5 ms met",
		"list allocated", "≤ 20 ms MISSED",
		"peak RSS (VmHWM)       300 MiB  target ≤ 250 MiB  MISSED",
		"BROKEN: 1 violations", "oversold: A east",
		"6099 of 6100 checked", "ord_1 (number 7)",
		"result: FAILED",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d has trailing spaces: %q", i+1, line)
		}
	}
}

func TestWriteJSONNullsWhatWasNotMeasured(t *testing.T) {
	r := sampleReport()
	r.CeilingTxPerSec, r.Ratio, r.PeakRSSBytes, r.PeakGoBytes = nil, nil, nil, nil
	var b bytes.Buffer
	if err := r.writeJSON(&b); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ceiling_tx_per_sec", "ratio", "peak_rss_bytes", "peak_go_bytes"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	if m["acknowledged_verified"] != 6099.0 || m["invariants_ok"] != false || m["ok"] != false {
		t.Errorf("acknowledged_verified %v, invariants_ok %v, ok %v", m["acknowledged_verified"], m["invariants_ok"], m["ok"])
	}
}
