package placement

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Batch limits: a batch closes at maxBatchOrders orders or maxBatchLines
// lines, which keeps every statement far below the engines' parameter limits.
const (
	maxBatchOrders = 128
	maxBatchLines  = 2000
)

// WriterLabel is the profiler label the order writers' goroutines carry,
// with the value "writer".
const WriterLabel = "oms"

// errClosed is returned by PlaceOrder after Close.
var errClosed = errors.New("store: database is closed")

// placer runs the order writers: the goroutines that take queued placements
// and run them in batches.
type placer struct {
	queue   chan *orders.Pending
	stop    chan struct{}
	wg      sync.WaitGroup
	writers int
}

// StartPlacer starts n writers.
func (db *DB) StartPlacer(n int) {
	db.placer = &placer{queue: make(chan *orders.Pending, 4*maxBatchOrders), stop: make(chan struct{}), writers: n}
	for range n {
		db.placer.wg.Add(1)
		go db.writer()
	}
}

// Writers is the number of order writers StartPlacer started: how many
// batches may run at once.
func (db *DB) Writers() int {
	if db.placer == nil {
		return 0
	}
	return db.placer.writers
}

// StopPlacer stops the writers, each after its batch, and waits for them.
func (db *DB) StopPlacer() {
	if db.placer == nil {
		return
	}
	close(db.placer.stop)
	db.placer.wg.Wait()
}

// DefaultWriters is 1 on SQLite, which has one writer connection. On
// PostgreSQL it is one per two CPUs the process may use, and at least two.
// Measured with oms bench on 2 cores, two batches side by side did best:
// one leaves the database idle while the batch travels, and with two a
// writer's transaction spends most of its life waiting on oms's own CPU
// (pg_stat_activity sampled "idle in transaction" in more than half the
// samples of busy connections, a lock wait in under 2 %), so more writers
// add nothing a 2-core server could run. On a bigger machine the same
// evidence says the writers, not the rows they lock, are what orders wait
// for (on 16 cores, 256 clients with `--writers 8` placed 2,890 orders/s
// where 64 clients with two placed 2,098: a hint, as the client counts
// differ). Each writer holds one connection of the pool (4 per CPU) for
// its batch; Options.Writers and oms bench --writers still set the number.
func DefaultWriters(engine string) int {
	if engine == "sqlite" {
		return 1
	}
	return max(2, runtime.GOMAXPROCS(0)/2)
}

// writer takes whatever has queued, up to the batch limits, and places it.
func (db *DB) writer() {
	defer db.placer.wg.Done()
	// A CPU profile tells the writers' work from the rest by this label
	// (oms bench's "writer CPU"); goroutines a batch starts carry it too.
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(WriterLabel, "writer")))
	q := db.placer.queue
	batch := make([]*orders.Pending, 0, maxBatchOrders)
	for {
		batch = batch[:0]
		select {
		case p := <-q:
			batch = append(batch, p)
		case <-db.placer.stop:
			return
		}
		lines := len(batch[0].Draft.Lines)
	fill:
		for len(batch) < maxBatchOrders && lines < maxBatchLines {
			select {
			case p := <-q:
				batch = append(batch, p)
				lines += len(p.Draft.Lines)
			default:
				break fill
			}
		}
		db.runBatch(batch)
	}
}

// runBatch places the batch and wakes every caller. The transactions run
// on a context of their own: callers that gave up before the batch started
// are left out, and the rest are placed or refused together.
func (db *DB) runBatch(batch []*orders.Pending) {
	if db.Jobs.Metrics != nil {
		now := time.Now()
		waits := make([]time.Duration, len(batch))
		for i, p := range batch {
			waits[i] = now.Sub(p.Queued)
		}
		db.Jobs.Metrics.WriterBatch(len(batch), waits...)
	}
	live := make([]*orders.Pending, 0, len(batch))
	for _, p := range batch {
		if err := p.Ctx.Err(); err != nil {
			p.Err = err
			close(p.Done)
			continue
		}
		live = append(live, p)
	}
	start := time.Now()
	db.placeBatches(context.Background(), live)
	db.Jobs.Metrics.WriterBatchDone(time.Since(start))
	for _, p := range live {
		close(p.Done)
	}
}

// batchTimeout bounds a batch's transaction, its runs again included: a
// batch that cannot finish in it (a lock held elsewhere, a stalled disk)
// fails its orders rather than hold the writer.
const batchTimeout = 10 * time.Second

// placeBatches places the batch in one transaction. When that fails for a
// reason other than a transient conflict or the deadline, the cause may be
// one order — a value only the database refuses — and the others must not
// fail with it: the batch is split in halves, each placed on its own, down
// to the orders at fault, which alone get the error.
func (db *DB) placeBatches(ctx context.Context, batch []*orders.Pending) {
	err := db.placeTogether(ctx, batch)
	if err != nil && len(batch) > 1 && db.splittable(err) {
		half := len(batch) / 2
		db.placeBatches(ctx, batch[:half])
		db.placeBatches(ctx, batch[half:])
		return
	}
	if err != nil {
		for _, p := range batch {
			p.Order, p.Err = nil, err
		}
	}
}

