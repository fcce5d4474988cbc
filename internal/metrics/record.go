package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Label values are the caller's, so each must come from a small fixed set:
// a channel code that exists, an error code, an outcome name — never a
// value taken unchecked from a request, which would grow a series per value.

// OrderPlaced counts an order placed on a channel (its code).
func (m *Metrics) OrderPlaced(channel string) {
	if m != nil {
		m.ordersPlaced.WithLabelValues(channel).Inc()
	}
}

// OrderRefused counts an order refused, by the error code that refused it
// ("out_of_stock", "invalid", "conflict" …).
func (m *Metrics) OrderRefused(reason string) {
	if m != nil {
		m.ordersRefused.WithLabelValues(reason).Inc()
	}
}

// StockReserved counts a reservation of units at one location.
func (m *Metrics) StockReserved(units int) {
	if m != nil {
		m.reservations.WithLabelValues("reserved").Inc()
		m.reservedUnits.Add(float64(units))
	}
}

// StockShort counts a reservation that found too little available at the
// location (the conditional update touched no row).
func (m *Metrics) StockShort() {
	if m != nil {
		m.reservations.WithLabelValues("short").Inc()
	}
}

// WriterBatch records one batch of the order writer: how many orders it
// placed, and how long each of them waited in the queue before it started.
func (m *Metrics) WriterBatch(orders int, waits ...time.Duration) {
	if m == nil {
		return
	}
	m.batchOrders.Observe(float64(orders))
	for _, w := range waits {
		m.batchWait.Observe(w.Seconds())
	}
}

// WriterBatchDone records how long a writer batch took to place its
// orders, from its first transaction's start to its last one's end.
func (m *Metrics) WriterBatchDone(d time.Duration) {
	if m != nil {
		m.batchTime.Observe(d.Seconds())
	}
}

// StockHeld records how long a batch of orders held the stock it reserved:
// from its reservation statement to its commit.
func (m *Metrics) StockHeld(d time.Duration) {
	if m != nil {
		m.stockHeld.Observe(d.Seconds())
	}
}

// WriterTotals is what the order writers' instruments have recorded so
// far: their sums, which a caller takes twice and subtracts to see a span.
type WriterTotals struct {
	Batches   uint64        // batches started (WriterBatch)
	Orders    uint64        // orders in them
	Done      uint64        // batches finished (WriterBatchDone)
	BatchTime time.Duration // the time the finished batches took
	Held      uint64        // batches that held reserved stock (StockHeld)
	HeldTime  time.Duration // the time they held it
}

// WriterSoFar returns the order writers' totals so far.
func (m *Metrics) WriterSoFar() WriterTotals {
	var t WriterTotals
	if m == nil {
		return t
	}
	var orders float64
	t.Batches, orders = histogramSoFar(m.batchOrders)
	t.Orders = uint64(orders)
	t.Done, t.BatchTime = histogramTime(m.batchTime)
	t.Held, t.HeldTime = histogramTime(m.stockHeld)
	return t
}

// histogramSoFar is the histogram's count and sum.
func histogramSoFar(h prometheus.Histogram) (uint64, float64) {
	var d dto.Metric
	if h.Write(&d) != nil {
		return 0, 0
	}
	return d.Histogram.GetSampleCount(), d.Histogram.GetSampleSum()
}

// histogramTime is the count and sum of a histogram of seconds.
func histogramTime(h prometheus.Histogram) (uint64, time.Duration) {
	n, sum := histogramSoFar(h)
	return n, time.Duration(sum * float64(time.Second))
}

// WebhookDelivery records one delivery attempt: its outcome ("success",
// "failed", "gone", "dead") and how long the request took.
func (m *Metrics) WebhookDelivery(outcome string, latency time.Duration) {
	if m != nil {
		m.deliveries.WithLabelValues(outcome).Inc()
		m.deliveryTime.WithLabelValues(outcome).Observe(latency.Seconds())
	}
}

// StreamPublished records one Publish call to the event stream: how many
// events it stored, and whether it stopped at a failure.
func (m *Metrics) StreamPublished(events int, failed bool) {
	if m == nil {
		return
	}
	m.streamPublished.Add(float64(events))
	if failed {
		m.streamFailures.Inc()
	}
}
