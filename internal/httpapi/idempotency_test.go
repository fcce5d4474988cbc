package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// faults is a store.Options.Fault that strikes once, at the step it is
// armed for: with an error, or with a panic that ends the request as a
// killed server would — the client gets no answer.
type faults struct {
	mu    sync.Mutex
	step  string
	crash bool
}

func (f *faults) arm(step string, crash bool) {
	f.mu.Lock()
	f.step, f.crash = step, crash
	f.mu.Unlock()
}

func (f *faults) fault(_ context.Context, step string) error {
	f.mu.Lock()
	armed, crash := f.step == step, f.crash
	if armed {
		f.step = ""
	}
	f.mu.Unlock()
	switch {
	case !armed:
		return nil
	case crash:
		panic(http.ErrAbortHandler) // net/http drops the connection, unanswered
	}
	return errors.New("injected fault at " + step)
}

// TestIdempotencyFaults cuts off requests under an Idempotency-Key at every
// step — claimed, effect made, about to commit, committed but not answered —
// by an error or a crash, and retries them: each retry is answered as the
// first answer (replayed when it was committed), a retry of the retry gets
// the same status and body, and the effect is made exactly once: one order
// (its units reserved once), one refund (the money moves once), one return,
// one edit.
func TestIdempotencyFaults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		f := &faults{}
		h := setupWith(t, storetest.OpenWith(t, e, store.Options{Fault: f.fault}))
		// A request cut off on a fresh connection is not sent again by the
		// client itself (net/http retries one with an Idempotency-Key on a
		// reused connection): the test retries it, when it means to.
		h.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		h.seed()
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":100,"reason":"receive"}`, 201)
		var shipped, open oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("SHIPPED", 20), 201).json(t, &shipped)
		h.shipAll(shipped.ID)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("OPEN", 1), 201).json(t, &open)

		type request struct {
			path, body string
			role       oms.Role
			header     []string
		}
		routes := []struct {
			name  string
			req   func(n int) request
			count func() int // how many of what the route makes exist
		}{
			{"order", func(n int) request {
				return request{"/v1/orders", orderBody(fmt.Sprint("F-", n), 1), oms.RoleChannel, nil}
			}, func() int { _, reserved := h.stock("mug"); return int(reserved) }},
			{"refund", func(n int) request {
				return request{"/v1/orders/" + shipped.ID + "/refunds", fmt.Sprintf(`{"kind":"appeasement","amount":1,"reason":"r%d"}`, n), oms.RoleManager, nil}
			}, func() int { return len(h.refunds(shipped.ID).Refunds) }},
			{"return", func(n int) request {
				return request{"/v1/orders/" + shipped.ID + "/returns", `{"lines":[{"line_id":"` + shipped.Lines[0].ID + `","quantity":1,"reason":"other"}]}`, oms.RoleAgent, nil}
			}, func() int {
				var p struct{ Returns []oms.Return }
				h.mustCall("GET", "/v1/returns?order="+shipped.ID+"&limit=200", oms.RoleAgent, nil, 200).json(t, &p)
				return len(p.Returns)
			}},
			{"edit", func(n int) request {
				etag := h.mustCall("GET", "/v1/orders/"+open.ID, oms.RoleAgent, nil, 200).header.Get("ETag")
				return request{"/v1/orders/" + open.ID + "/edits", `{"operations":[{"op":"add_line","sku":"mug","quantity":1,"unit_price":100}]}`,
					oms.RoleAgent, []string{"If-Match", etag}}
			}, func() int {
				var l struct{ Edits []oms.OrderEdit }
				h.mustCall("GET", "/v1/orders/"+open.ID+"/edits", oms.RoleAgent, nil, 200).json(t, &l)
				return len(l.Edits)
			}},
		}
		steps := []string{store.StepClaimed, store.StepEffect, store.StepCommit, store.StepCommitted}
		n := 0
		for _, rt := range routes {
			for _, step := range steps {
				for _, crash := range []bool{false, true} {
					n++
					name := fmt.Sprintf("%s at %s, crash %v", rt.name, step, crash)
					req := rt.req(n)
					header := append([]string{"Idempotency-Key", fmt.Sprint("fault-", n)}, req.header...)
					before := rt.count()
					f.arm(step, crash)
					first, err := h.try("POST", req.path, req.role, req.body, header...)
					switch {
					case crash && err == nil:
						t.Fatalf("%s: answered %d %s, want no answer", name, first.status, first.body)
					case !crash && (err != nil || first.status != 500):
						t.Fatalf("%s: %v %d %s, want 500", name, err, first.status, first.body)
					}
					retry := h.call("POST", req.path, req.role, req.body, header...)
					again := h.call("POST", req.path, req.role, req.body, header...)
					if retry.status >= 300 {
						t.Fatalf("%s: retry %d %s", name, retry.status, retry.body)
					}
					if again.status != retry.status || !bytes.Equal(again.body, retry.body) || again.header.Get("Idempotent-Replayed") != "true" {
						t.Errorf("%s: the retry's retry got %d %s, want %d %s again", name, again.status, again.body, retry.status, retry.body)
					}
					// The committed answer is the first answer: the retry replays it.
					if replayed := retry.header.Get("Idempotent-Replayed") == "true"; replayed != (step == store.StepCommitted) {
						t.Errorf("%s: retry replayed %v", name, replayed)
					}
					if got := rt.count() - before; got != 1 {
						t.Errorf("%s: made %d times, want once", name, got)
					}
				}
			}
		}
		if fs := h.refunds(shipped.ID); fs.Refunded != 8 {
			t.Errorf("refunded %d, want 8 (1 per case)", fs.Refunded)
		}
	})
}