// placeTogether places the batch in one transaction, under the batch's
// deadline — or, in a unit of work, in the unit's transaction.
func (db *DB) placeTogether(ctx context.Context, batch []*orders.Pending) error {
	if !db.SQL.InUnit(ctx) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, db.batchTimeout)
		defer cancel()
	}
	var err error
	var reservedAt time.Time
	lockFirst, repeats := false, false
	for attempt := 0; attempt < sqldb.MaxAttempts; attempt++ {
		err = db.update(ctx, func(tx *Tx) error {
			tx.EndOnError() // a failed batch runs again, or in halves, each in a new transaction
			if err := db.SQL.Fault(ctx, sqldb.StepPlaceBatch); err != nil {
				return err
			}
			err := tx.PlaceBatch(ctx, batch, lockFirst, repeats)
			reservedAt = tx.reservedAt
			return err
		})
		switch {
		case errors.Is(err, orders.ErrStockMoved):
			lockFirst = true
			continue
		case errors.Is(err, errKeyRace):
			repeats = true
			continue
		}
		break
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("place orders: the batch ran past its deadline: %w", ctx.Err())
	}
	if err == nil && !reservedAt.IsZero() && !db.SQL.InUnit(ctx) {
		db.Jobs.Metrics.StockHeld(time.Since(reservedAt))
	}
	return err
}

// splittable reports whether a batch that failed with err is worth placing
// again in parts: not when the failure was a transient conflict that its
// runs again did not get past, nor the deadline or a caller gone.
func (db *DB) splittable(err error) bool {
	return !db.SQL.Engine.Retryable(err) && !errors.Is(err, orders.ErrStockMoved) && !errors.Is(err, errKeyRace) &&
		!errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) && !errors.Is(err, errClosed)
}

// PlaceOrder accepts an order: it reserves stock for each line and saves the
// order, its lines, allocations, ledger entries and order.created event in one
// transaction (shared with other orders placed at the same moment, each one
// all or nothing). When the channel already has an order with this external
// id it returns that order with created false, and changes nothing.
//
// It returns EINVALID for a bad field, an unknown channel or SKU, or a
// currency other than the channel's; EOUTOFSTOCK, listing the short SKUs,
// when the channel rejects backorders and stock is short.
func (db *DB) PlaceOrder(ctx context.Context, d *oms.OrderDraft, by oms.Principal) (*oms.Order, bool, error) {
	actor := by.Actor()
	return db.place(ctx, d, actor, nil)
}

// place queues the draft for the order writers and waits for its batch.
func (db *DB) place(ctx context.Context, d *oms.OrderDraft, actor string, ingest *orders.IngestExtra) (*oms.Order, bool, error) {
	o, created, err := db.placeQueued(ctx, d, actor, ingest)
	db.Jobs.CountPlaced(d.Channel, o, created, err)
	return o, created, err
}

// placeQueued is place, uncounted.
func (db *DB) placeQueued(ctx context.Context, d *oms.OrderDraft, actor string, ingest *orders.IngestExtra) (*oms.Order, bool, error) {
	if err := d.Validate(); err != nil {
		return nil, false, err
	}
	p := &orders.Pending{Draft: d, Actor: actor, Ctx: ctx, Done: make(chan struct{}), Ingest: ingest}
	if db.SQL.InUnit(ctx) {
		// A unit of work commits with nothing but its own writes: the order
		// is placed in the unit's transaction, alone.
		db.placeBatches(ctx, []*orders.Pending{p})
	} else if err := db.queue(ctx, p); err != nil {
		return nil, false, err
	}
	if errors.Is(p.Err, ErrDuplicate) {
		o, err := db.OrderByExternalID(ctx, d.Channel, d.ExternalID)
		return o, false, err
	}
	if oms.ErrorCode(p.Err) == oms.EOUTOFSTOCK {
		// A repeat of an order that took the last units is a repeat, not a
		// shortage: the batch did not look for repeats before deciding.
		// Most shortages are not repeats: a cheap look comes first.
		if db.hasOrder(ctx, d.Channel, d.ExternalID) {
			if o, err := db.OrderByExternalID(ctx, d.Channel, d.ExternalID); err == nil {
				return o, false, nil
			}
		}
	}
	if p.Err != nil {
		return nil, false, p.Err
	}
	// The answer leaves out the promised dates of waiting lines: working
	// them out sums the units waiting ahead for each item, which grows with
	// a backlog — dear on every placement, and asked for by a read.
	return p.Order, true, nil
}

// queue hands the order to the order writers and waits for its batch.
func (db *DB) queue(ctx context.Context, p *orders.Pending) error {
	p.Queued = time.Now()
	select {
	case db.placer.queue <- p:
	case <-db.placer.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-p.Done:
		return nil
	case <-ctx.Done():
		// The order may still be placed; a retry with the same external id
		// finds it.
		return ctx.Err()
	}
}

// hasOrder reports whether the channel has an order with this external id;
// false when it cannot tell.
func (db *DB) hasOrder(ctx context.Context, channel, externalID string) bool {
	var ok bool
	err := db.ReadPool().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders
WHERE channel_id = (SELECT id FROM channels WHERE code = $1) AND external_id = $2)`, channel, externalID).Scan(&ok)
	return err == nil && ok
}

// Queued is how many orders wait for the order writers.
func (db *DB) Queued() int { return len(db.placer.queue) }

// SetBatchTimeout changes the deadline of an order batch.
func (db *DB) SetBatchTimeout(d time.Duration) { db.batchTimeout = d }
