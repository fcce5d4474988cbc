package cli_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestExport writes the ledger and the inventory with oms export, to a file
// and to standard output, and names a bad filter.
func TestExport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := seededDSN(t, e)

		out := filepath.Join(t.TempDir(), "ledger.csv")
		if code, msg := runAll("export", "--db", dsn, "--out", out, "--sku", "MUG", "ledger"); code != 0 ||
			!strings.Contains(msg, "1 rows written") {
			t.Fatalf("export ledger: %d %s", code, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][2] != "MUG" || recs[1][4] != "receive" || recs[1][5] != "20" {
			t.Errorf("ledger file %q %v", b, err)
		}
		code, stdout, _ := run("export", "--db", dsn, "inventory", "--location", "wh1")
		if recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll(); code != 0 || err != nil || len(recs) != 11 {
			t.Errorf("inventory: %d %v %d rows", code, err, len(recs))
		}
		if code, msg := runAll("export", "--db", dsn, "--channel", "nope", "orders"); code == 0 || !strings.Contains(msg, "channel") {
			t.Errorf("unknown channel: %d %s", code, msg)
		}
		// A filter the export does not take is refused, as the API refuses it.
		for _, args := range [][]string{{"--location", "wh1", "orders"}, {"--from", "2026-11-01", "inventory"}, {"--channel", "web", "ledger"}} {
			flagName := strings.TrimPrefix(args[0], "--")
			if code, msg := runAll(append([]string{"export", "--db", dsn}, args...)...); code == 0 ||
				!strings.Contains(msg, flagName+": does not filter the "+args[2]+" export") {
				t.Errorf("export %v: exit %d\n%s", args, code, msg)
			}
		}
		if code, _ := runAll("export", "--db", dsn, "customers"); code == 0 {
			t.Error("an unknown export succeeded")
		}
	})
}
