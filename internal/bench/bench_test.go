package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/placement"
	"github.com/omshq/oms/internal/store/storetest"
)

// smokeReport holds the JSON keys the issue promises to machines.
type smokeReport struct {
	Engine              string   `json:"engine"`
	Mode                string   `json:"mode"`
	Database            string   `json:"database"`
	Clients             int      `json:"clients"`
	Duration            float64  `json:"duration"`
	OrdersPerSec        float64  `json:"orders_per_sec"`
	WALBytesPerOrder    *float64 `json:"wal_bytes_per_order"`
	WALBytesPerCommit   *float64 `json:"wal_bytes_per_commit"`
	DBCPUMSPerOrder     *float64 `json:"db_cpu_ms_per_order"`
	WriterCPUMSPerOrder *float64 `json:"writer_cpu_ms_per_order"`
	DBSessions          *struct {
		Samples int                `json:"samples"`
		Mean    map[string]float64 `json:"mean"`
	} `json:"db_sessions"`
	LatencyMS struct {
		P50, P95, P99, Max float64
	} `json:"latency_ms"`
	Accepted        int64    `json:"accepted"`
	Servers         int      `json:"servers"`
	StockHeldMS     *float64 `json:"stock_held_ms"`
	Writers         int      `json:"writers"`
	OrdersPerBatch  *float64 `json:"orders_per_batch"`
	BatchMS         *float64 `json:"batch_ms"`
	WritersBusy     *float64 `json:"writers_busy"`
	StockHeldShare  *float64 `json:"stock_held_share"`
	ByServer        []int64  `json:"accepted_by_server"`
	OutOfStock      int64    `json:"out_of_stock"`
	Errors          int64    `json:"errors"`
	ErrorSamples    []string `json:"error_samples"`
	ServerSamples   []string `json:"server_error_samples"`
	CeilingTxPerSec *float64 `json:"ceiling_tx_per_sec"`
	Ratio           *float64 `json:"ratio"`
	PeakRSSBytes    *uint64  `json:"peak_rss_bytes"`
	PeakGoBytes     *uint64  `json:"peak_go_bytes"`
	Lookups         map[string]struct {
		Count  int     `json:"count"`
		Errors int64   `json:"errors"`
		P99    float64 `json:"p99"`
	} `json:"lookups"`
	InvariantsOK         bool     `json:"invariants_ok"`
	Violations           []string `json:"violations"`
	Acknowledged         int64    `json:"acknowledged"`
	AcknowledgedChecked  int64    `json:"acknowledged_checked"`
	AcknowledgedVerified int64    `json:"acknowledged_verified"`
	AcknowledgedProblems []string `json:"acknowledged_problems"`
	OK                   bool     `json:"ok"`
}

// TestBenchSmoke runs the whole tool in-process for two seconds, with the
// baseline, on SQLite and — when OMS_TEST_POSTGRES_URL is set — PostgreSQL,
// and checks its JSON report: orders accepted, no errors, invariants intact,
// every acknowledged order found, and the temporary database gone.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the smoke test runs the load tool for several seconds")
	}
	dbs := map[string]string{"sqlite": "sqlite"}
	if u := os.Getenv(storetest.PostgresEnv); u != "" {
		dbs["postgres"] = u
	} else {
		t.Logf("PostgreSQL smoke test skipped: set %s", storetest.PostgresEnv)
	}
	for engine, db := range dbs {
		t.Run(engine, func(t *testing.T) {
			cfg := Defaults()
			cfg.DB, cfg.Clients, cfg.Duration, cfg.Warmup, cfg.Items = db, 4, 2*time.Second, 0, 50
			cfg.Baseline, cfg.JSON, cfg.Lookups, cfg.Preload, cfg.Settle = true, true, 100, 200, 0
			rep := smoke(t, cfg)
			checkInProcess(t, rep)
			if rep.Engine != engine {
				t.Errorf("engine %q, want %q", rep.Engine, engine)
			}
			// Either engine reports the log an order writes, and it writes some;
			// SQLite reports it per commit too, at least a page's frame.
			if w := rep.WALBytesPerOrder; w == nil || *w <= 0 {
				t.Errorf("WAL bytes per order %v on %s", w, engine)
			}
			if w := rep.WALBytesPerCommit; (engine == "sqlite") != (w != nil) || (w != nil && *w < 4120) {
				t.Errorf("WAL bytes per commit %v on %s", w, engine)
			}
			// Batches held the stock they reserved for some time, on either engine.
			if h := rep.StockHeldMS; h == nil || *h <= 0 {
				t.Errorf("stock held %v on %s", h, engine)
			}
			checkWriters(t, rep, map[string]int{"sqlite": 1, "postgres": placement.DefaultWriters("postgres")}[engine])
			// The order writers spent CPU on either engine.
			if c := rep.WriterCPUMSPerOrder; c == nil || *c <= 0 {
				t.Errorf("writer CPU per order %v on %s", c, engine)
			}
			// The database's CPU is PostgreSQL's alone; where the server runs on
			// this machine (as in CI) it spent some.
			if c := rep.DBCPUMSPerOrder; (engine == "sqlite" && c != nil) || (c != nil && *c <= 0) {
				t.Errorf("database CPU per order %v on %s", c, engine)
			} else if engine == "postgres" && c != nil {
				t.Logf("database CPU per order %.3f ms", *c)
			}
			// The sessions are PostgreSQL's alone: the server's pool was seen at work.
			if d := rep.DBSessions; (engine == "postgres") != (d != nil) || (d != nil && (d.Samples == 0 || sessions(d.Mean) <= 0)) {
				t.Errorf("database sessions %+v on %s", d, engine)
			}
			if gone, err := databaseGone(db, rep.Database); err != nil || !gone {
				t.Errorf("the temporary database %q is still there (%v)", rep.Database, err)
			}
		})
	}
}

