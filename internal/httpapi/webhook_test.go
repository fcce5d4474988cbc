package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// webhookEndpoint is the answer of POST /v1/webhook-endpoints.
type webhookEndpoint struct {
	oms.WebhookEndpoint
	Secret string `json:"secret"`
}

// TestWebhookEndpointsAPI: an endpoint made through the API receives the
// events of an order placed through the API, signed with the secret shown
// once and, after a rotation, with the new one; its delivery log says so;
// bad input names the field; a private URL is refused unless the server
// allows it.
func TestWebhookEndpointsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		// Without --webhooks-allow-private, a loopback receiver is refused.
		p := h.mustCall("POST", "/v1/webhook-endpoints", oms.RoleAdmin, `{"url":"http://127.0.0.1:9/x","event_types":["order.*"]}`, 400).problem(t)
		if len(p.Errors) == 0 || p.Errors[0].Field != "url" {
			t.Errorf("private URL: %+v, want an error on url", p)
		}
		api := httpapi.New(h.db, slog.New(slog.DiscardHandler))
		api.WebhooksAllowPrivate(true)
		h.srv.Close()
		h.srv = httptest.NewServer(api)
		t.Cleanup(h.srv.Close)

		var mu sync.Mutex
		var secret string
		var got []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err := webhook.Verify(secret, r.Header, body, time.Now(), 0); err != nil {
				t.Errorf("%s: %v", r.Header.Get("webhook-id"), err)
			}
			var msg struct{ Type string }
			json.Unmarshal(body, &msg)
			got = append(got, msg.Type)
		}))
		defer rcv.Close()

		for _, c := range []struct{ body, field string }{
			{`{"url":"ftp://example.com/x","event_types":["order.*"]}`, "url"},
			{`{"url":"https://a:b@example.com/x","event_types":["order.*"]}`, "url"},
			{`{"url":"https://example.com/x","event_types":["order.*", "bad pattern"]}`, "event_types[1]"},
			{`{"url":"https://example.com/x","event_types":[]}`, "event_types"},
			{`{"event_types":["*"]}`, "url"},
		} {
			p := h.mustCall("POST", "/v1/webhook-endpoints", oms.RoleAdmin, c.body, 400).problem(t)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%s: %+v, want an error on %s", c.body, p.Errors, c.field)
			}
		}
		h.mustCall("POST", "/v1/webhook-endpoints", oms.RoleManager, `{"url":"https://example.com/x","event_types":["*"]}`, 403)

		var ep webhookEndpoint
		h.mustCall("POST", "/v1/webhook-endpoints", oms.RoleAdmin,
			`{"url":"`+rcv.URL+`/hooks","event_types":["order.*"],"description":"ERP"}`, 201).json(t, &ep)
		if !strings.HasPrefix(ep.Secret, "whsec_") || !strings.HasPrefix(ep.ID, "we_") || !ep.Enabled {
			t.Fatalf("created %+v", ep)
		}
		mu.Lock()
		secret = ep.Secret
		mu.Unlock()
		if r := h.mustCall("GET", "/v1/webhook-endpoints/"+ep.ID, oms.RoleAdmin, nil, 200); strings.Contains(string(r.body), "whsec_") {
			t.Errorf("GET shows the secret: %s", r.body)
		}

		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("w-1", 1), 201)
		d := outbox.NewDispatcher(h.db, outbox.DispatcherOptions{Client: webhook.NewClient(webhook.Options{
			HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true})})})
		dispatch := func() {
			for range 20 {
				if n, err := d.DispatchOnce(ctx); err != nil {
					t.Fatal(err)
				} else if n == 0 {
					return
				}
			}
		}
		dispatch()
		mu.Lock()
		first := append([]string(nil), got...)
		mu.Unlock()
		if len(first) == 0 || first[0] != oms.EventOrderCreated {
			t.Fatalf("received %v, want order.created first", first)
		}
		for _, typ := range first {
			if !strings.HasPrefix(typ, "order.") {
				t.Errorf("received %s, which the endpoint did not subscribe to", typ)
			}
		}
		var log struct {
			Deliveries []oms.WebhookDelivery `json:"deliveries"`
		}
		h.mustCall("GET", "/v1/webhook-endpoints/"+ep.ID+"/deliveries?status=succeeded", oms.RoleAdmin, nil, 200).json(t, &log)
		if len(log.Deliveries) != len(first) || log.Deliveries[0].LastStatusCode == nil || *log.Deliveries[0].LastStatusCode != 200 {
			t.Errorf("delivery log %+v, want %d succeeded", log.Deliveries, len(first))
		}
		h.mustCall("GET", "/v1/webhook-endpoints/"+ep.ID+"/deliveries?status=nope", oms.RoleAdmin, nil, 400)

		// Rotation: the receiver holding only the new secret accepts.
		var rotated webhookEndpoint
		h.mustCall("POST", "/v1/webhook-endpoints/"+ep.ID+"/rotate-secret", oms.RoleAdmin, `{"expires_in_seconds":3600}`, 200).json(t, &rotated)
		if rotated.Secret == ep.Secret || rotated.PreviousSecretExpiresAt == nil {
			t.Fatalf("rotated %+v", rotated)
		}
		mu.Lock()
		secret = rotated.Secret
		mu.Unlock()
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("w-2", 1), 201)
		dispatch()

		// Retry one delivery and replay the range.
		h.mustCall("POST", "/v1/webhook-endpoints/"+ep.ID+"/deliveries/"+log.Deliveries[0].ID+"/retry", oms.RoleAdmin, nil, 200)
		h.mustCall("POST", "/v1/webhook-endpoints/"+ep.ID+"/deliveries/wd_none/retry", oms.RoleAdmin, nil, 404)
		var replay struct{ Queued int }
		h.mustCall("POST", "/v1/webhook-endpoints/"+ep.ID+"/replay", oms.RoleAdmin,
			`{"from":"2000-01-01T00:00:00Z","to":"2100-01-01T00:00:00Z"}`, 202).json(t, &replay)
		if replay.Queued < len(first) {
			t.Errorf("replay queued %d, want at least %d", replay.Queued, len(first))
		}
		p = h.mustCall("POST", "/v1/webhook-endpoints/"+ep.ID+"/replay", oms.RoleAdmin, `{"from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z"}`, 400).problem(t)
		if len(p.Errors) == 0 || p.Errors[0].Field != "to" {
			t.Errorf("reversed range: %+v", p)
		}
		dispatch()

		var off oms.WebhookEndpoint
		h.mustCall("PATCH", "/v1/webhook-endpoints/"+ep.ID, oms.RoleAdmin, `{"enabled":false}`, 200).json(t, &off)
		if off.Enabled || off.DisabledReason != "manual" {
			t.Errorf("disabled %+v", off)
		}
		var page struct {
			WebhookEndpoints []oms.WebhookEndpoint `json:"webhook_endpoints"`
		}
		h.mustCall("GET", "/v1/webhook-endpoints", oms.RoleAdmin, nil, 200).json(t, &page)
		if len(page.WebhookEndpoints) != 1 {
			t.Errorf("listed %+v", page)
		}
		h.mustCall("DELETE", "/v1/webhook-endpoints/"+ep.ID, oms.RoleAdmin, nil, 204)
		h.mustCall("GET", "/v1/webhook-endpoints/"+ep.ID, oms.RoleAdmin, nil, 404)
		h.mustCall("GET", "/v1/webhook-endpoints/"+ep.ID+"/deliveries", oms.RoleAdmin, nil, 404)
	})
}

