package bench

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is every figure of a run; with --json it is printed as one object.
// Durations are in seconds and latencies in milliseconds; a figure the run
// did not measure is null.
type Report struct {
	Engine        string  `json:"engine"`
	Mode          string  `json:"mode"`               // "in-process" or "url"
	Database      string  `json:"database,omitempty"` // in-process: the temporary file or schema
	CPUs          int     `json:"cpus"`               // shared by the server and the load generator in-process
	Clients       int     `json:"clients"`
	LookupClients int     `json:"lookup_clients"`
	Duration      float64 `json:"duration"`
	Warmup        float64 `json:"warmup"`
	Items         int     `json:"items"`
	Seed          uint64  `json:"seed"`

	SetupSeconds  float64  `json:"setup_seconds"`
	Preloaded     int64    `json:"preloaded"`
	PreloadPerSec *float64 `json:"preload_per_sec"`
	PreloadErrors int64    `json:"preload_errors"`

	MeasuredSeconds float64   `json:"measured_seconds"`
	OrdersPerSec    float64   `json:"orders_per_sec"` // accepted orders per second
	RequestsPerSec  float64   `json:"requests_per_sec"`
	LatencyMS       msLatency `json:"latency_ms"`
	Accepted        int64     `json:"accepted"`
	OutOfStock      int64     `json:"out_of_stock"`
	Duplicates      int64     `json:"duplicates"`
	Errors          int64     `json:"errors"`
	WarmupAccepted  int64     `json:"warmup_accepted"`
	// Servers is how many oms servers the orders were placed on (--servers;
	// 1 over --url), AcceptedByServer the orders each one accepted, warm-up
	// included.
	Servers          int      `json:"servers"`
	AcceptedByServer []int64  `json:"accepted_by_server"`
	WarmupErrors     int64    `json:"warmup_errors"`
	ErrorSamples     []string `json:"error_samples"`
	ServerErrors     int      `json:"server_errors"` // in-process: errors the server logged
	ServerSamples    []string `json:"server_error_samples"`

	// Webhooks is how many local receivers were subscribed to every event
	// (-1: no dispatcher ran); WebhookDeliveriesPerSec is the deliveries
	// they received per second while the orders were placed (warm-up
	// included), WebhookLagSeconds how long the rest took to arrive after.
	Webhooks                int      `json:"webhooks"`
	WebhookDeliveriesPerSec *float64 `json:"webhook_deliveries_per_sec"`
	WebhookLagSeconds       *float64 `json:"webhook_lag_seconds"`

	CeilingTxPerSec *float64 `json:"ceiling_tx_per_sec"`
	Ratio           *float64 `json:"ratio"` // orders_per_sec ÷ ceiling_tx_per_sec
	// In-process: write-ahead log bytes written during the order run
	// (warm-up included, the server's background work too) per order it
	// accepted. On PostgreSQL the log is the database server's: other work
	// on it counts; on SQLite it is what the process's writers wrote (none
	// counted with OMS_SQLITE_SYNC=normal).
	WALBytesPerOrder *float64 `json:"wal_bytes_per_order"`
	// SQLite in-process: the log written during the run per commit of the
	// database's writers (4,120 bytes a page: its frame's header and the page).
	WALBytesPerCommit *float64 `json:"wal_bytes_per_commit"`
	// PostgreSQL in-process: what the database's client sessions were
	// doing while the orders were placed (warm-up included), sampled from
	// pg_stat_activity every 100 ms. The sessions are the database's:
	// other work on it counts.
	DBSessions *DBSessions `json:"db_sessions"`
	// PostgreSQL in-process, the server on this machine: the CPU time of
	// the server's processes that work for the bench's database (its
	// sessions, and the WAL writer, checkpointer and other background
	// processes, which serve every database), from /proc, over the order
	// run, per order accepted.
	DBCPUMSPerOrder *float64 `json:"db_cpu_ms_per_order"`
	// In-process: the CPU time of the order writers' goroutines (and of the
	// goroutines their batches start) over the order run, per order
	// accepted, from a CPU profile of the run; absent with --cpuprofile,
	// which holds the profiler.
	WriterCPUMSPerOrder *float64 `json:"writer_cpu_ms_per_order"`
	// In-process: how long an order batch of the run (warm-up included)
	// held the stock it reserved, from its reservation to its commit, on
	// average (oms_writer_stock_held_seconds). On PostgreSQL, other
	// batches that want the same stock wait that long for its rows.
	StockHeldMS *float64 `json:"stock_held_ms"`
	// In-process: the order writers over the same span, all servers
	// together, from their instruments (oms_writer_batch_orders,
	// oms_writer_batch_seconds, oms_writer_stock_held_seconds). Writers is
	// how many batches may run at once; OrdersPerBatch and BatchMS a
	// batch's mean orders and time; WritersBusy the mean number of batches
	// running at once (the time they took ÷ the span's) and StockHeldShare
	// the mean number holding reserved stock at once. Busy writers near
	// their number say the orders wait for the writers; on PostgreSQL a
	// batch that wants balance rows another batch holds waits for its
	// commit, so a share near 1 says the batches wait on each other.
	Writers        int      `json:"writers"`
	OrdersPerBatch *float64 `json:"orders_per_batch"`
	BatchMS        *float64 `json:"batch_ms"`
	WritersBusy    *float64 `json:"writers_busy"`
	StockHeldShare *float64 `json:"stock_held_share"`

	PeakRSSBytes *uint64 `json:"peak_rss_bytes"` // in-process: VmHWM of the whole process
	PeakGoBytes  *uint64 `json:"peak_go_bytes"`  // in-process: peak of /memory/classes/total:bytes

	Lookups     map[string]msLatency `json:"lookups"`
	lookupOrder []lookupResult

	InvariantsOK         bool     `json:"invariants_ok"`
	CheckedOrders        int      `json:"checked_orders"`
	CheckedLines         int      `json:"checked_lines"`
	CheckedBalances      int      `json:"checked_balances"`
	Violations           []string `json:"violations"`
	Acknowledged         int64    `json:"acknowledged"`          // orders oms said it created (preload included)
	AcknowledgedChecked  int      `json:"acknowledged_checked"`  // of them, fetched and compared
	AcknowledgedVerified int      `json:"acknowledged_verified"` // of them, found as acknowledged
	AcknowledgedProblems []string `json:"acknowledged_problems"`

	Targets Targets `json:"targets"`
	OK      bool    `json:"ok"` // invariants hold and every checked acknowledged order was found intact
}

