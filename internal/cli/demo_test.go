package cli_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestDemoCommand fills a database with oms demo, which then passes oms
// check; a second demo on the same database is refused.
func TestDemoCommand(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		code, out, errOut := run("demo", "--db", dsn, "--orders", "300", "--days", "6")
		if code != 0 || !strings.Contains(out, "check: every invariant holds") {
			t.Fatalf("demo: %d %s %s", code, out, errOut)
		}
		if code, out, _ := run("check", "--db", dsn); code != 0 {
			t.Errorf("check after the demo: %d %s", code, out)
		}
		if code, msg := runAll("demo", "--db", dsn, "--orders", "10"); code != 1 || !strings.Contains(msg, "empty database") {
			t.Errorf("second demo: %d %s", code, msg)
		}
	})
}
