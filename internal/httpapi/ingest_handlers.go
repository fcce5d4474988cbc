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
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
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
	ch, err := s.svc.Channels.Channel(r.Context(), code)
	if err != nil {
		return err
	}
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	if !channel.Native(ch.Kind) {
		var req orderRequest
		if err := decode.JSONChecked(body, &req, req.check); err != nil {
			return err
		}
		var p oms.Problems
		matchPath(&p, "channel", req.Channel, code)
		if err := decode.InvalidWith(p, req.check); err != nil {
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
	res, err := s.svc.Channels.IngestOrder(r.Context(), ch.Code, in, body, viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/orders/"+res.Order.ID)
	w.Header().Set("OMS-Ingest-Outcome", res.Outcome)
	status := http.StatusOK
	if res.Outcome == oms.IngestCreated {
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

// deliveryHeaders name the header each channel kind identifies a webhook
// delivery by: the same in every retry of it.
var deliveryHeaders = map[string]string{
	"shopify":     "X-Shopify-Webhook-Id",
	"woocommerce": "X-WC-Webhook-Delivery-ID",
}

// maxDeliveryID bounds a delivery id: Shopify's are UUIDs, WooCommerce's
// integers.
const maxDeliveryID = 255

// deliveryID returns the id the channel kind gives the delivery in its
// header, or "" without one. An id longer than maxDeliveryID or with other
// than printable ASCII is EINVALID naming the header.
func deliveryID(kind string, h http.Header) (string, error) {
	name, ok := deliveryHeaders[kind]
	if !ok {
		return "", nil
	}
	id := strings.TrimSpace(h.Get(name))
	if len(id) > maxDeliveryID || strings.ContainsFunc(id, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return "", oms.Invalid(name, "must be printable ASCII of at most %d bytes", maxDeliveryID)
	}
	return id, nil
}

// outcomeIgnored is a webhook's outcome when it carries no order.
const outcomeIgnored = "ignored"

// webhookOutcomes lists what a webhook's order may come to.
var webhookOutcomes = []string{oms.IngestCreated, oms.IngestDuplicate, oms.IngestUpdated, oms.IngestStale, outcomeIgnored}

type webhookAnswer struct {
	Received bool   `json:"received"`
	Outcome  string `json:"outcome"` // one of webhookOutcomes
	OrderID  string `json:"order_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// webhook takes a channel's signed webhook delivery. The signature is
// checked over the raw body, in constant time, before anything is read or
// recorded; a bad or missing one is 401. An unknown channel code, and a
// channel whose kind sends no webhooks, get that same 401 after the same
// work, so that a caller without a secret learns nothing of which channels
// exist.
// A repeat of a delivery the channel identifies (deliveryHeaders) that changed
// its order is answered duplicate without being read or written again. Every
// answer names its outcome in OMS-Ingest-Outcome.
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	body, err := readBody(r, maxChannelBody)
	if err != nil {
		return err
	}
	ch, err := s.svc.Channels.Channel(r.Context(), code)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		ch, err = &oms.Channel{}, nil // no secret: refused below as a bad signature
	}
	if err != nil {
		return err
	}
	header, ok := signatureHeaders[ch.Kind]
	if !validSignature(ch.WebhookSecret, signature(r.Header, header), body) || !ok {
		s.log.WarnContext(r.Context(), "webhook signature rejected", "channel", code)
		return errBadSignature
	}
	if ch.Kind == "woocommerce" && isWooPing(body) {
		// WooCommerce checks a new webhook with a form-encoded ping.
		return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "ping"})
	}
	if topic := webhookTopic(ch.Kind, r.Header); topic != "" && !orderTopic(topic) {
		return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: outcomeIgnored, Detail: "topic " + topic + " is not an order"})
	}
	delivery, err := deliveryID(ch.Kind, r.Header)
	if err != nil {
		return err
	}
	if delivery != "" {
		orderID, seen, err := s.svc.Channels.Delivery(r.Context(), code, delivery)
		if err != nil {
			return err
		}
		if seen {
			return writeWebhook(w, http.StatusOK, webhookAnswer{Received: true, Outcome: oms.IngestDuplicate,
				OrderID: orderID, Detail: "delivery " + delivery + " was received before"})
		}
	}
	in, err := channel.Parse(ch.Kind, body)
	if err != nil {
		return err
	}
	res, err := s.svc.Channels.IngestDelivery(r.Context(), code, delivery, in, body, oms.System("webhook:"+code))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Outcome == oms.IngestCreated {
		status = http.StatusCreated
	}
	return writeWebhook(w, status, webhookAnswer{Received: true, Outcome: res.Outcome, OrderID: res.Order.ID})
}

// writeWebhook answers a webhook delivery, naming its outcome in the
// OMS-Ingest-Outcome header as the orders route does.
func writeWebhook(w http.ResponseWriter, status int, a webhookAnswer) error {
	w.Header().Set("OMS-Ingest-Outcome", a.Outcome)
	return answer.JSON(w, status, a)
}

// errBadSignature is the one answer to a webhook delivery that is not let
// in, whatever the reason: it names no channel, kind or header of one.
var errBadSignature = oms.Errorf(oms.EUNAUTHORIZED, "the webhook signature (X-Shopify-Hmac-Sha256 or X-WC-Webhook-Signature) "+
	"is missing or does not match the body signed with the channel's webhook secret")

// signature is the signature a delivery carries in header, or, when the
// channel is unknown or sends no webhooks (header is ""), in any of the
// signature headers: it is checked all the same, to take the same time.
func signature(h http.Header, header string) string {
	if header != "" {
		return h.Get(header)
	}
	for _, name := range []string{"X-Shopify-Hmac-Sha256", "X-WC-Webhook-Signature"} {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// validSignature reports whether sig is the base64 HMAC-SHA256 of body under
// secret. Without a secret nothing is valid, though the HMAC is computed as
// with one, so that the answer comes in the same time.
func validSignature(secret, sig string, body []byte) bool {
	key := secret
	if key == "" {
		key = "no secret: nothing matches"
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	want := mac.Sum(nil)
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	return hmac.Equal(got, want) && err == nil && secret != "" && sig != ""
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
