package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestMissingDatabase runs every command that reads a database on a SQLite
// path where there is none: each refuses with exit status 1 and one line
// naming the path, and creates no file. migrate creates the database, and
// the same commands then get past the check.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nosuch.db")
	xml := "../../testdata/channels/ecb_eurofxref.xml"
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"check", []string{"check", "--db", path}},
		{"export", []string{"export", "--db", path, "orders"}},
		{"import", []string{"import", "--db", path, "--channel", "sheet", "testdata/orders.csv"}},
		{"fx", []string{"fx", "import", "--db", path, xml}},
		{"apikey", []string{"apikey", "create", "--db", path, "--role", "agent", "--name", "desk"}},
		{"reports", []string{"reports", "rebuild", "--db", path}},
		{"sqlite URL", []string{"check", "--db", "sqlite://" + path}},
		{"file URI", []string{"check", "--db", "file:" + path + "?mode=rwc"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(tt.args...)
			want := "oms " + tt.args[0] + ": no database at " + path + ": check --db (or $OMS_DB); oms migrate, serve or demo create one\n"
			if code != 1 || out != "" || errOut != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and stderr %q", code, out, errOut, want)
			}
			if files, _ := os.ReadDir(dir); len(files) > 0 {
				t.Fatalf("%s created %s", tt.name, files[0].Name())
			}
		})
	}
	t.Setenv("OMS_DB", path)
	if code, _, errOut := run("check"); code != 1 || !strings.Contains(errOut, "no database at "+path) {
		t.Errorf("check on $OMS_DB: exit %d %q", code, errOut)
	}
	if code, out, errOut := run("migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: exit %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run("check"); code != 0 || !strings.HasPrefix(out, "ok: every invariant holds over 0 orders") {
		t.Errorf("check after migrate: exit %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run("apikey", "create", "--role", "agent", "--name", "desk"); code != 0 || !strings.HasPrefix(out, "oms_") {
		t.Errorf("apikey create after migrate: exit %d %q %q", code, out, errOut)
	}
}

// TestErrorPrefix: a failed command prints one line, "oms COMMAND:
// message", with the fields at fault and no second "oms:" or error code.
func TestErrorPrefix(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := seededDSN(t, e)
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"export", "--db", dsn, "--from", "14.11.2025", "orders"}, "oms export: from: must be a day (YYYY-MM-DD) or an RFC 3339 time\n"},
			{[]string{"export", "--db", dsn, "--channel", "nope", "orders"}, "oms export: channel: no channel has code \"nope\"\n"},
			{[]string{"apikey", "create", "--db", dsn, "--role", "boss", "--name", " "}, "oms apikey: role: must be one of admin, manager, agent, warehouse, channel; name: is required: at most 100 bytes\n"},
			{[]string{"import", "--db", dsn, "--channel", "nope", "testdata/orders.csv"}, "oms import: "},
		} {
			code, out, errOut := run(tt.args...)
			if code != 1 || out != "" || !strings.HasPrefix(errOut, tt.want) || strings.Count(errOut, "\n") != 1 ||
				strings.Count(errOut, "oms") != 1 || strings.Contains(errOut, "invalid") || strings.Contains(errOut, "not_found") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args[:1], code, out, errOut, tt.want)
			}
		}
	})
}

// TestBadFlag gives every command a flag it does not have: each prints the
// flag and its usage once, and exits with status 2 without opening a
// database.
func TestBadFlag(t *testing.T) {
	t.Chdir(t.TempDir()) // where ./oms.db, the default, would be created
	for _, args := range [][]string{
		{"serve"}, {"migrate"}, {"demo"}, {"check"}, {"import", "--channel", "web"}, {"export"}, {"fx", "import"},
		{"apikey", "create"}, {"reports", "rebuild"}, {"bench"}, {"version"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, out, errOut := run(append(args, "--bogus")...)
			if code != 2 || out != "" || strings.Count(errOut, "-bogus") != 1 ||
				!strings.HasPrefix(errOut, "flag provided but not defined: -bogus\n") || !strings.Contains(errOut, "Usage: oms "+args[0]) {
				t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
			if _, err := os.Stat("oms.db"); err == nil {
				t.Fatal("a bad flag created oms.db")
			}
		})
	}
}