// TestIdempotencyRace: the same request sent many times at once under one
// key is made once, and every sender gets the same answer.
func TestIdempotencyRace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("R-1", 2), 201).json(t, &o)
		h.shipAll(o.ID)
		answers := make([]response, 8)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i], _ = h.try("POST", "/v1/orders/"+o.ID+"/refunds", oms.RoleManager,
					`{"kind":"appeasement","amount":300,"reason":"late"}`, "Idempotency-Key", "race-1")
			}()
		}
		wg.Wait()
		for i, a := range answers {
			if a.status != 201 || !bytes.Equal(a.body, answers[0].body) {
				t.Errorf("sender %d got %d %s, want 201 %s", i, a.status, a.body, answers[0].body)
			}
		}
		if fs := h.refunds(o.ID); len(fs.Refunds) != 1 || fs.Refunded != 300 {
			t.Errorf("refunds %+v, want one of 300", fs)
		}
	})
}

// TestIdempotencyKeepsNoSecret: an answer that shows a secret — a new or
// rotated API key, a return link's token — is replayed without it, and no secret is
// stored anywhere in the database: not in the idempotency keys, not in any
// table, not in SQLite's files.
func TestIdempotencyKeepsNoSecret(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		h := setupWith(t, db)
		h.seed()

		const keyBody = `{"name":"ci","role":"agent"}`
		first := h.call("POST", "/v1/api-keys", oms.RoleAdmin, keyBody, "Idempotency-Key", "new-key")
		var created struct {
			oms.APIKey
			Secret string `json:"secret"`
		}
		first.json(t, &created)
		if first.status != 201 || !strings.HasPrefix(created.Secret, "oms_") {
			t.Fatalf("create: %d %s", first.status, first.body)
		}
		replay := h.call("POST", "/v1/api-keys", oms.RoleAdmin, keyBody, "Idempotency-Key", "new-key")
		var again map[string]any
		replay.json(t, &again)
		if _, ok := again["secret"]; ok || replay.status != 201 || again["id"] != created.ID || replay.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replayed key creation: %d %s, want the key %s without its secret", replay.status, replay.body, created.ID)
		}
		h.keys["ci"] = created.Secret
		h.mustCall("GET", "/v1/orders", "ci", nil, 200) // the key shown once works
		// Rotating answers a secret too.
		rotate := "/v1/api-keys/" + created.ID + "/rotate"
		first = h.call("POST", rotate, oms.RoleAdmin, `{"expires_in_seconds":0}`, "Idempotency-Key", "rotate")
		var rotated struct {
			Secret string `json:"secret"`
		}
		first.json(t, &rotated)
		if first.status != 200 || !strings.HasPrefix(rotated.Secret, "oms_") {
			t.Fatalf("rotate: %d %s", first.status, first.body)
		}
		replay = h.call("POST", rotate, oms.RoleAdmin, `{"expires_in_seconds":0}`, "Idempotency-Key", "rotate")
		again = nil
		replay.json(t, &again)
		if _, ok := again["secret"]; ok || replay.status != 200 || again["id"] != created.ID || replay.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replayed rotation: %d %s, want the key without its secret", replay.status, replay.body)
		}

		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("S-1", 2), 201).json(t, &o)
		h.shipAll(o.ID)
		first = h.call("POST", "/v1/orders/"+o.ID+"/return-link", oms.RoleAgent, `{}`, "Idempotency-Key", "link")
		var link oms.ReturnLink
		first.json(t, &link)
		if first.status != 201 || link.Token == "" {
			t.Fatalf("return link: %d %s", first.status, first.body)
		}
		replay = h.call("POST", "/v1/orders/"+o.ID+"/return-link", oms.RoleAgent, `{}`, "Idempotency-Key", "link")
		again = nil
		replay.json(t, &again)
		if _, ok := again["token"]; ok || again["path"] != nil || replay.status != 201 || again["order_id"] != o.ID {
			t.Errorf("replayed return link: %d %s, want it without token and path", replay.status, replay.body)
		}
		// The portal's path holds the token: a key used there stores no path.
		portal := `{"lines":[{"line_id":"` + o.Lines[0].ID + `","quantity":1,"reason":"other"}]}`
		r1 := h.call("POST", link.Path+"/returns", "", portal, "Idempotency-Key", "portal")
		r2 := h.call("POST", link.Path+"/returns", "", portal, "Idempotency-Key", "portal")
		if r1.status != 201 || r2.status != 201 || !bytes.Equal(r1.body, r2.body) || r2.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("portal return: %d %s, then %d %s", r1.status, r1.body, r2.status, r2.body)
		}

		secrets := map[string]string{"API key": created.Secret, "rotated API key": rotated.Secret, "return link token": link.Token,
			"return link signature": link.Token[strings.LastIndexByte(link.Token, '.')+1:]}
		for where, text := range storedText(t, e, dsn) {
			for what, s := range secrets {
				if strings.Contains(text, s) || strings.Contains(text, hex.EncodeToString([]byte(s))) {
					t.Errorf("the %s is stored in clear in %s", what, where)
				}
			}
		}
	})
}

