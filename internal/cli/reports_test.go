package cli_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestReportsRebuild rebuilds the report rollups of a seeded database: they
// still match the orders, and a bad subcommand is a usage error.
func TestReportsRebuild(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := seededDSN(t, e)
		if code, out, msg := run("reports", "rebuild", "--db", dsn); code != 0 || !strings.Contains(out, "report rollups rebuilt") {
			t.Fatalf("reports rebuild: %d %s %s", code, out, msg)
		}
		if code, out, _ := run("check", "--db", dsn); code != 0 {
			t.Errorf("check after rebuild: %d %s", code, out)
		}
		if code, _, msg := run("reports", "refresh", "--db", dsn); code != 2 || !strings.Contains(msg, "oms reports rebuild") {
			t.Errorf("reports refresh: %d %s", code, msg)
		}
	})
}
