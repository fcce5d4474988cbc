package main_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestKilledMidRequest kills "oms serve" with SIGKILL while a refund under
// an Idempotency-Key is in flight — first before its unit of work commits,
// then, on the retry, after it committed and before the answer was sent —
// restarts it on the same database each time, and retries: the last retry
// gets the committed answer, and the order has exactly one refund. The
// servers killed are built with -tags omsfault, which stops one at the step
// OMS_FAULT_STEP names; oms as released has no such hook.
func TestKilledMidRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildOMS(t)
	faulty := filepath.Join(t.TempDir(), "oms-fault")
	if out, err := exec.Command("go", "build", "-tags", "omsfault", "-o", faulty, ".").CombinedOutput(); err != nil {
		t.Fatalf("build with -tags omsfault: %v\n%s", err, out)
	}
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		s := launch(t, faulty, dsn, store.StepCommit, "")
		c := client{t: t, base: s.base, key: s.key}
		c.do("PUT", "/v1/channels/web", `{"name":"Web","kind":"web","currency":"EUR","backorder_policy":"reject"}`, 201)
		c.do("PUT", "/v1/locations/berlin", `{"name":"Berlin","kind":"warehouse","can_ship":true,"priority":1}`, 201)
		c.do("PUT", "/v1/items/lamp", `{"name":"Lamp","unit_cost":2000,"currency":"EUR"}`, 201)
		c.do("POST", "/v1/inventory/adjustments", `{"sku":"lamp","location":"berlin","delta":2,"reason":"receive"}`, 201)
		o := c.do("POST", "/v1/orders", `{"channel":"web","external_id":"K-1","currency":"EUR","lines":[{"sku":"lamp","quantity":1,"unit_price":4999}]}`, 201)
		id := o["id"].(string)
		fs := c.do("GET", "/v1/orders/"+id+"/fulfillments", "", 200)["fulfillments"].([]any)
		c.do("POST", "/v1/fulfillments/"+fs[0].(map[string]any)["id"].(string)+"/ship", `{"carrier":"DHL","tracking_number":"1"}`, 200)
		refund := func(base string) (*http.Response, error) {
			req, _ := http.NewRequest("POST", base+"/v1/orders/"+id+"/refunds",
				strings.NewReader(`{"kind":"appeasement","amount":1000,"reason":"late"}`))
			req.Header.Set("Authorization", "Bearer "+s.key)
			req.Header.Set("Idempotency-Key", "refund-1")
			// A fresh connection: net/http would send a request with an
			// Idempotency-Key again by itself on a reused one.
			return (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		}

		go refund(s.base)
		s.killAt(store.StepCommit)
		s = launch(t, faulty, dsn, store.StepCommitted, s.key)
		go refund(s.base)
		s.killAt(store.StepCommitted)
		s = launch(t, bin, dsn, "", s.key)
		res, err := refund(s.base)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got map[string]any
		json.NewDecoder(res.Body).Decode(&got)
		if res.StatusCode != 201 || res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry after the kills: %d %v, replayed %q; want the committed 201", res.StatusCode, got, res.Header.Get("Idempotent-Replayed"))
		}
		c.base = s.base
		list := c.do("GET", "/v1/orders/"+id+"/refunds", "", 200)
		refunds := list["refunds"].([]any)
		if len(refunds) != 1 || refunds[0].(map[string]any)["id"] != got["id"] || list["refunded"].(float64) != 1000 {
			t.Errorf("refunds %v, want the one the retry was answered with (%v)", list, got["id"])
		}
		if out, err := exec.Command(bin, "check", "--db", dsn).CombinedOutput(); err != nil {
			t.Errorf("oms check: %v\n%s", err, out)
		}
	})
}

// server is an "oms serve" process the test may kill.
type server struct {
	t         *testing.T
	cmd       *exec.Cmd
	base, key string
	stderr    chan string
}

// launch starts "oms serve" on the database, stopping at the fault step
// (none when empty). key is the admin key an earlier start printed: a
// server prints one only on an empty database.
func launch(t *testing.T, bin, dsn, step, key string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	cmd.Env = append(os.Environ(), "OMS_FAULT_STEP="+step)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &server{t: t, cmd: cmd, key: key, stderr: make(chan string, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "oms fault: ") {
				s.stderr <- sc.Text()
			}
		}
	}()
	keyRE := regexp.MustCompile(`^\s+(oms_\S+)$`)
	urlRE := regexp.MustCompile(`^oms listening on (http://\S+)$`)
	sc := bufio.NewScanner(stdout)
	for s.base == "" && sc.Scan() {
		if m := keyRE.FindStringSubmatch(sc.Text()); m != nil {
			s.key = m[1]
		}
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			s.base = m[1]
		}
	}
	if s.base == "" {
		t.Fatal("serve stopped before listening")
	}
	go io.Copy(io.Discard, stdout)
	return s
}

// killAt waits until the server stops at the step, and kills it.
func (s *server) killAt(step string) {
	s.t.Helper()
	want := "oms fault: stopped at " + step
	for timeout := time.After(30 * time.Second); ; {
		select {
		case l := <-s.stderr:
			if l != want {
				continue
			}
			if err := s.cmd.Process.Kill(); err != nil {
				s.t.Fatal(err)
			}
			s.cmd.Wait()
			return
		case <-timeout:
			s.t.Fatalf("the server did not stop at %s", step)
		}
	}
}