// TestBenchTwoServers runs two oms servers in-process on one PostgreSQL
// database, the order clients spread across them: both place orders, and
// the invariants and every acknowledged order hold across the two, read
// back through the first.
func TestBenchTwoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("the test runs the load tool for a few seconds")
	}
	u := os.Getenv(storetest.PostgresEnv)
	if u == "" {
		t.Skipf("PostgreSQL tests skipped: set %s", storetest.PostgresEnv)
	}
	cfg := Defaults()
	cfg.DB, cfg.Servers, cfg.Clients, cfg.Duration, cfg.Warmup, cfg.Items = u, 2, 6, 2*time.Second, 0, 50
	cfg.JSON, cfg.Lookups, cfg.Settle = true, 10, 0
	rep := smoke(t, cfg)
	if rep.Servers != 2 || len(rep.ByServer) != 2 || rep.ByServer[0] <= 0 || rep.ByServer[1] <= 0 {
		t.Fatalf("servers %d, accepted by each %v: want two servers that both placed orders", rep.Servers, rep.ByServer)
	}
	if sum := rep.ByServer[0] + rep.ByServer[1]; sum != rep.Accepted {
		t.Errorf("accepted by the servers %v sum to %d, want the %d accepted", rep.ByServer, sum, rep.Accepted)
	}
	checkWriters(t, rep, 2*placement.DefaultWriters("postgres"))
}

// checkWriters checks the report's figures of the order writers, all
// servers' together: their number, and batches that placed orders, took
// time, ran no more at once than there are writers, and held stock only
// while they ran (up to a batch that straddles the run's end).
func checkWriters(t *testing.T, rep smokeReport, writers int) {
	t.Helper()
	if rep.Writers != writers {
		t.Errorf("writers %d, want %d", rep.Writers, writers)
	}
	if b := rep.OrdersPerBatch; b == nil || *b < 1 || *b > 128 {
		t.Errorf("orders per batch %v, want 1 to 128", b)
	}
	if b := rep.BatchMS; b == nil || *b <= 0 {
		t.Errorf("batch time %v ms, want some", b)
	}
	busy, held := rep.WritersBusy, rep.StockHeldShare
	if busy == nil || held == nil || *busy <= 0 || *busy > float64(writers)+0.05 || *held <= 0 || *held > *busy+0.05 {
		t.Errorf("writers busy %v of %d, stock held at once %v: want 0 < held ≤ busy ≤ writers", busy, writers, held)
	}
}

// TestBenchOverURL drives an oms over --url, preloading over HTTP too.
func TestBenchOverURL(t *testing.T) {
	if testing.Short() {
		t.Skip("the test runs the load tool for a few seconds")
	}
	ctx := context.Background()
	tgt, err := startServer(ctx, "sqlite", store.Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.close(ctx, false) })
	cfg := Defaults()
	cfg.URL, cfg.Key, cfg.Clients, cfg.Duration, cfg.Warmup, cfg.Items = tgt.base, tgt.adminKey, 3, time.Second, 200*time.Millisecond, 20
	cfg.JSON, cfg.Lookups, cfg.Preload = true, 50, 150
	rep := smoke(t, cfg)
	if rep.Mode != "url" || rep.Engine != "sqlite" || rep.CeilingTxPerSec != nil || rep.PeakRSSBytes != nil {
		t.Errorf("mode %q engine %q ceiling %v rss %v: want url, sqlite, no ceiling, no memory",
			rep.Mode, rep.Engine, rep.CeilingTxPerSec, rep.PeakRSSBytes)
	}
	if rep.Acknowledged < rep.Accepted+150 {
		t.Errorf("acknowledged %d, want the %d accepted and the 150 preloaded", rep.Acknowledged, rep.Accepted)
	}
}

