package jobs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// chainRcv is a webhook receiver that records, per order number, the event
// seqs of the requests it got, in arrival order, and answers 503 with a
// Retry-After of a minute to the event fail, 204 to the others.
type chainRcv struct {
	srv            *httptest.Server
	fail           atomic.Int64
	inFlight, peak atomic.Int64
	mu             sync.Mutex
	got            map[string][]int64
}

func newChainRcv(t *testing.T) *chainRcv {
	t.Helper()
	r := &chainRcv{got: map[string][]int64{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := r.inFlight.Add(1)
		defer r.inFlight.Add(-1)
		for p := r.peak.Load(); n > p && !r.peak.CompareAndSwap(p, n); p = r.peak.Load() {
		}
		b, _ := io.ReadAll(req.Body)
		var msg struct {
			Data struct {
				Number string `json:"number"`
			} `json:"data"`
		}
		seq, err := strconv.ParseInt(strings.TrimPrefix(req.Header.Get(webhook.HeaderID), "evt_"), 10, 64)
		if json.Unmarshal(b, &msg) != nil || err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.got[msg.Data.Number] = append(r.got[msg.Data.Number], seq)
		r.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		if seq == r.fail.Load() {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// A round carries each order's chain: of twelve orders, each placed, held,
// released and cancelled, it sends every open event of each order (up to Chain) one after the other in event order, PerEndpoint
// orders at a time. An order whose second event fails stops there: its
// third is not attempted, stays open and is not held by the round's lease,
// so that it follows the second at once when that is retried, while the
// other orders' events all go out in the same round.
func TestDeliveryRoundCarriesChains(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		storetest.Seed(t, db)
		storetest.Receive(t, db, "A", "east", 1000)
		rcv := newChainRcv(t)
		ep := subscribe(t, db, &hookRcv{srv: rcv.srv})
		const orders = 12
		number := map[string]string{} // order id → number
		for i := range orders {
			o, _, err := db.PlaceOrder(ctx, storetest.Draft("b2b", "c"+strconv.Itoa(i)+"-"+strconv.FormatInt(time.Now().UnixNano(), 36), storetest.Line("A", 1)), oms.System("test"))
			must(t, err)
			_, err = db.PlaceHold(ctx, o.Number, 0, oms.HoldPayment, "card declined", oms.System("test"))
			must(t, err)
			o, err = db.ReleaseHolds(ctx, o.Number, 0, oms.HoldPayment, oms.System("test"))
			must(t, err)
			_, err = db.CancelOrder(ctx, o.Number, o.Version, nil, oms.System("test"))
			must(t, err)
			number[o.ID] = o.Number
		}
		for {
			n, err := db.FanOutWebhooks(ctx)
			must(t, err)
			if n == 0 {
				break
			}
		}
		ds, _, err := db.WebhookDeliveries(ctx, ep.ID, "", 0, 1000)
		must(t, err)
		want := map[string][]int64{} // order number → its events' seqs
		byID := map[string]oms.WebhookDelivery{}
		for _, d := range ds {
			if nr, ok := number[d.OrderID]; ok {
				seq, _ := strconv.ParseInt(strings.TrimPrefix(d.EventID, "evt_"), 10, 64)
				want[nr] = append(want[nr], seq)
				byID[d.EventID] = d
			}
		}
		victim := number[ds[len(ds)-1].OrderID] // the first order placed
		for nr := range want {
			slices.Sort(want[nr])
			if len(want[nr]) < 3 || len(want[nr]) > outbox.DefaultChain {
				t.Fatalf("order %s has %d events, want 3 to %d", nr, len(want[nr]), outbox.DefaultChain)
			}
		}
		second, third := want[victim][1], want[victim][2]
		rcv.fail.Store(second)

		client := webhook.NewClient(webhook.Options{
			HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true, Timeout: 30 * time.Second})})
		d := outbox.NewDeliverer(db, outbox.DispatcherOptions{Client: client, PerEndpoint: 4})
		n, err := d.Round(ctx, ep.ID)
		must(t, err)
		total := 0
		for nr, seqs := range want {
			if nr != victim {
				total += len(seqs)
			}
		}
		if n != total+2 {
			t.Errorf("one round attempted %d deliveries, want %d (every event of the other orders, the first two of %s)", n, total+2, victim)
		}
		if p := rcv.peak.Load(); p != 4 {
			t.Errorf("at most %d requests were in flight at once, want 4", p)
		}
		rcv.mu.Lock()
		for nr, seqs := range want {
			wantGot := seqs
			if nr == victim {
				wantGot = seqs[:2]
			}
			if !slices.Equal(rcv.got[nr], wantGot) {
				t.Errorf("order %s: the endpoint got events %v, want %v in this order", nr, rcv.got[nr], wantGot)
			}
		}
		rcv.mu.Unlock()

		left, _, err := db.WebhookDeliveries(ctx, ep.ID, "", 0, 1000)
		must(t, err)
		for _, dl := range left {
			seq, _ := strconv.ParseInt(strings.TrimPrefix(dl.EventID, "evt_"), 10, 64)
			if _, ours := byID[dl.EventID]; !ours {
				continue
			}
			wantStatus, wantAttempts := oms.DeliverySucceeded, 1
			switch {
			case seq == second:
				wantStatus = oms.DeliveryFailed
			case number[dl.OrderID] == victim && seq > second:
				wantStatus, wantAttempts = oms.DeliveryPending, 0
			}
			if dl.Status != wantStatus || dl.Attempts != wantAttempts {
				t.Errorf("delivery of event %d (order %s): %s after %d attempts, want %s after %d",
					seq, number[dl.OrderID], dl.Status, dl.Attempts, wantStatus, wantAttempts)
			}
		}

		// Retried now, the second goes out with the rest of its order
		// behind it in one round: the third was left unleased.
		rcv.fail.Store(0)
		_, err = db.RetryWebhookDelivery(ctx, ep.ID, byID["evt_"+strconv.FormatInt(second, 10)].ID)
		must(t, err)
		n, err = d.Round(ctx, ep.ID)
		must(t, err)
		if rest := len(want[victim]) - 1; n != rest {
			t.Errorf("the round after the retry attempted %d deliveries, want %d", n, rest)
		}
		rcv.mu.Lock()
		if got := rcv.got[victim]; len(got) < 4 || got[2] != second || got[3] != third {
			t.Errorf("order %s: the endpoint got events %v, want the second (%d) again, then the third (%d)", victim, got, second, third)
		}
		rcv.mu.Unlock()
	})
}
