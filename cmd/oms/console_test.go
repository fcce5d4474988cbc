package main_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeConsole runs the binary: the first start on a database without
// users says how to create the first admin; the console answers at /login
// and the API, unchanged, at /v1, /healthz and /openapi.json; oms user
// create makes a user who signs in.
func TestServeConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildOMS(t)
	db := filepath.Join(t.TempDir(), "oms.db")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	var said strings.Builder
	base := ""
	lines := bufio.NewScanner(stdout)
	for base == "" && lines.Scan() {
		said.WriteString(lines.Text() + "\n")
		if m := regexp.MustCompile(`^oms listening on (http://\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	go func() {
		for lines.Scan() {
		}
	}()
	if base == "" {
		t.Fatalf("serve did not start:\n%s", said.String())
	}
	if !strings.Contains(said.String(), `oms user create --email you@example.com --name "Your Name" --role admin`) ||
		!strings.Contains(said.String(), base+"/login") {
		t.Errorf("the first start does not say how to create the first user:\n%s", said.String())
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		path, contentType string
		status            int
	}{
		{"/login", "text/html; charset=utf-8", 200},
		{"/orders", "", 303},
		{"/assets/console.css", "text/css; charset=utf-8", 200},
		{"/healthz", "application/json", 200},
		{"/metrics", "application/problem+json", 401},
		{"/openapi.json", "application/json", 200},
		{"/v1/channels", "application/problem+json", 401},
		{"/v1/nosuch", "application/problem+json", 404},
	} {
		res, err := noRedirect.Get(base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status || c.contentType != "" && res.Header.Get("Content-Type") != c.contentType {
			t.Errorf("GET %s: %d %q, want %d %q", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.status, c.contentType)
		}
		// The console's answers, too, carry the request's id.
		if res.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id", c.path)
		}
	}
	// The readiness probe is the API's, needs no key, and answers 200 once
	// the job queue has started.
	ready := 0
	for deadline := time.Now().Add(20 * time.Second); ready != 200 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		res, err := noRedirect.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ready = res.StatusCode; ready != 200 && ready != 503 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET /readyz: %d %q", ready, res.Header.Get("Content-Type"))
		}
	}
	if ready != 200 {
		t.Errorf("GET /readyz: %d after 20 s", ready)
	}
	create := exec.Command(bin, "user", "create", "--email", "ann@example.com", "--name", "Ann Lee", "--role", "admin", "--password-stdin", "--db", db)
	create.Stdin = strings.NewReader("correct horse battery\n")
	if out, err := create.CombinedOutput(); err != nil || !strings.Contains(string(out), "Ann Lee (admin)") {
		t.Fatalf("oms user create: %v %s", err, out)
	}
	out, err := exec.Command(bin, "user", "list", "--db", db).Output()
	if err != nil || !strings.Contains(string(out), "ann@example.com") {
		t.Errorf("oms user list: %v %s", err, out)
	}
}
