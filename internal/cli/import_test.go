package cli_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

var ctx = context.Background()

const fixtures = "../../testdata/channels/"

// seed creates a channel of each kind with a fixture (and a csv one), a
// warehouse, and the items of the fixtures with stock.
// seededDSN makes a fresh seeded database on the engine, closed again, and
// returns its DSN for a command to open.
func seededDSN(t *testing.T, e storetest.Engine) string {
	t.Helper()
	dsn := e.DSN(t)
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, db)
	db.Close()
	return dsn
}

func seed(t *testing.T, db *store.DB) {
	t.Helper()
	for _, c := range []oms.Channel{{Code: "shop", Kind: "shopify", Currency: "GBP"}, {Code: "woo", Kind: "woocommerce", Currency: "CAD"},
		{Code: "ebay", Kind: "ebay", Currency: "EUR"}, {Code: "amzn", Kind: "amazon", Currency: "EUR"}, {Code: "sheet", Kind: "csv", Currency: "USD"}} {
		c.Name, c.BackorderPolicy, c.SharePercent = c.Code, oms.BackorderReject, 100
		if _, err := db.PutChannel(ctx, &c, oms.System("test")); err != nil {
			t.Fatal(err)
		}
	}
	loc := &oms.Location{Code: "wh1", Name: "Warehouse", Kind: "warehouse", CanShip: true, Active: true,
		Address: oms.Address{Line1: "1 Dock Rd", City: "Leeds", Country: "GB"}}
	if _, err := db.PutLocation(ctx, loc, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	for _, sku := range []string{"BEANIE-MER-CHR", "SOCK-TRL-2PK-L", "TUQ-MER-NAV", "MIT-DBL-M", "KB-MX-DE-QWERTZ",
		"USB-C-KBL-2M-3ER", "BSH-GSR18-KIT", "DRILL-HSS-19", "MUG", "TEE-M"} {
		if _, err := db.PutItem(ctx, &oms.Item{SKU: sku, Name: sku, Currency: "EUR"}, oms.System("test")); err != nil {
			t.Fatal(err)
		}
		n := int64(20)
		if _, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: sku, Location: "wh1", Reason: "receive", Delta: &n, Reference: "PO-1"}, oms.System("test")); err != nil {
			t.Fatal(err)
		}
	}
}

// runAll runs the command line and returns its exit code and all it wrote.
func runAll(args ...string) (int, string) {
	code, out, errOut := run(args...)
	return code, out + errOut
}

// TestImport imports every fixture with oms import: the orders match the
// payloads to the minor unit, and importing again changes nothing.
func TestImport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seed(t, db)
		imports := []struct {
			channel string
			files   []string
			exit    int
			summary string
		}{
			{"shop", []string{fixtures + "shopify_order.json"}, 0, "1 order in 1 file: 1 created (0 held), 0 updated, 0 duplicate, 0 stale, 0 failed"},
			{"woo", []string{fixtures + "woocommerce_order.json"}, 0, "1 order in 1 file: 1 created (0 held), 0 updated, 0 duplicate, 0 stale, 0 failed"},
			{"ebay", []string{fixtures + "ebay_order.json"}, 0, "1 order in 1 file: 1 created (0 held), 0 updated, 0 duplicate, 0 stale, 0 failed"},
			// The page's second order (AFN, pending) has no items in these files.
			{"amzn", []string{fixtures + "amazon_orders.json", fixtures + "amazon_order_items.json"}, 1,
				"2 orders in 2 files: 1 created (0 held), 0 updated, 0 duplicate, 0 stale, 1 failed"},
		}
		for _, im := range imports {
			code, out := runAll(append([]string{"import", "--db", dsn, "--channel", im.channel}, im.files...)...)
			if code != im.exit || summary(t, out) != im.summary {
				t.Errorf("import %s: exit %d\n%s", im.channel, code, out)
			}
		}
		_, out := runAll("import", "--db", dsn, "--channel", "amzn", fixtures+"amazon_orders.json", fixtures+"amazon_order_items.json")
		if !strings.Contains(out, "amazon_orders.json:") || !strings.Contains(out, "114-7730215-3318662") {
			t.Errorf("the order without items is not reported by file and line:\n%s", out)
		}
		for _, w := range []struct {
			channel, ext       string
			total, tax, discnt int64
		}{{"shop", "6104827391234", 9000, 1500, 920}, {"woo", "10482", 12361, 1611, 1650},
			{"ebay", "27-13562-80417", 16481, 0, 299}, {"amzn", "306-4418273-5529103", 11196, 1788, 900}} {
			o, err := db.OrderByExternalID(ctx, w.channel, w.ext)
			if err != nil {
				t.Fatalf("%s %s: %v", w.channel, w.ext, err)
			}
			if o.Total != w.total || o.TaxTotal != w.tax || o.DiscountTotal != w.discnt || len(o.Mismatches) != 0 {
				t.Errorf("%s: total %d tax %d discount %d, mismatches %q", w.channel, o.Total, o.TaxTotal, o.DiscountTotal, o.Mismatches)
			}
		}
		// Again: nothing changes.
		for _, im := range imports[:3] {
			code, out := runAll(append([]string{"import", "--db", dsn, "--channel", im.channel}, im.files...)...)
			if code != 0 || summary(t, out) != "1 order in 1 file: 0 created (0 held), 0 updated, 1 duplicate, 0 stale, 0 failed" {
				t.Errorf("import %s again: exit %d\n%s", im.channel, code, out)
			}
		}
		orders, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 100})
		if err != nil || len(orders) != 4 {
			t.Errorf("%d orders after importing twice (%v)", len(orders), err)
		}
		storetest.AssertInvariants(t, db)
	})
}

