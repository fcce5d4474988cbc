package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms/internal/cli"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

const fixture = "../../testdata/channels/ecb_eurofxref.xml"

// run runs the command line and returns its exit code and output.
func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// "oms fx import" stores the rates as the API does, on either engine, and
// a bad file is refused whole, naming the field.
func TestFXImport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		if code, _, errOut := run("migrate", "--db", dsn); code != 0 {
			t.Fatalf("migrate: exit %d %s", code, errOut)
		}
		code, out, errOut := run("fx", "import", "--db", dsn, fixture)
		if code != 0 || out != "30 rates of 1 day (2025-11-14 to 2025-11-14): 30 added, 0 changed, 0 unchanged; base totals recorded on 0 orders\n" {
			t.Fatalf("exit %d: %q %q", code, out, errOut)
		}
		// The flags may follow the file; the same file again changes nothing.
		code, out, _ = run("fx", "import", fixture, "--db", dsn)
		if code != 0 || !strings.Contains(out, ": 0 added, 0 changed, 30 unchanged;") {
			t.Errorf("second import: exit %d: %q", code, out)
		}
		bad := filepath.Join(t.TempDir(), "bad.xml")
		doc, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		doc = bytes.Replace(doc, []byte(`rate='0.88195'`), []byte(`rate='abc'`), 1)
		doc = bytes.Replace(doc, []byte(`time='2025-11-14'`), []byte(`time='2025-11-17'`), 1)
		if err := os.WriteFile(bad, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errOut = run("fx", "import", "--db", dsn, bad)
		if code != 1 || !strings.Contains(errOut, "Cube.Cube[0].Cube[5].rate") {
			t.Errorf("bad file: exit %d: %q", code, errOut)
		}
		if code, _, errOut := run("fx", "import", "--db", dsn); code != 2 ||
			!strings.HasPrefix(errOut, "oms fx: import takes one ECB file, not 0\nUsage: oms fx import") {
			t.Errorf("no file: exit %d %q", code, errOut)
		}

		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		set, err := db.RatesOn(context.Background(), time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC))
		if err != nil || set.Date.Format(time.DateOnly) != "2025-11-14" || set.Rates["GBP"].String() != "0.88195" || len(set.Rates) != 30 {
			t.Errorf("rates in force on 2025-11-17: %v %+v", err, set)
		}
	})
}
