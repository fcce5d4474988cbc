// Package inbound reads what a channel's webhook delivery carries besides
// its order, by the channel's kind: the signature over the raw body, the
// delivery's id, and its topic. The API's webhook route checks a delivery
// with it before anything is read or recorded.
package inbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/omshq/oms"
)

// SignatureHeaders name the header each channel kind signs its webhooks in:
// base64 of the HMAC-SHA256 of the raw body under the channel's secret.
var SignatureHeaders = map[string]string{
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

// DeliveryID returns the id the channel kind gives the delivery in its
// header, or "" without one. An id longer than maxDeliveryID or with other
// than printable ASCII is EINVALID naming the header.
func DeliveryID(kind string, h http.Header) (string, error) {
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

// ErrBadSignature is the one answer to a webhook delivery that is not let
// in, whatever the reason: it names no channel, kind or header of one.
var ErrBadSignature = oms.Errorf(oms.EUNAUTHORIZED, "the webhook signature (X-Shopify-Hmac-Sha256 or X-WC-Webhook-Signature) "+
	"is missing or does not match the body signed with the channel's webhook secret")

// Signature is the signature a delivery carries in header, or, when the
// channel is unknown or sends no webhooks (header is ""), in any of the
// signature headers: it is checked all the same, to take the same time.
func Signature(h http.Header, header string) string {
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

// ValidSignature reports whether sig is the base64 HMAC-SHA256 of body under
// secret. Without a secret nothing is valid, though the HMAC is computed as
// with one, so that the answer comes in the same time.
func ValidSignature(secret, sig string, body []byte) bool {
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

// IsWooPing reports whether the body is the form-encoded ping WooCommerce
// checks a new webhook with.
func IsWooPing(body []byte) bool {
	return strings.HasPrefix(string(body), "webhook_id=")
}

// Topic is the topic a delivery names, if any.
func Topic(kind string, h http.Header) string {
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

// OrderTopic reports whether a topic's body is a whole order (a deletion
// carries only the id, an edit only the change).
func OrderTopic(topic string) bool { return orderTopics[topic] }