// TestImportCSV checks a CSV file with a dry run — every problem by file
// and line, nothing written — then imports it, twice.
func TestImportCSV(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seed(t, db)
		code, out := runAll("import", "--db", dsn, "--channel", "sheet", "--dry-run", "testdata/orders.csv")
		for _, want := range []string{
			"testdata/orders.csv:4: order C-1002: row[4].quantity:",
			"testdata/orders.csv:5: order C-1003: row[5].unit_price:",
			"testdata/orders.csv:6: order C-1004 would be held: unknown_sku: HAT-XL",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("dry run does not say %q:\n%s", want, out)
			}
		}
		if code != 1 || summary(t, out) != "4 orders in 1 file (dry run, nothing written): 2 to create (1 to hold), 0 to update, 0 duplicate, 0 stale, 2 failed" {
			t.Errorf("dry run exit %d with problems:\n%s", code, out)
		}
		if orders, _, _ := db.ListOrders(ctx, oms.OrderFilter{Limit: 10}); len(orders) != 0 {
			t.Fatalf("a dry run wrote %d orders", len(orders))
		}
		code, out = runAll("import", "--db", dsn, "--channel", "sheet", "testdata/orders.csv")
		if code != 1 || summary(t, out) != "4 orders in 1 file: 2 created (1 held), 0 updated, 0 duplicate, 0 stale, 2 failed" {
			t.Errorf("import: exit %d\n%s", code, out)
		}
		o, err := db.OrderByExternalID(ctx, "sheet", "C-1001")
		if err != nil {
			t.Fatal(err)
		}
		// 2 × 12.50 − 1.00 + 20.00 + 4.90 shipping + 1.84 + 1.65 + 0.40 tax.
		if o.Subtotal != 4500 || o.DiscountTotal != 100 || o.ShippingTotal != 490 || o.TaxTotal != 389 || o.Total != 5279 {
			t.Errorf("C-1001 totals %+v", o.Totals)
		}
		held, err := db.OrderByExternalID(ctx, "sheet", "C-1004")
		if err != nil || held.Status != oms.StatusOnHold {
			t.Errorf("C-1004: %v %v", held, err)
		}
		code, out = runAll("import", "--db", dsn, "--channel", "sheet", "testdata/orders.csv")
		if code != 1 || summary(t, out) != "4 orders in 1 file: 0 created (0 held), 0 updated, 2 duplicate, 0 stale, 2 failed" {
			t.Errorf("import again: exit %d\n%s", code, out)
		}
		storetest.AssertInvariants(t, db)
	})
}

var summaryRE = regexp.MustCompile(`^(\d+) orders? in \d+ files?(?: \(dry run, nothing written\))?: ` +
	`(\d+) (?:created|to create) \((\d+) (?:held|to hold)\), (\d+) (?:updated|to update), (\d+) duplicate, (\d+) stale, (\d+) failed$`)

// summary returns the last line of an import's output, its summary, and
// fails the test unless its counts add up to the orders it names: each
// order is created, updated, duplicate, stale or failed, and held ones are
// some of the created.
func summary(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	m := summaryRE.FindStringSubmatch(last)
	if m == nil {
		t.Errorf("the summary %q is not of the form \"N orders in N files: N created (N held), N updated, N duplicate, N stale, N failed\"", last)
		return last
	}
	n := make([]int, len(m))
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	total, created, held, updated, duplicate, stale, failed := n[1], n[2], n[3], n[4], n[5], n[6], n[7]
	if created+updated+duplicate+stale+failed != total || held > created {
		t.Errorf("the summary %q does not add up: %d+%d+%d+%d+%d orders of %d, %d held", last, created, updated, duplicate, stale, failed, total, held)
	}
	return last
}

// TestImportBadFlags: a bad flag exits 2, and says which, before anything
// is opened.
func TestImportBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"import", "testdata/orders.csv"}, "-channel is required"},
		{[]string{"import", "--channel", "sheet"}, "name at least one file"},
		{[]string{"import", "--channel", "sheet", "--workers", "0", "testdata/orders.csv"}, "-workers 0: give 1 or more"},
		{[]string{"import", "--channel", "sheet", "--format", "bogus", "testdata/orders.csv"}, `-format "bogus"`},
	} {
		code, out := runAll(append(c.args, "--db", filepath.Join(t.TempDir(), "none.db"))...)
		if code != 2 || !strings.Contains(out, c.says) {
			t.Errorf("%v: exit %d, want 2 saying %q:\n%s", c.args, code, c.says, out)
		}
	}
}

// TestBadCommandLinesSayWhy: every bad command line exits 2 with a line
// saying what is wrong, before the usage.
func TestBadCommandLinesSayWhy(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"demo", "--db", db, "--orders", "-5"}, "oms demo: -orders -5: give 1 or more"},
		{[]string{"demo", "--db", db, "--days", "0"}, "oms demo: -days 0: give 1 to 3650"},
		{[]string{"check", "--db", db, "extra"}, `oms check: takes no arguments, not "extra"`},
		{[]string{"export", "--db", db, "orders", "ledger"}, "oms export: name one export"},
		{[]string{"reports", "bogus"}, `oms reports: "bogus" is not a subcommand`},
		{[]string{"version", "extra"}, `oms version: takes no arguments`},
	} {
		code, out := runAll(c.args...)
		if code != 2 || !strings.HasPrefix(out, c.says) {
			t.Errorf("%v: exit %d, want 2 starting %q:\n%s", c.args, code, c.says, out)
		}
	}
}
