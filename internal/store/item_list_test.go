package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// Items and stock page in byte order, and SKU prefixes select by bytes,
// whatever the collation of the sku column: on PostgreSQL the column is
// given a locale's collation, which orders "a" before "B" and ignores
// punctuation first.
func TestListByteOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		if e.Name == "postgres" {
			if _, err := store.RawForTest(db).ExecContext(ctx, `ALTER TABLE items ALTER COLUMN sku TYPE text COLLATE "en-x-icu"`); err != nil {
				t.Fatal(err)
			}
		}
		skus := []string{"a", "B", "b", "A-1", "a1", "a-2", "ab", "a b", "é", "e", "E", "z", "Z-9", "a.", "aa"}
		for _, sku := range skus {
			must(t, put(db.PutItem(ctx, &oms.Item{SKU: sku, Name: "Item " + sku, Currency: "USD"}, oms.System("test"))))
		}
		for _, prefix := range []string{"", "a", "A", "a-", "é", "z"} {
			var want []string
			for _, s := range skus {
				if strings.HasPrefix(s, prefix) {
					want = append(want, s)
				}
			}
			slices.Sort(want)
			var items, stock []string
			for after := ""; ; {
				page, next, err := db.ListItems(ctx, oms.ItemFilter{SKUPrefix: prefix, After: after, Limit: 2})
				must(t, err)
				for _, it := range page {
					items = append(items, it.SKU)
				}
				if next == "" {
					break
				}
				after = next
			}
			for after := ""; ; {
				page, next, err := db.ListStock(ctx, oms.StockFilter{SKUPrefix: prefix, After: after, Limit: 3})
				must(t, err)
				for _, s := range page {
					stock = append(stock, s.SKU)
				}
				if next == "" {
					break
				}
				after = next
			}
			if !slices.Equal(items, want) || !slices.Equal(stock, want) {
				t.Errorf("prefix %q: items %q, stock %q; want %q", prefix, items, stock, want)
			}
		}
	})
}

// A filtered stock page looks at a bounded number of SKUs: where few match,
// pages come short, or empty, with a cursor, and following the cursors
// still lists every match once, in order.
func TestListStockScanBound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e) // items A and B, locations east, west and shop
		var atShop, low []string
		for i := range 20 {
			sku := fmt.Sprintf("s%02d", i)
			must(t, put(db.PutItem(ctx, &oms.Item{SKU: sku, Name: sku, Currency: "USD"}, oms.System("test"))))
			if i%7 == 3 {
				n := int64(i)
				_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: sku, Location: "shop", Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
				must(t, err)
				atShop = append(atShop, sku)
			} else {
				low = append(low, sku)
			}
		}
		for _, tc := range []struct {
			name string
			f    oms.StockFilter
			want []string
		}{
			{"at a location", oms.StockFilter{SKUPrefix: "s", Location: "shop"}, atShop},
			{"low stock", oms.StockFilter{SKUPrefix: "s", LowStock: true}, low},
			{"low stock at a location", oms.StockFilter{Location: "shop", LowStock: true, Below: 9}, []string{"s03"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.Limit, f.Scan = 2, 3
				var got []string
				pages := 0
				for {
					pages++
					page, next, err := db.ListStock(ctx, f)
					must(t, err)
					if len(page) > f.Limit {
						t.Fatalf("%d SKUs on a page of %d", len(page), f.Limit)
					}
					for _, s := range page {
						got = append(got, s.SKU)
					}
					if next == "" || pages > 30 {
						break
					}
					if next <= f.After {
						t.Fatalf("cursor %q does not move on from %q", next, f.After)
					}
					f.After = next
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
				if min := (20 + 2) / 3; pages < min { // 3 SKUs looked at a page
					t.Errorf("%d pages: more than 3 SKUs looked at on one", pages)
				}
			})
		}
	})
}

// BenchmarkListCatalog times a page of each catalog list over 100,000 items
// with a balance each at east and every tenth at shop too.
func BenchmarkListCatalog(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := storetest.Open(b, e)
			seed(b, db)
			raw := store.RawForTest(db)
			_, err := raw.ExecContext(ctx, `
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO items (sku, name, unit_cost, currency, barcode, created_at, updated_at)
SELECT 'SKU-' || (1000000 + i), 'Item', 100, 'USD', '', $1, $1 FROM n`, time.Now().UTC())
			must(b, err)
			for _, q := range []string{
				`INSERT INTO balances (item_id, location_id, on_hand, reserved, safety_stock, updated_at)
SELECT id, (SELECT id FROM locations WHERE code = 'east'), 1 + id % 50, 0, 0, $1 FROM items`,
				`INSERT INTO balances (item_id, location_id, on_hand, reserved, safety_stock, updated_at)
SELECT id, (SELECT id FROM locations WHERE code = 'shop'), 5, 0, 0, $1 FROM items WHERE id % 10 = 0`,
				`ANALYZE`, // as autovacuum would have by now
			} {
				var args []any
				if strings.Contains(q, "$1") {
					args = append(args, time.Now().UTC())
				}
				_, err := raw.ExecContext(ctx, q, args...)
				must(b, err)
			}
			for _, bc := range []struct {
				name string
				run  func() (int, error)
			}{
				{"items", func() (int, error) {
					p, _, err := db.ListItems(ctx, oms.ItemFilter{After: "SKU-1050000", Limit: 50})
					return len(p), err
				}},
				{"items_prefix", func() (int, error) {
					p, _, err := db.ListItems(ctx, oms.ItemFilter{SKUPrefix: "SKU-10500", Limit: 50})
					return len(p), err
				}},
				{"stock", func() (int, error) {
					p, _, err := db.ListStock(ctx, oms.StockFilter{After: "SKU-1050000", Limit: 50})
					return len(p), err
				}},
				{"stock_location", func() (int, error) {
					p, _, err := db.ListStock(ctx, oms.StockFilter{Location: "shop", Limit: 50})
					return len(p), err
				}},
				{"stock_low_none_match", func() (int, error) {
					_, next, err := db.ListStock(ctx, oms.StockFilter{LowStock: true, Limit: 50})
					return len(next), err
				}},
			} {
				b.Run(bc.name, func(b *testing.B) {
					for b.Loop() {
						n, err := bc.run()
						must(b, err)
						if n == 0 {
							b.Fatal("nothing listed")
						}
					}
				})
			}
		})
	}
}