// msLatency is a Latency in milliseconds.
type msLatency struct {
	Count  int     `json:"count"`
	Errors int64   `json:"errors,omitempty"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	Max    float64 `json:"max"`
}

func toMS(l Latency) msLatency {
	f := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return msLatency{Count: l.Count, P50: f(l.P50), P95: f(l.P95), P99: f(l.P99), Max: f(l.Max)}
}

// Targets are the figures the issue aims for. They are printed beside the
// results, not asserted.
type Targets struct {
	MinRatio    float64 `json:"min_ratio"`
	P99MS       float64 `json:"p99_ms"`
	MemoryBytes uint64  `json:"memory_bytes"`
	LookupP99MS float64 `json:"lookup_p99_ms"`
	ListP99MS   float64 `json:"list_p99_ms"`
	SearchP99MS float64 `json:"search_p99_ms"`
	ReportP99MS float64 `json:"report_p99_ms"`
}

// targetsFor returns the targets on the engine.
func targetsFor(engine string) Targets {
	t := Targets{MinRatio: 0.25, P99MS: 25, MemoryBytes: 250 << 20, LookupP99MS: 5, ListP99MS: 20, SearchP99MS: 50, ReportP99MS: 200}
	if engine == "postgres" {
		t.MinRatio, t.P99MS = 0.5, 50
	}
	return t
}

// writeJSON prints the report as one JSON object.
func (r *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// writeTable prints the report for a person: each figure beside its target.
func (r *Report) writeTable(w io.Writer) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }
	where := r.Mode
	if r.Database != "" {
		where += ", " + r.Database
	}
	p("oms bench: %s (%s), %d clients, %s measured after a %s warm-up, %d items, seed %d",
		r.Engine, where, r.Clients, secs(r.Duration), secs(r.Warmup), r.Items, r.Seed)
	if r.Mode == "in-process" {
		p("the server and the load generator share this process and its %d CPUs", r.CPUs)
	}
	p("")
	r.tableOrders(p)
	r.tableLookups(p)
	r.tableMemory(p)
	r.tableVerification(p)
	if err := tw.Flush(); err != nil {
		return err
	}
	// Padding of the last column leaves trailing spaces; drop them.
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func (r *Report) tableOrders(p func(string, ...any)) {
	t := r.Targets
	p("order placement (%s measured)", secs(r.MeasuredSeconds))
	p("  orders/s\t%.1f\t", r.OrdersPerSec)
	if r.Servers > 1 {
		p("  servers\t%d\tin this process, on one database; orders accepted by each (warm-up included): %s", r.Servers, joinInts(r.AcceptedByServer))
	}
	if r.WebhookDeliveriesPerSec != nil {
		p("  webhook deliveries/s\t%.1f\t%d local receivers subscribed to every event; the rest arrived %.1f s after", *r.WebhookDeliveriesPerSec, r.Webhooks, *r.WebhookLagSeconds)
	}
	if r.CeilingTxPerSec != nil {
		p("  database ceiling\t%.1f tx/s\tfresh database, same engine and settings, %d clients", *r.CeilingTxPerSec, r.Clients)
		p("  ratio\t%.3f\ttarget ≥ %.2f\t%s", *r.Ratio, t.MinRatio, mark(*r.Ratio >= t.MinRatio))
	} else {
		p("  ratio\t–\ttarget ≥ %.2f × the ceiling that --baseline measures", t.MinRatio)
	}
	if r.WALBytesPerOrder != nil {
		p("  WAL per order\t%.0f bytes\twrite-ahead log written during the run ÷ orders accepted", *r.WALBytesPerOrder)
	}
	if r.WALBytesPerCommit != nil {
		p("  WAL per commit\t%.0f bytes\t%.1f pages of 4 KiB a commit of the writers", *r.WALBytesPerCommit, *r.WALBytesPerCommit/4120)
	}
	if r.OrdersPerBatch != nil && r.BatchMS != nil {
		p("  batches\t%.1f orders, %.2f ms\ta writer batch's mean orders and time, from its start to its commit", *r.OrdersPerBatch, *r.BatchMS)
	}
	if r.WritersBusy != nil {
		p("  writers busy\t%.2f of %d\tmean batches running at once: their time ÷ the run's", *r.WritersBusy, r.Writers)
	}
	if r.StockHeldMS != nil {
		p("  stock held\t%.2f ms\ta batch's mean time from its reservation to its commit", *r.StockHeldMS)
	}
	if r.StockHeldShare != nil {
		p("  stock held at once\t%.2f\tmean batches holding reserved stock at once: their time holding it ÷ the run's", *r.StockHeldShare)
	}
	if d := r.DBSessions; d != nil {
		p("  database sessions\t%s\tmean sessions in each state and wait, %d samples of pg_stat_activity", d.top(5), d.Samples)
	}
	if c := r.WriterCPUMSPerOrder; c != nil {
		p("  writer CPU\t%.3f ms\tthe order writers' CPU per order accepted, from a CPU profile of the run", *c)
	}
	if c := r.DBCPUMSPerOrder; c != nil {
		p("  database CPU\t%.3f ms\tthe PostgreSQL server's CPU per order accepted, from /proc", *c)
	}
	p("  latency p50\t%.2f ms\t", r.LatencyMS.P50)
	p("  latency p95\t%.2f ms\t", r.LatencyMS.P95)
	p("  latency p99\t%.2f ms\ttarget ≤ %.0f ms\t%s", r.LatencyMS.P99, t.P99MS, mark(r.LatencyMS.P99 <= t.P99MS))
	p("  latency max\t%.2f ms\t", r.LatencyMS.Max)
	p("  accepted (201)\t%d\t", r.Accepted)
	p("  out of stock (409)\t%d\t", r.OutOfStock)
	p("  duplicates (200)\t%d\t", r.Duplicates)
	p("  errors\t%d\t", r.Errors)
	if r.WarmupErrors > 0 {
		p("  errors in warm-up\t%d\t", r.WarmupErrors)
	}
	if r.Preloaded > 0 || r.PreloadErrors > 0 {
		p("  preloaded\t%d\tat %.0f orders/s, %d errors", r.Preloaded, deref(r.PreloadPerSec), r.PreloadErrors)
	}
	for _, s := range r.ErrorSamples {
		p("    error: %s", s)
	}
	if r.ServerErrors > 0 {
		p("  server errors logged\t%d\t", r.ServerErrors)
		for _, s := range r.ServerSamples {
			p("    server: %s", s)
		}
	}
	p("")
}

func (r *Report) tableLookups(p func(string, ...any)) {
	if len(r.lookupOrder) == 0 {
		return
	}
	p("lookups (%d clients)\tcount\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\ttarget p99", r.LookupClients)
	for _, l := range r.lookupOrder {
		m, target := toMS(l.Latency), r.Targets.LookupP99MS
		if l.List {
			target = r.Targets.ListP99MS
		}
		if l.Search {
			target = r.Targets.SearchP99MS
		}
		if l.Report {
			target = r.Targets.ReportP99MS
		}
		p("  %s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t≤ %.0f ms %s", strings.ReplaceAll(l.Kind, "_", " "), m.Count,
			m.P50, m.P95, m.P99, m.Max, l.Errors, target, mark(m.P99 <= target))
	}
	for _, l := range r.lookupOrder {
		for _, s := range l.Failures {
			p("    error: %s", s)
		}
	}
	p("")
}

func (r *Report) tableMemory(p func(string, ...any)) {
	if r.PeakRSSBytes == nil && r.PeakGoBytes == nil {
		return
	}
	limit := r.Targets.MemoryBytes
	p("memory of the whole process: the server and the load generator together")
	if r.PeakRSSBytes != nil {
		p("  peak RSS (VmHWM)\t%s\ttarget ≤ %s\t%s", mib(*r.PeakRSSBytes), mib(limit), mark(*r.PeakRSSBytes <= limit))
	}
	if r.PeakGoBytes != nil {
		p("  peak Go runtime total\t%s\ttarget ≤ %s\t%s", mib(*r.PeakGoBytes), mib(limit), mark(*r.PeakGoBytes <= limit))
	}
	p("")
}

func (r *Report) tableVerification(p func(string, ...any)) {
	p("verification")
	if r.InvariantsOK {
		p("  invariants\tok over %d orders, %d lines, %d balances", r.CheckedOrders, r.CheckedLines, r.CheckedBalances)
	} else {
		p("  invariants\tBROKEN: %d violations", len(r.Violations))
		for _, v := range r.Violations[:min(len(r.Violations), maxProblems)] {
			p("    %s", v)
		}
	}
	note := ""
	if r.AcknowledgedChecked < int(r.Acknowledged) {
		note = fmt.Sprintf(" (all of the run's, a sample of the %d preloaded)", r.Preloaded)
	}
	p("  acknowledged orders\t%d of %d checked%s found with the lines and allocations their answer showed",
		r.AcknowledgedVerified, r.AcknowledgedChecked, note)
	for _, v := range r.AcknowledgedProblems {
		p("    %s", v)
	}
	p("")
	if r.OK {
		p("result: OK")
	} else {
		p("result: FAILED")
	}
}

func mark(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

func mib(b uint64) string {
	if b%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func secs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// DBSessions is what a database's client sessions were doing over a run:
// the mean number of sessions, per sample, in each state and wait
// ("active", "idle in transaction", "active · Lock/transactionid" …).
type DBSessions struct {
	Samples int                `json:"samples"`
	Mean    map[string]float64 `json:"mean"`
}

// top lists the n states with the most sessions, most first.
func (d *DBSessions) top(n int) string {
	states := slices.Collect(maps.Keys(d.Mean))
	slices.SortFunc(states, func(a, b string) int {
		return cmp.Or(cmp.Compare(d.Mean[b], d.Mean[a]), cmp.Compare(a, b))
	})
	parts := make([]string, 0, n)
	for _, st := range states[:min(n, len(states))] {
		parts = append(parts, fmt.Sprintf("%s %.1f", st, d.Mean[st]))
	}
	return strings.Join(parts, ", ")
}

// joinInts lists the numbers, comma-separated.
func joinInts(ns []int64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, ", ")
}
