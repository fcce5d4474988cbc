package metrics

import (
	"cmp"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultScrapeTimeout bounds each function a registered collector calls
// during a scrape (job queue stats, fold lag).
const DefaultScrapeTimeout = 5 * time.Second

// Options configure New. The zero value is ready to use.
type Options struct {
	// Logger receives scrape errors; nil logs nothing.
	Logger *slog.Logger
	// ScrapeTimeout bounds the functions collectors call (default 5 s).
	ScrapeTimeout time.Duration
}

// Metrics holds the server's instruments and the registry they are in. Its
// methods are safe for concurrent use, and a nil *Metrics records nothing, so
// a part of the server built without metrics (a test) may hold nil.
type Metrics struct {
	reg     *prometheus.Registry
	handler http.Handler
	log     *slog.Logger
	timeout time.Duration

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	ordersPlaced    *prometheus.CounterVec
	ordersRefused   *prometheus.CounterVec
	reservations    *prometheus.CounterVec
	reservedUnits   prometheus.Counter
	batchOrders     prometheus.Histogram
	batchWait       prometheus.Histogram
	batchTime       prometheus.Histogram
	stockHeld       prometheus.Histogram
	deliveries      *prometheus.CounterVec
	deliveryTime    *prometheus.HistogramVec
	streamPublished prometheus.Counter
	streamFailures  prometheus.Counter
}

// New builds a registry of its own (never the global one) holding the Go
// runtime and process collectors and every instrument of Metrics.
func New(opt Options) *Metrics {
	m := &Metrics{
		reg:     prometheus.NewRegistry(),
		log:     cmp.Or(opt.Logger, slog.New(slog.DiscardHandler)),
		timeout: cmp.Or(opt.ScrapeTimeout, DefaultScrapeTimeout),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.newInstruments()
	m.handler = promhttp.InstrumentMetricHandler(m.reg, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError, // one failing collector leaves the rest served
		Registry:      m.reg,
	}))
	return m
}

// newInstruments creates and registers the instruments.
func (m *Metrics) newInstruments() {
	f := promauto.With(m.reg)
	m.requests = f.NewCounterVec(prometheus.CounterOpts{Name: "oms_http_requests_total",
		Help: "HTTP requests served, by route pattern (\"unmatched\" when none matched), method and status code."},
		[]string{"route", "method", "code"})
	m.requestDuration = f.NewHistogramVec(prometheus.HistogramOpts{Name: "oms_http_request_duration_seconds",
		Help: "Time to serve an HTTP request, by route pattern and method."}, []string{"route", "method"})
	m.ordersPlaced = f.NewCounterVec(prometheus.CounterOpts{Name: "oms_orders_placed_total",
		Help: "Orders placed, by channel."}, []string{"channel"})
	m.ordersRefused = f.NewCounterVec(prometheus.CounterOpts{Name: "oms_orders_refused_total",
		Help: "Orders refused, by the error code of the refusal (out_of_stock, invalid, …)."}, []string{"reason"})
	m.reservations = f.NewCounterVec(prometheus.CounterOpts{Name: "oms_stock_reservations_total",
		Help: "Stock reservations at a location: reserved, or short (too little available there)."}, []string{"outcome"})
	m.reservedUnits = f.NewCounter(prometheus.CounterOpts{Name: "oms_stock_reserved_units_total",
		Help: "Units reserved."})
	m.batchOrders = f.NewHistogram(prometheus.HistogramOpts{Name: "oms_writer_batch_orders",
		Help:    "Orders placed per writer batch.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 9)}) // 1 … 256
	m.batchWait = f.NewHistogram(prometheus.HistogramOpts{Name: "oms_writer_wait_seconds",
		Help:    "Time an order waited in the writer's queue before its batch started.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}) // 100 µs … 3.3 s
	m.batchTime = f.NewHistogram(prometheus.HistogramOpts{Name: "oms_writer_batch_seconds",
		Help: "Time a writer batch took to place its orders, from its first transaction's start to its last one's end, " +
			"runs again included.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}) // 100 µs … 3.3 s
	m.stockHeld = f.NewHistogram(prometheus.HistogramOpts{Name: "oms_writer_stock_held_seconds",
		Help: "Time a batch of orders held the stock it reserved, from its reservation to its commit: on PostgreSQL, " +
			"how long other batches that want the same stock wait for its balance rows.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}) // 100 µs … 3.3 s
	m.deliveries = f.NewCounterVec(prometheus.CounterOpts{Name: "oms_webhook_deliveries_total",
		Help: "Webhook delivery attempts, by outcome (success, failed, gone, dead)."}, []string{"outcome"})
	m.deliveryTime = f.NewHistogramVec(prometheus.HistogramOpts{Name: "oms_webhook_delivery_duration_seconds",
		Help: "Time of a webhook delivery attempt, by outcome."}, []string{"outcome"})
	m.streamPublished = f.NewCounter(prometheus.CounterOpts{Name: "oms_stream_events_published_total",
		Help: "Events stored in the NATS JetStream stream."})
	m.streamFailures = f.NewCounter(prometheus.CounterOpts{Name: "oms_stream_publish_failures_total",
		Help: "Publish calls to NATS JetStream that stopped at a failure."})
}

// Registry is the registry of these metrics, for collectors of other parts.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format, for GET
// /metrics. When a collector fails it serves the rest and logs the failure.
func (m *Metrics) Handler() http.Handler { return m.handler }
