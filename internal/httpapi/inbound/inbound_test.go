package inbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestValidSignature: only the body signed with the secret passes; without
// a secret or a signature nothing does.
func TestValidSignature(t *testing.T) {
	body := []byte(`{"id":1}`)
	good := sign("s3cret", body)
	cases := []struct {
		secret, sig string
		body        []byte
		want        bool
	}{
		{"s3cret", good, body, true},
		{"s3cret", " " + good + "\n", body, true},
		{"other", good, body, false},
		{"s3cret", good, []byte(`{"id":2}`), false},
		{"", sign("no secret: nothing matches", body), body, false},
		{"s3cret", "", body, false},
		{"s3cret", "not base64!", body, false},
	}
	for i, c := range cases {
		if got := ValidSignature(c.secret, c.sig, c.body); got != c.want {
			t.Errorf("%d: ValidSignature(%q, %q) = %v, want %v", i, c.secret, c.sig, got, c.want)
		}
	}
}

// TestSignature: the kind's header, or any signature header when the kind
// has none.
func TestSignature(t *testing.T) {
	h := http.Header{}
	h.Set("X-WC-Webhook-Signature", "wc")
	if got := Signature(h, SignatureHeaders["shopify"]); got != "" {
		t.Errorf("shopify's header: %q, want none", got)
	}
	if got := Signature(h, ""); got != "wc" {
		t.Errorf("any header: %q, want wc", got)
	}
}

// TestDeliveryID: the kind's header, trimmed; a long or unprintable one is
// invalid, naming the header.
func TestDeliveryID(t *testing.T) {
	h := http.Header{}
	h.Set("X-Shopify-Webhook-Id", " b54557e4-bdd9-4b37-8a5f-bf7d70bcd043 ")
	if id, err := DeliveryID("shopify", h); err != nil || id != "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" {
		t.Errorf("shopify: %q, %v", id, err)
	}
	if id, err := DeliveryID("amazon", h); err != nil || id != "" {
		t.Errorf("a kind without delivery ids: %q, %v", id, err)
	}
	for _, bad := range []string{strings.Repeat("9", 256), "12\x0134"} {
		h.Set("X-WC-Webhook-Delivery-ID", bad)
		_, err := DeliveryID("woocommerce", h)
		if oms.ErrorCode(err) != oms.EINVALID || !strings.Contains(err.Error(), "X-WC-Webhook-Delivery-ID") {
			t.Errorf("%q: %v, want EINVALID naming the header", bad, err)
		}
	}
}

// TestTopic: whole-order topics of both kinds are orders; deletions are not.
func TestTopic(t *testing.T) {
	h := http.Header{}
	h.Set("X-Shopify-Topic", "orders/delete")
	h.Set("X-WC-Webhook-Topic", "order.updated")
	if got := Topic("shopify", h); got != "orders/delete" || OrderTopic(got) {
		t.Errorf("shopify: %q, order %v", got, OrderTopic(got))
	}
	if got := Topic("woocommerce", h); got != "order.updated" || !OrderTopic(got) {
		t.Errorf("woocommerce: %q, order %v", got, OrderTopic(got))
	}
	if !IsWooPing([]byte("webhook_id=12")) || IsWooPing([]byte(`{"id":12}`)) {
		t.Error("IsWooPing")
	}
}
