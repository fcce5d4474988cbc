package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/cli"
)

// testRelease is the version buildOMS builds the binary as.
const testRelease = "v0.0.0-test"

// TestVersion: a binary built with the release set by -ldflags -X names it
// in oms version, in the server's first log line and in GET /healthz.
func TestVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildOMS(t)
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "oms "+testRelease+" (commit ") {
		t.Errorf("oms version: %v %q", err, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "oms.db"))
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	logs := bufio.NewScanner(stderr)
	if !logs.Scan() || !regexp.MustCompile(`msg="oms starting" version=`+regexp.QuoteMeta(testRelease)+` commit=\S+ modified=(true|false) go=go`).MatchString(logs.Text()) {
		t.Errorf("the server's first log line is %q", logs.Text())
	}
	go func() {
		for logs.Scan() {
		}
	}()
	base := ""
	lines := bufio.NewScanner(stdout)
	for base == "" && lines.Scan() {
		if m := regexp.MustCompile(`^oms listening on (http://\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatal("serve did not start")
	}
	go func() {
		for lines.Scan() {
		}
	}()
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct{ Status, Database, Version string }
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || h.Status != "ok" || h.Version != testRelease {
		t.Errorf("GET /healthz: %v %+v", err, h)
	}
}

// TestExitStatus runs the binary: a missing database is exit status 1 and
// a bad flag to serve is 2, each said once.
func TestExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildOMS(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		exit int
		once string
	}{
		{[]string{"check", "--db", filepath.Join(dir, "nosuch.db")}, 1, "no database at "},
		{[]string{"serve", "--db", filepath.Join(dir, "oms.db"), "--bogus"}, 2, "flag provided but not defined: -bogus\n"},
		{[]string{"serve", "--db", filepath.Join(dir, "oms.db"), "--addr"}, 2, "flag needs an argument: -addr\n"},
	} {
		cmd := exec.Command(bin, tt.args...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != tt.exit || strings.Count(out.String(), tt.once) != 1 ||
			strings.Count(out.String(), "oms "+tt.args[0]+": ") > 1 {
			t.Errorf("oms %s: %v, want exit status %d, saying %q once:\n%s", strings.Join(tt.args, " "), err, tt.exit, tt.once, out.String())
		}
	}
	if files, _ := os.ReadDir(dir); len(files) > 0 {
		t.Errorf("the failed commands left %s", files[0].Name())
	}
}

// TestMakeTest runs make test (with go replaced by true): without
// OMS_TEST_POSTGRES_URL it says, in one line, that the PostgreSQL tests are
// skipped and how to run them; with it, nothing of the kind.
func TestMakeTest(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	run := func(env ...string) string {
		// --no-print-directory: under an outer make (CI runs the tests from
		// make test) a sub-make names the directories it enters.
		cmd := exec.Command("make", "--no-print-directory", "test", "GO=true")
		cmd.Dir = "../.."
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "OMS_TEST_POSTGRES_URL=") && !strings.HasPrefix(e, "MAKEFLAGS=") &&
				!strings.HasPrefix(e, "MAKELEVEL=") && !strings.HasPrefix(e, "MFLAGS=") {
				cmd.Env = append(cmd.Env, e)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make test: %v\n%s", err, out)
		}
		return string(out)
	}
	out := run()
	want := "PostgreSQL tests skipped: OMS_TEST_POSTGRES_URL is not set; to run them: " +
		"OMS_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' make test\n"
	if !strings.HasPrefix(out, want) || strings.Count(out, "skipped") != 1 {
		t.Errorf("make test without OMS_TEST_POSTGRES_URL printed:\n%s\nwant first:\n%s", out, want)
	}
	if out := run("OMS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"); strings.Contains(out, "skipped") {
		t.Errorf("make test with OMS_TEST_POSTGRES_URL printed:\n%s", out)
	}
}

// TestReadmeCommands: the README's "Command line" lists the commands oms
// help lists, in the same order.
func TestReadmeCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "\n## Command line\n")
	_, block, _ := strings.Cut(section, "```\n")
	block, _, _ = strings.Cut(block, "```")
	var documented []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		documented = append(documented, strings.Fields(l)[1])
	}
	var out, errOut strings.Builder
	if code := cli.Run(context.Background(), []string{"help"}, &out, &errOut); code != 0 {
		t.Fatalf("oms help: exit %d %s", code, errOut.String())
	}
	var listed []string
	_, list, _ := strings.Cut(out.String(), "Commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	for _, l := range strings.Split(list, "\n") {
		listed = append(listed, strings.Fields(l)[0])
	}
	if strings.Join(documented, " ") != strings.Join(listed, " ") {
		t.Errorf("the README's Command line shows %v, oms help lists %v", documented, listed)
	}
}
