package bench

import (
	"context"
	"fmt"
	"github.com/omshq/oms/internal/progress"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// lookupKind is one kind of read a person or an integration makes.
type lookupKind struct {
	Name    string
	list    bool // a list page, which has its own target
	search  bool // the search box, which has its own target and asks with a key that may search
	contact bool // asks by the customer's contact details: with a key that may read customers
	report  bool // a report over a year, which has its own target and asks with a key that may read reports
	tracked bool // asks about shipped orders only
	path    func(r *rand.Rand, refs []ack) string
}

var lookupKinds = []lookupKind{
	{Name: "by_id", path: func(r *rand.Rand, refs []ack) string { return "/v1/orders/" + pick(r, refs).ID }},
	{Name: "by_number", path: func(r *rand.Rand, refs []ack) string { return "/v1/orders/" + pick(r, refs).Number }},
	{Name: "by_email", contact: true, path: func(r *rand.Rand, refs []ack) string {
		return "/v1/orders?q=" + url.QueryEscape(pick(r, refs).Email)
	}},
	{Name: "list_allocated", list: true, path: func(*rand.Rand, []ack) string {
		return "/v1/orders?status=allocated&limit=50"
	}},
	{Name: "search_number", search: true, path: func(r *rand.Rand, refs []ack) string { return searchPath(pick(r, refs).Number) }},
	{Name: "search_email", search: true, path: func(r *rand.Rand, refs []ack) string { return searchPath(pick(r, refs).Email) }},
	{Name: "search_name", search: true, path: func(r *rand.Rand, refs []ack) string { return searchPath(pick(r, refs).Name) }},
	{Name: "search_name_prefix", search: true, path: func(r *rand.Rand, refs []ack) string {
		n := pick(r, refs).Name // "Olivia Johnson" typed as far as "Olivia Johns"
		return searchPath(n[:len(n)-2])
	}},
	{Name: "search_tracking", search: true, tracked: true, path: func(r *rand.Rand, refs []ack) string {
		return searchPath(pick(r, refs).Tracking)
	}},
	{Name: "report_inventory", report: true, path: func(*rand.Rand, []ack) string { return "/v1/reports/inventory" }},
	{Name: "report_inventory_past", report: true, path: func(*rand.Rand, []ack) string {
		return "/v1/reports/inventory?at=" + daysAgo(30) + "T12:00:00Z"
	}},
	{Name: "report_turnover_year", report: true, path: func(*rand.Rand, []ack) string {
		return "/v1/reports/turnover?from=" + daysAgo(364) + "&to=" + daysAgo(0)
	}},
	{Name: "report_stockouts_year", report: true, path: func(*rand.Rand, []ack) string {
		return "/v1/reports/stockouts?period=month&from=" + daysAgo(364) + "&to=" + daysAgo(0)
	}},
	{Name: "report_sales_by_channel", report: true, path: func(*rand.Rand, []ack) string { return reportPath("sales", "month", "channel") }},
	{Name: "report_sales_by_sku", report: true, path: func(*rand.Rand, []ack) string { return reportPath("sales", "month", "sku") }},
	{Name: "report_sales_weekly", report: true, path: func(*rand.Rand, []ack) string { return reportPath("sales", "week", "") }},
	{Name: "report_margin_by_sku", report: true, path: func(*rand.Rand, []ack) string { return reportPath("margin", "month", "sku") }},
	{Name: "report_fulfillment_by_location", report: true, path: func(*rand.Rand, []ack) string {
		return reportPath("fulfillment", "month", "location")
	}},
	{Name: "report_returns_by_reason", report: true, path: func(*rand.Rand, []ack) string { return reportPath("returns", "month", "reason") }},
}

// requests is how many requests of the kind a run of n lookups makes: a
// report over a year is a heavier read, asked a twentieth as often.
func (k lookupKind) requests(n int) int {
	if k.report {
		return max(10, n/20)
	}
	return n
}

// reportPath asks for a report over the year to today.
func reportPath(name, period, by string) string {
	now := time.Now().UTC()
	q := url.Values{"from": {now.AddDate(-1, 0, 1).Format(time.DateOnly)}, "to": {now.Format(time.DateOnly)}, "period": {period}}
	if by != "" {
		q.Set("by", by)
	}
	return "/v1/reports/" + name + "?" + q.Encode()
}

// daysAgo is the UTC day n days before today.
func daysAgo(n int) string { return time.Now().UTC().AddDate(0, 0, -n).Format(time.DateOnly) }

func searchPath(q string) string { return "/v1/search?q=" + url.QueryEscape(q) }

func pick(r *rand.Rand, refs []ack) ack { return refs[r.IntN(len(refs))] }

// lookupResult is the latency of one kind of lookup.
type lookupResult struct {
	Kind     string
	List     bool // a list page rather than one order
	Search   bool // the search box
	Report   bool // a report
	Errors   int64
	Latency  Latency
	Failures []string
}

// lookups runs n requests of each kind, one kind after another, from
// cfg.LookupClients workers, against orders picked at random from refs (the
// shipped ones for a kind about tracking, which is left out when none
// shipped); every answer must be 200. Searches, reports and lookups by the
// customer's contact details ask with searchKey.
func lookups(ctx context.Context, c *client, key, searchKey string, refs []ack, cfg *Config,
	mode progress.Mode, stderr io.Writer) ([]lookupResult, error) {
	var out []lookupResult
	var tracked []ack
	for _, a := range refs {
		if a.Tracking != "" {
			tracked = append(tracked, a)
		}
	}
	for _, k := range lookupKinds {
		key, refs := key, refs
		if k.search || k.report || k.contact {
			key = searchKey
		}
		if k.tracked {
			if refs = tracked; len(refs) == 0 {
				continue
			}
		}
		r, err := lookup(ctx, c, key, k, refs, cfg, mode, stderr)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func lookup(ctx context.Context, c *client, key string, k lookupKind, refs []ack, cfg *Config,
	mode progress.Mode, stderr io.Writer) (lookupResult, error) {
	n := k.requests(cfg.Lookups)
	lats := make([][]time.Duration, cfg.LookupClients)
	rs := make([]*rand.Rand, cfg.LookupClients)
	for w := range rs {
		rs[w] = rand.New(rand.NewPCG(cfg.Seed, uint64(1000_000+w)))
	}
	var done, errs atomic.Int64
	var failures samples
	p := progress.New(mode, stderr, "lookups "+k.Name, "", int64(n))
	stop := progress.Ticker(time.Second, func() { p.Set(done.Load(), fmt.Sprintf("%d errors", errs.Load())) })
	err := forEach(ctx, cfg.LookupClients, n, func(ctx context.Context, w, _ int) error {
		path := k.path(rs[w], refs)
		t0 := time.Now()
		status, body, err := c.do(ctx, "GET", path, key, nil)
		lats[w] = append(lats[w], time.Since(t0))
		done.Add(1)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || status != http.StatusOK {
			errs.Add(1)
			failures.add("%s", failure("GET "+path, status, body, err))
		}
		return nil
	})
	stop()
	p.Finish()
	return lookupResult{Kind: k.Name, List: k.list, Search: k.search, Report: k.report, Errors: errs.Load(), Latency: Summarize(merge(lats)), Failures: failures.get()}, err
}
