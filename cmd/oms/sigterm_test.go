package main_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGracefulSIGTERM sends SIGTERM to "oms serve" while an order is being
// placed slowly (a binary built with -tags omsfault waits 3 s in the order
// writer, OMS_FAULT_DELAY): the server stops accepting connections at once,
// the order still gets its 201, and the process exits 0 within the grace
// period, given by OMS_GRACE.
func TestGracefulSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	faulty := filepath.Join(t.TempDir(), "oms-fault")
	if out, err := exec.Command("go", "build", "-tags", "omsfault", "-o", faulty, ".").CombinedOutput(); err != nil {
		t.Fatalf("build with -tags omsfault: %v\n%s", err, out)
	}
	cmd := exec.Command(faulty, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "oms.db"))
	cmd.Env = append(os.Environ(), "OMS_FAULT_DELAY=place.batch=3s", "OMS_GRACE=15s")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	waiting := make(chan struct{})
	logs := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "oms fault: waiting at ") {
				close(waiting)
			}
			select {
			case logs <- sc.Text():
			default:
			}
		}
		close(logs)
	}()
	var key, base string
	keyRE, urlRE := regexp.MustCompile(`^\s+(oms_\S+)$`), regexp.MustCompile(`^oms listening on (http://\S+)$`)
	sc := bufio.NewScanner(stdout)
	for base == "" && sc.Scan() {
		if m := keyRE.FindStringSubmatch(sc.Text()); m != nil {
			key = m[1]
		}
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" || key == "" {
		t.Fatal("serve did not start")
	}
	go io.Copy(io.Discard, stdout)
	c := client{t: t, base: base, key: key}
	c.do("PUT", "/v1/channels/web", `{"name":"Web","kind":"web","currency":"EUR","backorder_policy":"reject"}`, 201)
	c.do("PUT", "/v1/locations/berlin", `{"name":"Berlin","kind":"warehouse","can_ship":true,"priority":1}`, 201)
	c.do("PUT", "/v1/items/lamp", `{"name":"Lamp","unit_cost":2000,"currency":"EUR"}`, 201)
	c.do("POST", "/v1/inventory/adjustments", `{"sku":"lamp","location":"berlin","delta":2,"reason":"receive"}`, 201)

	type answer struct {
		status int
		err    error
	}
	placed := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/v1/orders",
			strings.NewReader(`{"channel":"web","external_id":"G-1","currency":"EUR","lines":[{"sku":"lamp","quantity":1,"unit_price":4999}]}`))
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			placed <- answer{err: err}
			return
		}
		res.Body.Close()
		placed <- answer{status: res.StatusCode}
	}()
	select {
	case <-waiting:
	case <-time.After(30 * time.Second):
		t.Fatal("the order never reached the order writer")
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused while the order is still in flight.
	addr := strings.TrimPrefix(base, "http://")
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Since(sent) > 2*time.Second {
			t.Fatal("still accepting connections 2 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case a := <-placed:
		if a.err != nil || a.status != 201 {
			t.Fatalf("the order in flight at SIGTERM: %d %v", a.status, a.err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the order in flight never got an answer")
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) || err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20 s after SIGTERM")
	}
	var all []string
	for l := range logs {
		all = append(all, l)
	}
	out := strings.Join(all, "\n")
	for _, want := range []string{`msg="shutting down" grace=15s`, `msg=stopped`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
}