// storedText is everything the database holds, as text: SQLite's files as
// they are on disk, or every table of PostgreSQL's schema, each row as text
// (bytea as hex).
func storedText(t *testing.T, e storetest.Engine, dsn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if e.Name == "sqlite" {
		for _, name := range []string{dsn, dsn + "-wal"} {
			b, err := os.ReadFile(name)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			out[name] = string(b)
		}
		if len(out[dsn]) == 0 {
			t.Fatal("the SQLite file is empty")
		}
		return out
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, tb := range tables {
		var text sql.NullString
		if err := raw.QueryRow(fmt.Sprintf(`SELECT string_agg(t::text, E'\n') FROM %q t`, tb)).Scan(&text); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		out[tb] = text.String
	}
	if !strings.Contains(out["idempotency_keys"], "new-key") {
		t.Fatalf("the idempotency keys were not read: %q", out["idempotency_keys"])
	}
	return out
}

// TestIdempotencyKeyExpires: a key is kept for a day; used again after it,
// it is a new request, whatever the body.
func TestIdempotencyKeyExpires(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		var mu sync.Mutex
		now := time.Now().UTC()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		h := setupWith(t, storetest.OpenWith(t, e, store.Options{Now: clock}))
		h.seed()
		adj := func(n int) string {
			return fmt.Sprintf(`{"sku":"mug","location":"wh1","delta":%d,"reason":"receive"}`, n)
		}
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj(1), 201)
		first := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj(1), "Idempotency-Key", "day")
		mu.Lock()
		now = now.Add(oms.IdempotencyTTL - time.Second)
		mu.Unlock()
		if r := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj(2), "Idempotency-Key", "day"); r.status != 422 {
			t.Errorf("another body under the key within a day: %d %s", r.status, r.body)
		}
		mu.Lock()
		now = now.Add(time.Second)
		mu.Unlock()
		r := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj(2), "Idempotency-Key", "day")
		if r.status != 201 || r.header.Get("Idempotent-Replayed") != "" || bytes.Equal(r.body, first.body) {
			t.Errorf("the key a day later: %d %s, want a new request", r.status, r.body)
		}
		if b := h.balance("mug", "wh1"); b.OnHand != 5+1+1+2 {
			t.Errorf("on hand %d, want 9", b.OnHand)
		}
		var entry oms.LedgerEntry
		json.Unmarshal(r.body, &entry)
		if entry.Delta != 2 {
			t.Errorf("the new request's movement %+v", entry)
		}
	})
}
