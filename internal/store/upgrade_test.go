package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// v1Rows are rows as schema version 1 (the first released schema) held
// them: a channel, an item, a customer and a backordered order of theirs.
var v1Rows = []string{
	`INSERT INTO channels (id, code, name, kind, currency, backorder_policy, created_at, updated_at)
		VALUES (1, 'web', 'Web', 'web', 'USD', 'backorder', '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')`,
	`INSERT INTO locations (id, code, name, kind, can_ship, can_pickup, priority, address, created_at, updated_at)
		VALUES (1, 'east', 'East', 'warehouse', true, false, 1, '{}', '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')`,
	`INSERT INTO items (id, sku, name, unit_cost, currency, barcode, created_at, updated_at)
		VALUES (1, 'A', 'Apple', 100, 'USD', '', '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')`,
	`INSERT INTO balances (item_id, location_id, on_hand, reserved, updated_at)
		VALUES (1, 1, 1, 0, '2026-11-01 11:00:00+00:00')`,
	`INSERT INTO ledger (item_id, location_id, kind, delta, reserved_delta, on_hand_after, reserved_after, reference, actor, created_at)
		VALUES (1, 1, 'receive', 1, 0, 1, 0, 'PO-1', 'test', '2026-11-01 11:00:00+00:00')`,
	`INSERT INTO customers (id, email, name, phone, created_at, updated_at)
		VALUES (1, 'ann@example.com', 'Ann Lee', '+1 555 0100', '2026-11-02 10:00:00+00:00', '2026-11-02 10:00:00+00:00')`,
	`INSERT INTO orders (id, channel_id, external_id, status, currency, customer_id, customer_email, customer_name,
		customer_phone, taxes_included, subtotal, discount_total, shipping_total, tax_total, total, placed_at, created_at,
		updated_at, version)
		VALUES ('ord_OLD', 1, 'W-OLD', 'backordered', 'USD', 1, 'ann@example.com', 'Ann Lee', '+1 555 0100', false,
		200, 0, 0, 0, 200, '2026-11-02 10:00:00+00:00', '2026-11-02 10:00:00+00:00', '2026-11-02 10:00:00+00:00', 1)`,
	`INSERT INTO order_lines (order_seq, position, item_id, sku, quantity, unit_price, subtotal, discount, tax, qty_open,
		qty_allocated, qty_shipped, qty_cancelled, qty_returned)
		VALUES (1001, 0, 1, 'A', 2, 100, 200, 0, 0, 2, 0, 0, 0, 0)`,
	`INSERT INTO events (type, subject, order_id, actor, data, created_at)
		VALUES ('order.created', 'ord_OLD', 'ord_OLD', 'test', '{}', '2026-11-02 10:00:00+00:00')`,
}

// TestUpgradeFromV1: a database oms's first schema wrote is migrated to
// the newest one, and what it held works: the invariants hold (the report
// rollups were built from the rows already there), the old order is found
// by the search index the upgrade filled, its customer has their history,
// and it can be changed.
func TestUpgradeFromV1(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		raw, closeRaw, err := store.OpenAtVersionForTest(ctx, dsn, 1)
		must(t, err)
		for _, q := range v1Rows {
			if _, err := raw.Exec(q); err != nil {
				closeRaw()
				t.Fatalf("%s: %v", q, err)
			}
		}
		closeRaw()

		db, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
		must(t, err)
		defer db.Close()
		if r, err := db.Check(ctx); err != nil || len(r.Violations) > 0 || r.Orders != 1 {
			t.Fatalf("check after the upgrade: %+v %v", r, err)
		}
		sq, err := oms.ParseSearch("ann lee")
		must(t, err)
		hits, err := db.Search(ctx, sq, oms.SearchOptions{Limit: 10})
		must(t, err)
		found := false
		for _, h := range hits {
			found = found || (h.Order != nil && h.Order.Number == "1001")
		}
		if !found {
			t.Errorf("the old order is not found: %+v", hits)
		}
		v, _, err := db.Customer(ctx, "ann@example.com", 0, 10)
		must(t, err)
		if v.OrderCount != 1 || len(v.Orders) != 1 {
			t.Errorf("customer view %+v", v)
		}
		// Stock arrives for the old backorder; then a new order takes the next number.
		receive(t, db, "A", "east", 5)
		o, err := db.Order(ctx, "1001")
		must(t, err)
		if o.Status != oms.StatusAllocated {
			t.Errorf("old order after stock arrived: %s", o.Status)
		}
		n, _, err := db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-NEW", Currency: "USD",
			Customer: oms.Customer{Email: "ann@example.com"}, Lines: []oms.LineDraft{{SKU: "A", Quantity: 1, UnitPrice: 100}}}, oms.System("test"))
		must(t, err)
		if n.Number != "1002" {
			t.Errorf("new order number %s", n.Number)
		}
		if r, err := db.Check(ctx); err != nil || len(r.Violations) > 0 || r.Orders != 2 {
			t.Fatalf("check at the end: %+v %v", r, err)
		}
	})
}