// smoke runs the tool and decodes its report, checking what must hold of
// any run.
func smoke(t *testing.T, cfg Config) smokeReport {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), cfg, &stdout, &stderr); err != nil {
		t.Fatalf("Run: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	if stderr.Len() > 0 {
		t.Errorf("with --json stderr should stay quiet, got:\n%s", &stderr)
	}
	var rep smokeReport
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("stdout holds more than one JSON object")
	}
	checkSmoke(t, cfg, rep)
	return rep
}

func checkSmoke(t *testing.T, cfg Config, rep smokeReport) {
	t.Helper()
	if rep.Accepted <= 0 || rep.OrdersPerSec <= 0 {
		t.Errorf("accepted %d at %.1f orders/s: want orders", rep.Accepted, rep.OrdersPerSec)
	}
	if rep.Errors != 0 {
		t.Errorf("%d errors: %q, server: %q", rep.Errors, rep.ErrorSamples, rep.ServerSamples)
	}
	if !rep.InvariantsOK || len(rep.Violations) > 0 {
		t.Errorf("invariants broken: %q", rep.Violations)
	}
	if rep.Acknowledged < rep.Accepted || rep.AcknowledgedChecked != rep.Acknowledged ||
		rep.AcknowledgedVerified != rep.AcknowledgedChecked {
		t.Errorf("acknowledged %d (accepted %d), checked %d, verified %d: %q", rep.Acknowledged, rep.Accepted,
			rep.AcknowledgedChecked, rep.AcknowledgedVerified, rep.AcknowledgedProblems)
	}
	if !rep.OK {
		t.Error("report not ok")
	}
	if rep.Clients != cfg.Clients || rep.Duration != cfg.Duration.Seconds() {
		t.Errorf("clients %d, duration %v: not what was asked", rep.Clients, rep.Duration)
	}
	l := rep.LatencyMS
	if !(0 < l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency percentiles out of order: %+v", l)
	}
	for _, k := range lookupKinds {
		got, ok := rep.Lookups[k.Name]
		if !ok || got.Count != k.requests(cfg.Lookups) || got.Errors != 0 || got.P99 <= 0 {
			t.Errorf("lookups %s: %+v (present %v), want %d requests without errors", k.Name, got, ok, k.requests(cfg.Lookups))
		}
	}
}

// checkInProcess checks what an in-process run with --baseline adds.
func checkInProcess(t *testing.T, rep smokeReport) {
	t.Helper()
	if rep.Mode != "in-process" {
		t.Errorf("mode %q", rep.Mode)
	}
	if rep.CeilingTxPerSec == nil || *rep.CeilingTxPerSec <= 0 || rep.Ratio == nil {
		t.Fatalf("no baseline: ceiling %v, ratio %v", rep.CeilingTxPerSec, rep.Ratio)
	}
	if want := rep.OrdersPerSec / *rep.CeilingTxPerSec; math.Abs(*rep.Ratio-want) > 1e-9 {
		t.Errorf("ratio %v, want orders/s ÷ ceiling = %v", *rep.Ratio, want)
	}
	if rep.PeakRSSBytes == nil || *rep.PeakRSSBytes < 1<<20 || rep.PeakGoBytes == nil || *rep.PeakGoBytes < 1<<20 {
		t.Errorf("peak memory not measured: rss %v, go %v", rep.PeakRSSBytes, rep.PeakGoBytes)
	}
}

// databaseGone reports whether the run's temporary database was removed.
func databaseGone(db, where string) (bool, error) {
	schema, ok := strings.CutPrefix(where, "schema ")
	if !ok {
		_, err := os.Stat(where)
		return errors.Is(err, os.ErrNotExist), nil
	}
	conn, err := sql.Open("pgx", db)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var n int
	err = conn.QueryRow("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1", schema).Scan(&n)
	return n == 0, err
}

// sessions is the mean number of sessions over every state.
func sessions(mean map[string]float64) float64 {
	var n float64
	for _, m := range mean {
		n += m
	}
	return n
}
