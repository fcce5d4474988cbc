package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// refuse makes the database itself refuse to store an order with the
// external id — a CHECK constraint on PostgreSQL, a trigger on SQLite, which
// cannot add one to a table — as a value that passes every check of oms but
// not the database's would.
func refuse(t *testing.T, db *store.DB, ext string) {
	t.Helper()
	q := fmt.Sprintf(`CREATE TRIGGER refuse_%[1]s BEFORE INSERT ON orders WHEN NEW.external_id = '%[1]s'
BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`, ext)
	if db.Engine() == "postgres" {
		q = fmt.Sprintf(`ALTER TABLE orders ADD CONSTRAINT refuse_%[1]s CHECK (external_id <> '%[1]s')`, ext)
	}
	if _, err := store.RawForTest(db).ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
}

// TestUnitAllOrNothing: the calls made in a unit of work see each other's
// writes, nobody else sees them before the unit commits, and a unit that
// fails leaves nothing.
func TestUnitAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 10)
		var id string
		run := func(fail error) error {
			return db.Unit(ctx, func(ctx context.Context) error {
				receiveIn(t, db, ctx, "A", "east", 5)
				o, created, err := db.PlaceOrder(ctx, draft("web", "U-1", line("A", 12)), oms.System("test"))
				if err != nil || !created {
					t.Fatalf("place in the unit: %v, %v", created, err)
				}
				id = o.ID
				// The unit's reads see its writes ...
				if got, err := db.Order(ctx, id); err != nil || got.Status != oms.StatusAllocated {
					t.Fatalf("the unit reads its order: %v, %v", got, err)
				}
				if b := stockIn(t, db, ctx, "A")["east"]; b.OnHand != 15 || b.Reserved != 12 {
					t.Errorf("the unit reads its stock: %+v", b)
				}
				// ... and nobody else does until it commits.
				if _, err := db.Order(context.Background(), id); oms.ErrorCode(err) != oms.ENOTFOUND {
					t.Errorf("outside the unit the order is %v, want not found", err)
				}
				return fail
			})
		}
		failed := errors.New("failed after its writes")
		if err := run(failed); !errors.Is(err, failed) {
			t.Fatalf("unit = %v, want its function's error", err)
		}
		if _, err := db.Order(ctx, id); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("after a failed unit the order is %v, want not found", err)
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 10 || b.Reserved != 0 {
			t.Errorf("after a failed unit: %+v, want 10 on hand, none reserved", b)
		}
		must(t, run(nil))
		if _, err := db.Order(ctx, id); err != nil {
			t.Errorf("after the unit: %v", err)
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 15 || b.Reserved != 12 {
			t.Errorf("after the unit: %+v, want 15 on hand, 12 reserved", b)
		}
	})
}

// receiveIn is receive with the context given.
func receiveIn(t testing.TB, db *store.DB, ctx context.Context, sku, loc string, n int64) {
	t.Helper()
	_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: sku, Location: loc, Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
	must(t, err)
}

// stockIn is stock read with the context given.
func stockIn(t testing.TB, db *store.DB, ctx context.Context, sku string) map[string]oms.Balance {
	t.Helper()
	s, err := db.Stock(ctx, sku)
	must(t, err)
	out := map[string]oms.Balance{}
	for _, b := range s.Locations {
		out[b.Location] = b
	}
	return out
}

// TestUnitCallFailsAlone: a call of a unit that fails — here refused by the
// database itself, which on PostgreSQL aborts a transaction — undoes its own
// writes only; the unit goes on and commits the rest.
func TestUnitCallFailsAlone(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 10)
		refuse(t, db, "BAD")
		must(t, db.Unit(ctx, func(ctx context.Context) error {
			if _, _, err := db.PlaceOrder(ctx, draft("web", "BAD", line("A", 2)), oms.System("test")); err == nil {
				t.Fatal("the database took the order it refuses")
			}
			if _, _, err := db.PlaceOrder(ctx, draft("web", "GOOD", line("A", 3)), oms.System("test")); err != nil {
				t.Fatalf("the next call: %v", err)
			}
			return nil
		}))
		if _, err := db.OrderByExternalID(ctx, "web", "BAD"); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("BAD: %v, want not found", err)
		}
		if _, err := db.OrderByExternalID(ctx, "web", "GOOD"); err != nil {
			t.Errorf("GOOD: %v", err)
		}
		if b := stock(t, db, "A")["east"]; b.Reserved != 3 {
			t.Errorf("reserved %d, want 3", b.Reserved)
		}
	})
}

