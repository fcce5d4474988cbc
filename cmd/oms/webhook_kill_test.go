package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// hookReceiver counts the webhook messages it receives: by webhook-id, and
// per order the ids in the order they first arrived.
type hookReceiver struct {
	mu       sync.Mutex
	ids      map[string]bool
	total    int
	perOrder map[string][]int64
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	var msg struct {
		Type string `json:"type"`
		Data struct {
			Number string `json:"number"`
		} `json:"data"`
	}
	id := req.Header.Get("webhook-id")
	seq, err := strconv.ParseInt(strings.TrimPrefix(id, "evt_"), 10, 64)
	if json.Unmarshal(b, &msg) != nil || err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.total++
	if !r.ids[id] {
		r.ids[id] = true
		r.perOrder[msg.Data.Number] = append(r.perOrder[msg.Data.Number], seq)
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *hookReceiver) distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ids)
}

// TestThreeServersOneKilled runs three "oms serve" on one PostgreSQL
// database, places orders through all three, kills one with SIGKILL in the
// middle, and checks that a local receiver subscribed to order.* got every
// event written at least once — as many distinct ids as events — with the
// events of each order in the order they were written, and that oms check
// passes.
func TestThreeServersOneKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip("needs PostgreSQL: set " + storetest.PostgresEnv)
	}
	bin := buildOMS(t)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		if e.Name != "postgres" {
			t.Skip("many servers share a PostgreSQL database")
		}
		dsn := e.DSN(t)
		// The killed server's claimed deliveries go out again after the
		// lease: short, so that the test sees it.
		t.Setenv("OMS_WEBHOOKS_ALLOW_PRIVATE", "true")
		t.Setenv("OMS_WEBHOOKS_LEASE", "3s")
		rcv := &hookReceiver{ids: map[string]bool{}, perOrder: map[string][]int64{}}
		hook := httptest.NewServer(rcv)
		defer hook.Close()

		first := launch(t, bin, dsn, "", "")
		c := client{t: t, base: first.base, key: first.key}
		c.do("POST", "/v1/webhook-endpoints", fmt.Sprintf(`{"url":%q,"event_types":["order.*"]}`, hook.URL), 201)
		c.do("PUT", "/v1/channels/web", `{"name":"Web","kind":"web","currency":"EUR","backorder_policy":"backorder"}`, 201)
		c.do("PUT", "/v1/locations/berlin", `{"name":"Berlin","kind":"warehouse","can_ship":true,"priority":1}`, 201)
		c.do("PUT", "/v1/items/lamp", `{"name":"Lamp","unit_cost":2000,"currency":"EUR"}`, 201)
		c.do("POST", "/v1/inventory/adjustments", `{"sku":"lamp","location":"berlin","delta":150,"reason":"receive"}`, 201)
		servers := []*server{first, launch(t, bin, dsn, "", first.key), launch(t, bin, dsn, "", first.key)}

		// Four clients place orders round the servers for 8 seconds; the
		// second server is killed after 3. Past the stock, orders are
		// backordered: order.created and order.backordered.
		var placed, failed atomic.Int64
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		hc := &http.Client{Timeout: 10 * time.Second}
		for w := range 4 {
			wg.Go(func() {
				for n := 0; ctx.Err() == nil; n++ {
					s := servers[(w+n)%len(servers)]
					body := fmt.Sprintf(`{"channel":"web","external_id":"K-%d-%d","currency":"EUR","lines":[{"sku":"lamp","quantity":1,"unit_price":4999}]}`, w, n)
					req, _ := http.NewRequest("POST", s.base+"/v1/orders", strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+first.key)
					res, err := hc.Do(req)
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode == 201 {
						placed.Add(1)
					} else {
						failed.Add(1)
					}
				}
			})
		}
		time.Sleep(3 * time.Second)
		if err := servers[1].cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		servers[1].cmd.Wait()
		wg.Wait()
		t.Logf("%d orders placed, %d requests failed (the killed server's)", placed.Load(), failed.Load())
		if placed.Load() < 50 {
			t.Fatalf("only %d orders placed", placed.Load())
		}

		// Every order.* event written reaches the receiver.
		db, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		written := map[string]bool{}
		for after := ""; ; {
			evs, err := db.Events(context.Background(), oms.Principal{}, after, "", 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if strings.HasPrefix(e.Type, "order.") {
					written[e.ID] = true
				}
			}
			if len(evs) < 1000 {
				break
			}
			after = evs[len(evs)-1].ID
		}
		for deadline := time.Now().Add(30 * time.Second); rcv.distinct() < len(written) && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond) // nothing more than was written
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		if len(rcv.ids) != len(written) {
			t.Errorf("the receiver got %d distinct ids, %d events were written", len(rcv.ids), len(written))
		}
		for id := range written {
			if !rcv.ids[id] {
				t.Errorf("event %s never delivered", id)
			}
		}
		for number, seqs := range rcv.perOrder {
			for i := 1; i < len(seqs); i++ {
				if seqs[i] < seqs[i-1] {
					t.Errorf("order %s's events arrived as %v, not in order", number, seqs)
					break
				}
			}
		}
		t.Logf("%d events written, %d messages received (%d distinct)", len(written), rcv.total, len(rcv.ids))
		if out, err := exec.Command(bin, "check", "--db", dsn).CombinedOutput(); err != nil {
			t.Errorf("oms check: %v\n%s", err, out)
		}
	})
}