// TestHelp: oms help, -h and --help list every command with one line each,
// and each command listed describes itself with -h.
func TestHelp(t *testing.T) {
	want := []string{"serve", "migrate", "demo", "check", "import", "export", "fx", "apikey", "webhooks", "user", "reports", "bench", "version", "help"}
	for _, arg := range []string{"help", "-h", "--help"} {
		code, out, errOut := run(arg)
		if code != 0 || errOut != "" {
			t.Fatalf("oms %s: exit %d %q", arg, code, errOut)
		}
		_, list, _ := strings.Cut(out, "Commands:\n")
		list, _, _ = strings.Cut(list, "\n\n")
		var names []string
		for _, line := range strings.Split(list, "\n") {
			m := regexp.MustCompile(`^  ([a-z]+) +(\S.*)$`).FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("oms %s: line %q is not a command and its summary:\n%s", arg, line, out)
			}
			names = append(names, m[1])
		}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("oms %s lists %v, want %v", arg, names, want)
		}
	}
	for _, name := range want[:len(want)-1] {
		code, out, errOut := run(name, "-h")
		if code != 0 || !strings.Contains(out+errOut, "Usage: oms "+name) {
			t.Errorf("oms %s -h: exit %d\n%s%s", name, code, out, errOut)
		}
	}
	if code, out, errOut := run(); code != 2 || out != "" || !strings.Contains(errOut, "Commands:") {
		t.Errorf("oms without a command: exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run("chekc"); code != 2 || !strings.HasPrefix(errOut, "oms: unknown command \"chekc\"\n") {
		t.Errorf("oms chekc: exit %d %q", code, errOut)
	}
}

// TestSubcommandHelp: the commands with subcommands list them, with their
// flags, on -h (exit 0) and when the subcommand is missing or unknown
// (exit 2).
func TestSubcommandHelp(t *testing.T) {
	for _, tt := range []struct {
		command, sub string
		flags        []string
	}{
		{"apikey", "create", []string{"-role", "-name", "-db"}},
		{"fx", "import", []string{"-db"}},
		{"reports", "rebuild", []string{"-db"}},
	} {
		for _, args := range [][]string{{tt.command, "-h"}, {tt.command, "help"}, {tt.command}, {tt.command, "nope"}} {
			code, out, errOut := run(args...)
			want := 2
			if len(args) > 1 && (args[1] == "-h" || args[1] == "help") {
				want = 0
			}
			usage := errOut
			if want == 2 {
				// A bad command line first says, in a line, what is wrong.
				var said string
				said, usage, _ = strings.Cut(errOut, "\n")
				if !strings.HasPrefix(said, "oms "+tt.command+": ") {
					t.Errorf("oms %s: the first line does not say what is wrong: %q", strings.Join(args, " "), said)
				}
			}
			ok := code == want && out == "" && strings.HasPrefix(usage, "Usage: oms "+tt.command+" "+tt.sub) &&
				strings.Contains(errOut, "Subcommands:\n  "+tt.sub+" ")
			for _, f := range tt.flags {
				ok = ok && strings.Contains(errOut, "  "+f+" ")
			}
			if !ok {
				t.Errorf("oms %s: exit %d (want %d), stdout %q, stderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
			}
		}
	}
}

// TestVersion: oms version prints the version, the commit and the Go
// version on one line.
func TestVersion(t *testing.T) {
	code, out, errOut := run("version")
	want := regexp.MustCompile(`^oms \S+ \(commit \S+(, modified)?, ` + regexp.QuoteMeta(runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) + `\)\n$`)
	if code != 0 || errOut != "" || !want.MatchString(out) {
		t.Errorf("oms version: exit %d %q %q", code, out, errOut)
	}
	if code, _, _ := run("version", "extra"); code != 2 {
		t.Errorf("oms version extra: exit %d", code)
	}
}

// TestServeLogFlags: a bad log level or format is a usage error, said once;
// json writes JSON lines at the level asked for.
func TestServeLogFlags(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}} {
		code, out, errOut := run(append([]string{"serve"}, args...)...)
		if code != 2 || out != "" || strings.Count(errOut, args[1]) != 1 || !strings.HasPrefix(errOut, "oms serve: "+args[0][1:]) {
			t.Errorf("serve %v: exit %d, stdout %q, stderr:\n%s", args, code, out, errOut)
		}
		if _, err := os.Stat("oms.db"); err == nil {
			t.Fatal("a bad log flag created oms.db")
		}
	}
}