// TestUnitRunsAgain: a transient conflict met by any call of a unit runs the
// whole unit again, and its effect is made once. Only PostgreSQL has such
// conflicts in a unit: on SQLite the unit holds the one writer.
func TestUnitRunsAgain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		if e.Name != "postgres" {
			t.Skip("a SQLite unit holds the only writer: nothing conflicts with it")
		}
		var conflicts atomic.Int32
		db := storetest.OpenWith(t, e, store.Options{Fault: func(ctx context.Context, step string) error {
			if step == store.StepPlaceBatch && conflicts.Add(1) == 1 {
				return &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
			}
			return nil
		}})
		seed(t, db)
		receive(t, db, "A", "east", 10)
		runs := 0
		must(t, db.Unit(ctx, func(ctx context.Context) error {
			runs++
			receiveIn(t, db, ctx, "A", "east", 5)
			_, _, err := db.PlaceOrder(ctx, draft("web", "R-1", line("A", 2)), oms.System("test"))
			return err
		}))
		if runs != 2 {
			t.Errorf("the unit ran %d times, want 2", runs)
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 15 || b.Reserved != 2 {
			t.Errorf("stock %+v, want 15 on hand (received once), 2 reserved", b)
		}
		storetest.AssertInvariants(t, db)
	})
}

// TestBatchSplitsOnRefusal: one order the database refuses fails alone; the
// other orders of its batch are placed.
func TestBatchSplitsOnRefusal(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		entered, release := make(chan struct{}), make(chan struct{})
		var batches atomic.Int32
		db := storetest.OpenWith(t, e, store.Options{Writers: 1, Fault: func(ctx context.Context, step string) error {
			if step == store.StepPlaceBatch && batches.Add(1) == 1 {
				close(entered) // the first batch holds the writer while the rest queue
				<-release
			}
			return nil
		}})
		seed(t, db)
		receive(t, db, "A", "east", 100)
		refuse(t, db, "BAD")
		first := make(chan error)
		go func() {
			_, _, err := db.PlaceOrder(ctx, draft("web", "FIRST", line("A", 1)), oms.System("test"))
			first <- err
		}()
		<-entered
		exts := []string{"S-1", "S-2", "S-3", "BAD", "S-4", "S-5", "S-6", "S-7"}
		errs := make([]error, len(exts))
		var wg sync.WaitGroup
		for i, ext := range exts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = db.PlaceOrder(ctx, draft("web", ext, line("A", 1)), oms.System("test"))
			}()
		}
		for deadline := time.Now().Add(10 * time.Second); store.QueuedForTest(db) < len(exts); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d orders queued, want %d", store.QueuedForTest(db), len(exts))
			}
		}
		close(release)
		must(t, <-first)
		wg.Wait()
		for i, ext := range exts {
			switch {
			case ext == "BAD" && errs[i] == nil:
				t.Errorf("%s was placed", ext)
			case ext != "BAD" && errs[i] != nil:
				t.Errorf("%s failed with the refused order of its batch: %v", ext, errs[i])
			}
		}
		if b := stock(t, db, "A")["east"]; b.Reserved != 8 {
			t.Errorf("reserved %d, want 8", b.Reserved)
		}
		storetest.AssertInvariants(t, db)
	})
}

// TestBatchDeadline: a batch that overruns its deadline fails its orders
// instead of holding the writer, and the next batch is placed.
func TestBatchDeadline(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		var stall atomic.Bool
		stall.Store(true)
		db := storetest.OpenWith(t, e, store.Options{Fault: func(ctx context.Context, step string) error {
			if step != store.StepPlaceBatch || !stall.CompareAndSwap(true, false) {
				return nil
			}
			select { // a batch stuck on a lock, or a disk that stalls
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Second):
				return errors.New("the batch had no deadline")
			}
		}})
		store.SetBatchTimeoutForTest(db, 100*time.Millisecond)
		seed(t, db)
		receive(t, db, "A", "east", 10)
		start := time.Now()
		_, _, err := db.PlaceOrder(ctx, draft("web", "SLOW", line("A", 1)), oms.System("test"))
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Fatalf("stalled batch: %v after %s, want the deadline", err, time.Since(start))
		}
		// The next batch runs under an ordinary deadline: 100 ms is the
		// stalled one's, and a busy machine can take longer for a real batch.
		store.SetBatchTimeoutForTest(db, 30*time.Second)
		if _, _, err := db.PlaceOrder(ctx, draft("web", "NEXT", line("A", 1)), oms.System("test")); err != nil {
			t.Fatalf("the next batch: %v", err)
		}
		if b := stock(t, db, "A")["east"]; b.Reserved != 1 {
			t.Errorf("reserved %d, want 1", b.Reserved)
		}
		storetest.AssertInvariants(t, db)
	})
}

