package webhooks_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/stream"
)

// natsURL is OMS_TEST_NATS_URL; the test skips without it, or when nothing
// answers at the default address.
func natsURL(t *testing.T) string {
	t.Helper()
	raw, set := os.LookupEnv("OMS_TEST_NATS_URL")
	if !set {
		raw = "nats://127.0.0.1:4222"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("OMS_TEST_NATS_URL: %v", err)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		if set {
			t.Fatalf("NATS at OMS_TEST_NATS_URL is not reachable: %v", err)
		}
		t.Skipf("NATS tests skipped: no server at %s; set OMS_TEST_NATS_URL", u.Host)
	}
	c.Close()
	return raw
}

// TestNATSRelay: every event of the outbox is published once to JetStream,
// on oms-like subjects <prefix>.<type> with the event id as message id, in
// the order written; a second relay publishes nothing while the first holds
// the cursor, and takes over once its lease has run out.
func TestNATSRelay(t *testing.T) {
	raw := natsURL(t)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		b := make([]byte, 4)
		rand.Read(b)
		name := "T" + hex.EncodeToString(b)
		cfg := stream.Config{URL: raw, Stream: name, SubjectPrefix: name}
		pub, err := stream.Connect(ctx, cfg)
		must(t, err)
		defer pub.Close()
		nc, err := nats.Connect(raw)
		must(t, err)
		defer nc.Close()
		js, err := jetstream.New(nc)
		must(t, err)
		defer js.DeleteStream(context.WithoutCancel(ctx), name)

		h := newHookSetup(t, e, "order.*")
		first := outbox.NewRelay(h.db, pub, outbox.RelayOptions{Lease: time.Minute})
		second := outbox.NewRelay(h.db, pub, outbox.RelayOptions{Lease: time.Minute})
		// What was written before (the endpoint's creation) is published too.
		h.event(t, "order.created", "o1")
		h.event(t, "order.held", "o1")
		h.event(t, "order.created", "o2")
		n, err := first.PublishOnce(ctx)
		must(t, err)
		if n != 4 {
			t.Fatalf("published %d, want 4", n)
		}
		h.event(t, "order.released", "o1")
		if n, err := second.PublishOnce(ctx); err != nil || n != 0 {
			t.Fatalf("second relay published %d (%v) while the first held the cursor", n, err)
		}
		h.clock.Add(2 * time.Minute) // the first relay's lease runs out
		if n, err := second.PublishOnce(ctx); err != nil || n != 1 {
			t.Fatalf("second relay published %d (%v) after the lease ran out, want 1", n, err)
		}
		if n, err := first.PublishOnce(ctx); err != nil || n != 0 {
			t.Fatalf("first relay published %d (%v) after losing the cursor, want 0", n, err)
		}

		s, err := js.Stream(ctx, name)
		must(t, err)
		want := []struct{ subject, typ string }{
			{name + ".webhook_endpoint.created", "webhook_endpoint.created"},
			{name + ".order.created", "order.created"}, {name + ".order.held", "order.held"},
			{name + ".order.created", "order.created"}, {name + ".order.released", "order.released"},
		}
		var lastID string
		for i, w := range want {
			m, err := s.GetMsg(ctx, uint64(i+1))
			must(t, err)
			id := m.Header.Get(jetstream.MsgIDHeader)
			if m.Subject != w.subject || m.Header.Get(stream.HeaderEventType) != w.typ || id == "" || id == lastID {
				t.Errorf("message %d: %s %v, want %s", i+1, m.Subject, m.Header, w.subject)
			}
			lastID = id
		}
		info, err := s.Info(ctx)
		must(t, err)
		if info.State.Msgs != uint64(len(want)) {
			t.Errorf("%d messages in the stream, want %d", info.State.Msgs, len(want))
		}
	})
}
