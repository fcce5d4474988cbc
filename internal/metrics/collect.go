package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterDB adds the gauges and counters of a connection pool, read from
// stats at each scrape, with the label db_name=name. The names are those of
// client_golang's DBStatsCollector (go_sql_open_connections, go_sql_in_use_
// connections, go_sql_wait_duration_seconds_total …), so dashboards made for
// it work; stats may convert another pool's figures (pgxpool.Stat) into a
// sql.DBStats. It fails when a pool of that name is registered already.
func (m *Metrics) RegisterDB(name string, stats func() sql.DBStats) error {
	if m == nil {
		return nil
	}
	if err := m.reg.Register(newDBCollector(name, stats)); err != nil {
		return fmt.Errorf("metrics: database pool %s: %w", name, err)
	}
	return nil
}

// dbCollector reports one pool's sql.DBStats.
type dbCollector struct {
	stats func() sql.DBStats
	descs []*prometheus.Desc
}

// dbMetrics name the figures of sql.DBStats in the order values returns them.
var dbMetrics = []struct {
	name, help string
	kind       prometheus.ValueType
}{
	{"go_sql_max_open_connections", "Maximum number of open connections to the database.", prometheus.GaugeValue},
	{"go_sql_open_connections", "The number of established connections both in use and idle.", prometheus.GaugeValue},
	{"go_sql_in_use_connections", "The number of connections currently in use.", prometheus.GaugeValue},
	{"go_sql_idle_connections", "The number of idle connections.", prometheus.GaugeValue},
	{"go_sql_wait_count_total", "The total number of connections waited for.", prometheus.CounterValue},
	{"go_sql_wait_duration_seconds_total", "The total time blocked waiting for a new connection.", prometheus.CounterValue},
	{"go_sql_max_idle_closed_total", "The total number of connections closed due to SetMaxIdleConns.", prometheus.CounterValue},
	{"go_sql_max_idle_time_closed_total", "The total number of connections closed due to SetConnMaxIdleTime.", prometheus.CounterValue},
	{"go_sql_max_lifetime_closed_total", "The total number of connections closed due to SetConnMaxLifetime.", prometheus.CounterValue},
}

func newDBCollector(name string, stats func() sql.DBStats) *dbCollector {
	c := &dbCollector{stats: stats}
	for _, d := range dbMetrics {
		c.descs = append(c.descs, prometheus.NewDesc(d.name, d.help, nil, prometheus.Labels{"db_name": name}))
	}
	return c
}

// values are the figures of s in dbMetrics' order.
func values(s sql.DBStats) []float64 {
	return []float64{
		float64(s.MaxOpenConnections), float64(s.OpenConnections), float64(s.InUse), float64(s.Idle),
		float64(s.WaitCount), s.WaitDuration.Seconds(),
		float64(s.MaxIdleClosed), float64(s.MaxIdleTimeClosed), float64(s.MaxLifetimeClosed),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	for i, v := range values(c.stats()) {
		ch <- prometheus.MustNewConstMetric(c.descs[i], dbMetrics[i].kind, v)
	}
}

// QueueStat is the state of one durable job queue at a scrape.
type QueueStat struct {
	// Queue names the queue (or the job kind, where there is one queue).
	Queue string
	// Depth is how many jobs wait to run: available, scheduled, retrying.
	Depth int
	// OldestAge is how long the oldest of them has been due; 0 when none is.
	OldestAge time.Duration
}

// RegisterJobQueues adds oms_job_queue_depth and
// oms_job_queue_oldest_age_seconds, by queue, read from stats at each scrape
// under the scrape timeout. When stats fails the scrape leaves them out and
// logs why. It fails when job queues are registered already.
func (m *Metrics) RegisterJobQueues(stats func(context.Context) ([]QueueStat, error)) error {
	if m == nil {
		return nil
	}
	c := &queueCollector{
		stats:   stats,
		timeout: m.timeout,
		depth: prometheus.NewDesc("oms_job_queue_depth",
			"Jobs waiting to run (available, scheduled, retrying), by queue.", []string{"queue"}, nil),
		age: prometheus.NewDesc("oms_job_queue_oldest_age_seconds",
			"How long the oldest waiting job has been due, by queue.", []string{"queue"}, nil),
	}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: job queues: %w", err)
	}
	return nil
}

type queueCollector struct {
	stats      func(context.Context) ([]QueueStat, error)
	timeout    time.Duration
	depth, age *prometheus.Desc
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.age
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	qs, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, fmt.Errorf("job queue stats: %w", err))
		return
	}
	for _, q := range qs {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(q.Depth), q.Queue)
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, q.OldestAge.Seconds(), q.Queue)
	}
}

// RegisterFoldLag adds oms_rollup_fold_lag_seconds: how far the report
// rollups are behind the changes they fold (the age of the oldest change
// not yet folded; 0 when none waits), read from lag at each scrape under
// the scrape timeout. When lag fails the scrape leaves it out and logs
// why. It fails when a fold lag is registered already.
func (m *Metrics) RegisterFoldLag(lag func(context.Context) (time.Duration, error)) error {
	if m == nil {
		return nil
	}
	desc := prometheus.NewDesc("oms_rollup_fold_lag_seconds",
		"Age of the oldest change the report rollups have not folded yet.", nil, nil)
	c := &funcCollector{desc: desc, timeout: m.timeout, value: func(ctx context.Context) (float64, error) {
		d, err := lag(ctx)
		return d.Seconds(), err
	}}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: fold lag: %w", err)
	}
	return nil
}

// funcCollector reports one gauge read from a function at each scrape.
type funcCollector struct {
	desc    *prometheus.Desc
	timeout time.Duration
	value   func(context.Context) (float64, error)
}

func (c *funcCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *funcCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	v, err := c.value(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v)
}

// RegisterSQLiteLog adds the bytes the SQLite writers wrote to the
// write-ahead log and the log's syncs (one a commit), read at each scrape
// from written; nothing when written says it does not count (PostgreSQL,
// or SQLite with synchronous=NORMAL).
func (m *Metrics) RegisterSQLiteLog(written func() (bytes, syncs int64, ok bool)) error {
	if m == nil {
		return nil
	}
	if _, _, ok := written(); !ok {
		return nil
	}
	for _, c := range []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "oms_sqlite_wal_bytes_total",
			Help: "Bytes the SQLite writers wrote to the write-ahead log: whole pages, each with a 24-byte frame header."},
			func() float64 { b, _, _ := written(); return float64(b) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "oms_sqlite_wal_syncs_total",
			Help: "Syncs of the SQLite write-ahead log: one a commit of the writers, and one each time the log starts again."},
			func() float64 { _, s, _ := written(); return float64(s) }),
	} {
		if err := m.reg.Register(c); err != nil {
			return fmt.Errorf("metrics: sqlite log: %w", err)
		}
	}
	return nil
}