// TestUpgradeRollupWatermark: a database as schema version 4 left it —
// report rollups at every grain, some changes still pending — gets a
// watermark after its last day row, so that every report answers as before
// the upgrade, before and after the pending changes are folded.
func TestUpgradeRollupWatermark(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		day := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		now := day
		opts := store.Options{Feed: reports.New(), FoldEvery: -1, Now: func() time.Time { return now }}
		db, err := store.Open(ctx, dsn, opts)
		must(t, err)
		seed(t, db)
		receive(t, db, "A", "east", 50)
		receive(t, db, "B", "west", 50)
		for i := range 3 {
			_, _, err := db.PlaceOrder(ctx, draft("web", fmt.Sprint("d", i), line("A", 2), line("B", 1)), oms.System("test"))
			must(t, err)
		}
		// The day's rows at every grain, as version 4 wrote every row.
		must(t, reportsOf(db).FoldReports(ctx))
		must(t, store.RollForTest(ctx, db, day.AddDate(0, 0, 1)))
		must(t, reportsOf(db).FoldReports(ctx))
		now = day.AddDate(0, 0, 1)
		for i := range 2 {
			_, _, err := db.PlaceOrder(ctx, draft("web", fmt.Sprint("n", i), line("A", 1)), oms.System("test"))
			must(t, err)
		}
		answers := func(db *store.DB) string {
			var out []string
			for _, p := range []oms.Period{oms.PeriodDay, oms.PeriodWeek, oms.PeriodMonth} {
				rep, err := reportsOf(db).SalesReport(ctx, oms.ReportQuery{Range: oms.Range{From: day.AddDate(0, -2, 0), To: now}, Period: p, By: "sku"})
				must(t, err)
				b, err := json.Marshal(rep.Rows)
				must(t, err)
				out = append(out, string(b))
			}
			return strings.Join(out, "\n")
		}
		want := answers(db)
		// Version 4 wrote the stock rollup's rows in the transaction of the
		// movement.
		must(t, reports.Of(db).FoldStock(ctx))
		raw := store.RawForTest(db)
		// Back to version 4: undo versions 5 (the watermark), 6 (an index),
		// 7 (what API keys are bound to), 8 (API keys' use and rotation),
		// 9 (webhook deliveries, orders' unknown amounts), 10 (an index),
		// 11 (outgoing webhooks and the outbox cursors), 12 (events' request
		// ids), 13 (console users and sessions), 14 (the search index's
		// pending list, which applies again as it is), 15 (channels'
		// low-stock threshold), 16 and 17 (indexes), 18 (the stock rollup's
		// pending deltas), 19 (the order rollups keyed by base currency:
		// its rollup_sales, which version 5 reads as it is, applies again,
		// emptied and rebuilt from the orders), 20 (an index) and 21 (the
		// replayed headers of idempotent answers).
		for _, q := range []string{"DROP TABLE rollup_state", "DROP INDEX IF EXISTS items_sku_bytes",
			"ALTER TABLE api_keys DROP COLUMN channels", "ALTER TABLE api_keys DROP COLUMN locations",
			"DROP TABLE api_key_revision", "DROP INDEX api_keys_previous_hash",
			"ALTER TABLE api_keys DROP COLUMN last_used_at", "ALTER TABLE api_keys DROP COLUMN rotated_at",
			"ALTER TABLE api_keys DROP COLUMN previous_hash", "ALTER TABLE api_keys DROP COLUMN previous_expires_at",
			"DROP TABLE channel_deliveries", "DROP INDEX orders_amounts_unknown", "ALTER TABLE orders DROP COLUMN amounts_unknown",
			"DROP INDEX IF EXISTS idempotency_keys_created_at", "ALTER TABLE events DROP COLUMN request_id",
			"DROP INDEX webhook_deliveries_due", "DROP TABLE webhook_deliveries", "DROP TABLE webhook_endpoints", "DROP TABLE outbox_cursors",
			"DROP TABLE login_attempts", "DROP TABLE user_sessions", "DROP TABLE users", "DROP INDEX orders_pickup_location",
			"ALTER TABLE channels DROP COLUMN low_stock", "DROP TABLE stock_pending",
			"DROP INDEX IF EXISTS sku_mappings_listing_bytes", "ALTER TABLE idempotency_keys DROP COLUMN response_headers",
			"DELETE FROM goose_db_version WHERE version_id IN (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)"} {
			_, err := raw.Exec(q)
			must(t, err)
		}
		must(t, db.Close())

		opts.Feed = reports.New()
		db, err = store.Open(ctx, dsn, opts)
		must(t, err)
		defer db.Close()
		var rolled int64
		must(t, store.RawForTest(db).QueryRow("SELECT rolled_until FROM rollup_state").Scan(&rolled))
		if w := oms.EpochDay(day) + 1; rolled != w {
			t.Errorf("watermark %d after the upgrade, want %d (the day after the last day row)", rolled, w)
		}
		if got := answers(db); got != want {
			t.Errorf("after the upgrade:\n%s\nwant\n%s", got, want)
		}
		storetest.AssertInvariants(t, db)
		must(t, reportsOf(db).FoldReports(ctx))
		if got := answers(db); got != want {
			t.Errorf("after folding:\n%s\nwant\n%s", got, want)
		}
		storetest.AssertInvariants(t, db)
	})
}

