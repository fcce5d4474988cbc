package httpapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel"
	"github.com/omshq/oms/internal/store"
)

// maxChannelBody bounds an order a channel sends in its own format: a
// marketplace order with many lines and its metadata is larger than ours.
const maxChannelBody = 4 << 20

// channelPayload stands, in the OpenAPI document, for an order in a
// channel's own format: any JSON object (or a CSV file for a csv channel).
type channelPayload struct{}

// readBody reads the whole request body, which the route limits to limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", limit)
		}
		return nil, oms.Errorf(oms.EINVALID, "the request body could not be read")
	}
	return body, nil
}

// ingestOrder takes one order in the format of the channel's kind; a
// channel of kind web, pos or api sends oms's own order JSON.
func (s *Server) ingestOrder(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	ch, err := s.db.Channel(r.Context(), code)
	if err != nil {
		return err
	}
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	if !channel.Native(ch.Kind) {
		var req orderRequest
		if err := decodeChecked(body, &req, req.check); err != nil {
			return err
		}
		var p oms.Problems
		matchPath(&p, "channel", req.Channel, code)
		if err := invalidWith(p, req.check); err != nil {
			return err
		}
		req.Channel = code
		return s.place(w, r, &req)
	}
	return s.ingest(w, r, ch, body)
}

// ingest reads the body with the channel's adapter and records the order.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request, ch *oms.Channel, body []byte) error {
	in, err := channel.Parse(ch.Kind, body)
	if err != nil {
		return err
	}
	res, err := s.db.IngestOrder(r.Context(), ch.Code, in, body, actor(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/orders/"+res.Order.ID)
	w.Header().Set("OMS-Ingest-Outcome", res.Outcome)
	status := http.StatusOK
	if res.Outcome == store.IngestCreated {
		status = http.StatusCreated
	}
	return writeOrder(w, r, status, res.Order)
}

// signatureHeaders name the header each channel kind signs its webhooks in:
// base64 of the HMAC-SHA256 of the raw body under the channel's secret.
var signatureHeaders = map[string]string{
	"shopify":     "X-Shopify-Hmac-Sha256",
	"woocommerce": "X-WC-Webhook-Signature",
}

// outcomeIgnored is a webhook's outcome when it carries no order.
const outcomeIgnored = "ignored"

// webhookOutcomes lists what a webhook's order may come to.
var webhookOutcomes = []string{store.IngestCreated, store.IngestDuplicate, store.IngestUpdated, store.IngestStale, outcomeIgnored}

type webhookAnswer struct {
	Received bool   `json:"received"`
	Outcome  string `json:"outcome"` // one of webhookOutcomes
	OrderID  string `json:"order_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// webhook takes a channel's signed webhook delivery. The signature is
// checked over the raw body, in constant time, before anything is read or
// recorded; a bad or missing one is 401.
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	ch, err := s.db.Channel(r.Context(), code)
	if err != nil {
		return err
	}
	header, ok := signatureHeaders[ch.Kind]
	if !ok {
		return oms.Errorf(oms.ENOTFOUND, "channels of kind %s send no signed webhooks; post their orders to /v1/channels/%s/orders with an API key", ch.Kind, code)
	}
	if !validSignature(ch.WebhookSecret, r.Header.Get(header), body) {
		s.log.WarnContext(r.Context(), "webhook signature rejected", "channel", code)
		return oms.Errorf(oms.EUNAUTHORIZED, "the %s header is missing or does not match the body signed with the channel's webhook secret", header)
	}
	if ch.Kind == "woocommerce" && isWooPing(body) {
		// WooCommerce checks a new webhook with a form-encoded ping.
		return writeJSON(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "ping"})
	}
	if topic := webhookTopic(ch.Kind, r.Header); topic != "" && !orderTopic(topic) {
		return writeJSON(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "topic " + topic + " is not an order"})
	}
	in, err := channel.Parse(ch.Kind, body)
	if err != nil {
		return err
	}
	res, err := s.db.IngestOrder(r.Context(), code, in, body, "webhook:"+code)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Outcome == store.IngestCreated {
		status = http.StatusCreated
	}
	return writeJSON(w, status, webhookAnswer{Received: true, Outcome: res.Outcome, OrderID: res.Order.ID})
}

// validSignature reports whether sig is the base64 HMAC-SHA256 of body under
// secret. Without a secret nothing is valid.
func validSignature(secret, sig string, body []byte) bool {
	if secret == "" || sig == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

func isWooPing(body []byte) bool {
	return strings.HasPrefix(string(body), "webhook_id=")
}

// webhookTopic is the topic a delivery names, if any.
func webhookTopic(kind string, h http.Header) string {
	if kind == "shopify" {
		return h.Get("X-Shopify-Topic")
	}
	return h.Get("X-WC-Webhook-Topic")
}

// orderTopics are the webhook topics whose body is a whole order.
var orderTopics = map[string]bool{
	"orders/create": true, "orders/updated": true, "orders/cancelled": true, "orders/paid": true,
	"orders/fulfilled": true, "orders/partially_fulfilled": true,
	"order.created": true, "order.updated": true, "order.restored": true,
}

// orderTopic reports whether a topic's body is a whole order (a deletion
// carries only the id, an edit only the change).
func orderTopic(topic string) bool { return orderTopics[topic] }
