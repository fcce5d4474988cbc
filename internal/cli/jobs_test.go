package cli

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// The server's wiring: the job queue starts in the background and reports
// ready, and a scrape shows the pools, the job queue and the fold lag.
func TestJobsAndMetricsWiring(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		j := startJobs(ctx, db, slog.New(slog.DiscardHandler), outbox.NewDeliverer(db, outbox.DispatcherOptions{}))
		defer func() {
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := j.stopJobs(stop); err != nil {
				t.Error(err)
			}
		}()
		for end := time.Now().Add(60 * time.Second); j.ready(ctx) != nil; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("not ready: %v (start: %v)", j.ready(ctx), j.err)
			}
		}
		m := metrics.New(metrics.Options{})
		if err := registerMetrics(m, db, j); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		pool := `go_sql_open_connections{db_name="postgres"}`
		if e.Name == "sqlite" {
			pool = `go_sql_open_connections{db_name="write"}`
		}
		for _, want := range []string{pool, `oms_job_queue_depth{queue="default"} `, `oms_job_queue_oldest_age_seconds{queue="default"} `,
			"oms_rollup_fold_lag_seconds "} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("the scrape lacks %s", want)
			}
		}
		// SQLite's writers count what they write to the log (the migrations
		// wrote some); PostgreSQL's log is the server's, not counted here.
		if got := strings.Contains(rec.Body.String(), "\noms_sqlite_wal_bytes_total "); got != (e.Name == "sqlite") ||
			strings.Contains(rec.Body.String(), "\noms_sqlite_wal_bytes_total 0\n") {
			t.Errorf("oms_sqlite_wal_bytes_total on %s: shown %v", e.Name, got)
		}
	})
}
