package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestEndToEnd builds the real binary, starts "oms serve" on port 0 with a
// fresh database on each engine, drives the API contract over HTTP, and runs
// "oms check", "oms migrate" and "oms apikey create" against the same database.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildOMS(t)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		base, key := start(t, bin, dsn)
		c := client{t: t, base: base, key: key}
		drive(t, c)

		out, err := exec.Command(bin, "check", "--db", dsn).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "ok: every invariant holds over 2 orders") {
			t.Errorf("oms check: %v\n%s", err, out)
		}
		out, err = exec.Command(bin, "migrate", "--db", dsn).CombinedOutput()
		if err != nil {
			t.Errorf("oms migrate: %v\n%s", err, out)
		}
		var stdout bytes.Buffer
		cmd := exec.Command(bin, "apikey", "create", "--db", dsn, "--role", "agent", "--name", "desk")
		cmd.Stdout = &stdout
		if err := cmd.Run(); err != nil {
			t.Fatalf("oms apikey create: %v", err)
		}
		agent := strings.TrimSpace(stdout.String())
		if !regexp.MustCompile(`^oms_[A-Za-z0-9_-]{32}$`).MatchString(agent) {
			t.Fatalf("apikey create printed %q, want only the key", stdout.String())
		}
		ac := client{t: t, base: base, key: agent}
		ac.do("GET", "/v1/orders", "", 200)
		ac.do("PUT", "/v1/channels/x", `{}`, 403)
	})
}

// start runs "oms serve" and returns its URL and the admin key it printed.
func start(t *testing.T, bin, dsn string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			t.Errorf("serve exited: %v", err)
		}
	})
	keyRE := regexp.MustCompile(`^\s+(oms_\S+)$`)
	urlRE := regexp.MustCompile(`^oms listening on (http://\S+)$`)
	var key, base string
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("serve stopped before listening")
			}
			if m := keyRE.FindStringSubmatch(l); m != nil && key == "" {
				key = m[1]
			}
			if m := urlRE.FindStringSubmatch(l); m != nil {
				base = m[1]
			}
		case <-timeout:
			t.Fatal("serve did not start in 30s")
		}
	}
	go func() {
		for range lines {
		}
	}()
	if key == "" {
		t.Fatal("serve did not print an admin key on an empty database")
	}
	return base, key
}

type client struct {
	t         *testing.T
	base, key string
}

func (c client) do(method, path, body string, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

func drive(t *testing.T, c client) {
	c.do("GET", "/healthz", "", 200)
	doc := c.do("GET", "/openapi.json", "", 200)
	if doc["openapi"] == nil {
		t.Error("openapi.json has no version")
	}
	c.do("PUT", "/v1/channels/web", `{"name":"Web","kind":"web","currency":"EUR","backorder_policy":"reject"}`, 201)
	c.do("PUT", "/v1/channels/web", `{"name":"Web shop","kind":"web","currency":"EUR","backorder_policy":"reject"}`, 200)
	c.do("PUT", "/v1/locations/berlin", `{"name":"Berlin","kind":"warehouse","can_ship":true,"priority":1,"address":{"line1":"Str. 1","city":"Berlin","country":"DE"}}`, 201)
	c.do("PUT", "/v1/locations/paris", `{"name":"Paris","kind":"store","can_ship":true,"can_pickup":true,"priority":2}`, 201)
	c.do("PUT", "/v1/items/lamp", `{"name":"Lamp","unit_cost":2000,"currency":"EUR"}`, 201)
	c.do("POST", "/v1/inventory/adjustments", `{"sku":"lamp","location":"berlin","delta":2,"reason":"receive"}`, 201)
	c.do("POST", "/v1/inventory/adjustments", `{"sku":"lamp","location":"paris","set_on_hand":4,"reason":"count"}`, 201)
	o := c.do("POST", "/v1/orders", `{"channel":"web","external_id":"E-1","currency":"EUR","customer":{"email":"eve@example.eu"},
		"lines":[{"sku":"lamp","quantity":5,"unit_price":4999}],"shipping_price":499}`, 201)
	if o["status"] != "allocated" || len(o["allocations"].([]any)) != 2 || o["total"].(float64) != 25494 {
		t.Errorf("order = %v", o)
	}
	c.do("POST", "/v1/orders", `{"channel":"web","external_id":"E-1","currency":"EUR","customer":{"email":"eve@example.eu"},
		"lines":[{"sku":"lamp","quantity":5,"unit_price":4999}],"shipping_price":499}`, 200)
	c.do("POST", "/v1/orders", `{"channel":"web","external_id":"E-2","currency":"EUR","lines":[{"sku":"lamp","quantity":2,"unit_price":4999}]}`, 409)
	c.do("POST", "/v1/orders", `{"channel":"web","external_id":"E-3","currency":"EUR","lines":[{"sku":"lamp","quantity":1,"unit_price":4999}]}`, 201)
	id := o["id"].(string)
	c.do("GET", "/v1/orders/"+id, "", 200)
	c.do("GET", "/v1/orders/"+o["number"].(string), "", 200)
	list := c.do("GET", "/v1/orders?status=allocated&q=eve@example.eu", "", 200)
	if n := len(list["orders"].([]any)); n != 1 {
		t.Errorf("list found %d orders", n)
	}
	lines := o["lines"].([]any)
	lineID := lines[0].(map[string]any)["id"].(string)
	c.do("POST", "/v1/orders/"+id+"/cancel", fmt.Sprintf(`{"lines":[{"line_id":%q,"quantity":2}]}`, lineID), 200)
	st := c.do("GET", "/v1/inventory/lamp", "", 200)
	if st["on_hand"].(float64) != 6 || st["reserved"].(float64) != 4 || st["available"].(float64) != 2 {
		t.Errorf("stock = %v", st)
	}
	ev := c.do("GET", "/v1/orders/"+id+"/events", "", 200)
	if n := len(ev["events"].([]any)); n != 2 {
		t.Errorf("timeline has %d events", n)
	}
	led := c.do("GET", "/v1/inventory/lamp/ledger?limit=100", "", 200)
	if n := len(led["entries"].([]any)); n != 6 {
		t.Errorf("ledger has %d entries, want 6", n)
	}
	// Many clients at once against the real server.
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", c.base+"/v1/orders/"+id, nil)
			req.Header.Set("Authorization", "Bearer "+c.key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("concurrent read: %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
}