// TestIdempotencyExpiry: a key is remembered for a day; used again after
// that it is a new request, and the sweep deletes expired keys.
func TestIdempotencyExpiry(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		db := storetest.OpenWith(t, e, store.Options{Now: clock})
		req := func(key string, hash byte) oms.IdempotentRequest {
			return oms.IdempotentRequest{APIKeyID: "key_1", Key: key, Method: "POST", Path: "/v1/orders", Hash: []byte{hash}}
		}
		answer := oms.StoredResponse{Status: 201, ContentType: "application/json", Body: []byte(`{}`)}
		use := func(r oms.IdempotentRequest) (*oms.StoredResponse, error) {
			var got *oms.StoredResponse
			err := db.Unit(ctx, func(ctx context.Context) (err error) {
				if got, err = db.ClaimIdempotency(ctx, r); err != nil || got != nil {
					return err
				}
				return db.FinishIdempotency(ctx, r, answer)
			})
			return got, err
		}
		for i := range 3 {
			_, err := use(req(fmt.Sprint("old-", i), 1))
			must(t, err)
		}
		advance(20 * time.Hour)
		_, err := use(req("young", 1))
		must(t, err)
		advance(4*time.Hour - time.Second)
		// Just under a day old: replayed, and another body is refused.
		if got, err := use(req("old-0", 1)); err != nil || got == nil {
			t.Fatalf("a key under a day old: %v, %v; want its answer", got, err)
		}
		_, err = use(req("old-0", 2))
		wantCode(t, err, oms.EIDEMPOTENCY)
		advance(time.Second)
		// A day old: a new request, whatever its body.
		if got, err := use(req("old-0", 2)); err != nil || got != nil {
			t.Fatalf("a key a day old: %v, %v; want a new request", got, err)
		}
		n, err := db.ExpireIdempotencyKeys(ctx)
		if err != nil || n != 2 {
			t.Errorf("expired %d keys (%v), want old-1 and old-2", n, err)
		}
		var left int
		must(t, store.RawForTest(db).QueryRow("SELECT COUNT(*) FROM idempotency_keys").Scan(&left))
		if left != 2 {
			t.Errorf("%d keys left, want old-0 (used again) and young", left)
		}
		advance(oms.IdempotencyTTL)
		if n, err := db.ExpireIdempotencyKeys(ctx); err != nil || n != 2 {
			t.Errorf("expired %d keys (%v) a day later, want 2", n, err)
		}
	})
}

// TestBatchLoadsItemsOnce: a batch reads the items its orders name in one
// statement, not one for each order; an order that names an unknown SKU
// is still refused naming it, and the rest are placed.
func TestBatchLoadsItemsOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		entered, release := make(chan struct{}), make(chan struct{})
		var batches, loads atomic.Int32
		db := storetest.OpenWith(t, e, store.Options{Writers: 1, Fault: func(ctx context.Context, step string) error {
			switch {
			case step == store.StepPlaceBatch && batches.Add(1) == 1:
				close(entered) // the first batch holds the writer while the rest queue
				<-release
			case step == store.StepLoadItems && batches.Load() > 1:
				loads.Add(1)
			}
			return nil
		}})
		seed(t, db)
		receive(t, db, "A", "east", 100)
		const n = 8
		for i := range n {
			sku := fmt.Sprint("L-", i)
			must(t, put(db.PutItem(ctx, &oms.Item{SKU: sku, Name: sku, Currency: "USD"}, oms.System("test"))))
			receive(t, db, sku, "east", 10)
		}
		first := make(chan error)
		go func() {
			_, _, err := db.PlaceOrder(ctx, draft("web", "FIRST", line("A", 1)), oms.System("test"))
			first <- err
		}()
		<-entered
		errs := make([]error, n+1)
		var wg sync.WaitGroup
		for i := range n + 1 {
			sku := fmt.Sprint("L-", i) // L-8 is no item
			wg.Go(func() {
				_, _, errs[i] = db.PlaceOrder(ctx, draft("web", fmt.Sprint("O-", i), line(sku, 1), line("A", 1)), oms.System("test"))
			})
		}
		for deadline := time.Now().Add(10 * time.Second); store.QueuedForTest(db) < n+1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d orders queued, want %d", store.QueuedForTest(db), n+1)
			}
		}
		close(release)
		must(t, <-first)
		wg.Wait()
		for i, err := range errs[:n] {
			if err != nil {
				t.Errorf("order %d: %v", i, err)
			}
		}
		if wantCode(t, errs[n], oms.EINVALID); !strings.Contains(errs[n].Error(), `"L-8"`) {
			t.Errorf("the order of an unknown SKU: %v", errs[n])
		}
		// One statement for the batch's items, and one more for the SKU no
		// item has, which its own order looks for again.
		if got := loads.Load(); got != 2 {
			t.Errorf("the batch of %d orders read items in %d statements, want 2", n+1, got)
		}
	})
}
