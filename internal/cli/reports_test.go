package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// "oms reports rebuild" recomputes the report rollups, after which oms check
// passes; without a command it shows its usage.
func TestReportsRebuild(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := db.PutLocation(ctx, &oms.Location{Code: "wh", Active: true, Name: "WH", Kind: "warehouse", CanShip: true}, "t"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &oms.Item{SKU: "A", Name: "A", UnitCost: 100, Currency: "USD"}, "t"); err != nil {
			t.Fatal(err)
		}
		n := int64(7)
		if _, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "wh", Reason: oms.MoveReceive, Delta: &n}, "t"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if code, out, errOut := run("reports", "rebuild", "--db", dsn); code != 0 || !strings.HasPrefix(out, "rebuilt the report rollups") {
			t.Fatalf("rebuild: exit %d: %q %q", code, out, errOut)
		}
		if code, out, _ := run("check", "--db", dsn); code != 0 {
			t.Errorf("check after the rebuild: exit %d: %q", code, out)
		}
		if code, _, _ := run("reports"); code != 2 {
			t.Errorf("oms reports without a command: exit %d", code)
		}
	})
}