// TestUpgradeKeyScope: the channel keys made before version 7 keep acting
// for the channels there were, and no channel made later; other keys stay
// unbound.
func TestUpgradeKeyScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		raw, closeRaw, err := store.OpenAtVersionForTest(ctx, dsn, 1)
		must(t, err)
		hash := func(secret string) string {
			h := sha256.Sum256([]byte(secret))
			if e.Name == "postgres" {
				return `'\x` + hex.EncodeToString(h[:]) + `'`
			}
			return "x'" + hex.EncodeToString(h[:]) + "'"
		}
		for _, q := range []string{
			`INSERT INTO channels (code, name, kind, currency, backorder_policy, created_at, updated_at)
				VALUES ('web', 'Web', 'web', 'USD', 'backorder', '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')`,
			`INSERT INTO channels (code, name, kind, currency, backorder_policy, created_at, updated_at)
				VALUES ('b2b', 'B2B', 'api', 'USD', 'backorder', '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')`,
			`INSERT INTO api_keys (id, name, role, prefix, hash, created_at)
				VALUES ('key_C', 'shop', 'channel', 'oms_chan', ` + hash("oms_channelsecret") + `, '2026-11-01 10:00:00+00:00')`,
			`INSERT INTO api_keys (id, name, role, prefix, hash, created_at)
				VALUES ('key_W', 'dock', 'warehouse', 'oms_ware', ` + hash("oms_warehousesecret") + `, '2026-11-01 10:00:00+00:00')`,
		} {
			if _, err := raw.Exec(q); err != nil {
				closeRaw()
				t.Fatalf("%s: %v", q, err)
			}
		}
		closeRaw()

		db, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
		must(t, err)
		defer db.Close()
		_, err = db.PutChannel(ctx, &oms.Channel{Code: "pos", Name: "POS", Kind: "pos", Currency: "USD",
			BackorderPolicy: oms.BackorderReject, SharePercent: 100}, oms.System("test"))
		must(t, err)
		k, err := db.Authenticate(ctx, "oms_channelsecret")
		must(t, err)
		if fmt.Sprint(k.Channels) != "[b2b web]" || len(k.Locations) != 0 || !k.Principal().ChannelBound() ||
			k.Principal().CanSeeChannel("pos") {
			t.Errorf("channel key after the upgrade: channels %v, locations %v", k.Channels, k.Locations)
		}
		w, err := db.Authenticate(ctx, "oms_warehousesecret")
		must(t, err)
		if len(w.Channels) != 0 || len(w.Locations) != 0 || w.Principal().Bound() {
			t.Errorf("warehouse key after the upgrade: channels %v, locations %v", w.Channels, w.Locations)
		}
	})
}

// TestUpgradeRollupBaseCurrency: version 19 keys the order rollups by base
// currency and rebuilds them from the orders, so that rows a version 18
// rollup summed across base currencies (10000 USD and 1000 EUR as 11000)
// come out apart.
func TestUpgradeRollupBaseCurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		opts := store.Options{Feed: reports.New(), FoldEvery: -1}
		db, err := store.Open(ctx, dsn, opts)
		must(t, err)
		seed(t, db)
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "eu", Name: "EU", Kind: "api", Currency: "EUR", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))))
		for _, o := range []struct{ base, channel string }{{"USD", "b2b"}, {"EUR", "eu"}} {
			must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: o.base}, oms.System("test")))
			d := draft(o.channel, "X-"+o.base, line("A", 1))
			d.Currency, d.ShippingPrice = o.base, 0
			_, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
		}
		must(t, reportsOf(db).FoldReports(ctx))
		// Back to version 18: rows without their base currency, summed
		// across the two (what version 18 wrote), and a pending delta of
		// version 18's format.
		raw := store.RawForTest(db)
		for _, q := range []string{"UPDATE rollup_sales SET base_currency = ''", "DROP INDEX IF EXISTS sku_mappings_listing_bytes",
			"ALTER TABLE idempotency_keys DROP COLUMN response_headers",
			"DELETE FROM goose_db_version WHERE version_id IN (19, 20, 21)"} {
			_, err := raw.Exec(q)
			must(t, err)
		}
		_, err = raw.Exec("INSERT INTO rollup_pending (delta) VALUES ($1)", []byte{1, 0, 0, 0})
		must(t, err)
		must(t, db.Close())

		opts.Feed = reports.New()
		db, err = store.Open(ctx, dsn, opts)
		must(t, err)
		defer db.Close()
		day := time.Now().UTC().Format(time.DateOnly)
		var p oms.Problems
		q := oms.ReportQuery{Range: oms.ParseRange(&p, day, day)}
		must(t, p.Err())
		got := reportRows(t, reportsOf(db).SalesReport, q)
		if len(got) != 1 || !strings.Contains(got[0], `"orders":2,"units":2,"gross_sales":1000,`) {
			t.Errorf("sales in EUR after the upgrade: %v", got)
		}
		storetest.AssertInvariants(t, db)
	})
}