// TestOpenAPIWebhooks: the document describes the message of every event
// type under x-webhooks, as {type, timestamp, data} with the type fixed.
func TestOpenAPIWebhooks(t *testing.T) {
	h := setup(t, storetest.Engines(t)[0])
	var doc struct {
		Hooks map[string]struct {
			Post struct {
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Required   []string `json:"required"`
							Properties map[string]struct {
								Ref  string   `json:"$ref"`
								Enum []string `json:"enum"`
							} `json:"properties"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"post"`
		} `json:"x-webhooks"`
	}
	h.mustCall("GET", "/openapi.json", oms.RoleAdmin, nil, 200).json(t, &doc)
	for _, typ := range []string{oms.EventOrderCreated, "fulfillment.shipped", oms.EventReturnReceived, oms.EventCaseOpened,
		oms.EventAvailabilityChanged, oms.EventCaseUpdated, oms.EventWebhookEndpointDisabled} {
		s := doc.Hooks[typ].Post.RequestBody.Content["application/json"].Schema
		if e := s.Properties["type"].Enum; len(e) != 1 || e[0] != typ || len(s.Required) != 3 {
			t.Errorf("x-webhooks %s: %+v", typ, s)
		}
		if _, typed := oms.PayloadType(typ); typed && s.Properties["data"].Ref == "" {
			t.Errorf("x-webhooks %s: data names no schema though the type has a payload type", typ)
		}
	}
}
