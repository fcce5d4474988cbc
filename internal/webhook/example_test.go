package webhook_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/omshq/oms/internal/webhook"
)

// A receiver checks a message over the raw body before it parses it. The
// values are the Standard Webhooks reference libraries' test vector.
func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	h := http.Header{}
	h.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")

	now := time.Unix(1614265330, 0).Add(time.Minute) // the receiver's clock
	fmt.Println(webhook.Verify(secret, h, body, now, 0))
	fmt.Println(webhook.Verify(secret, h, body, now.Add(time.Hour), 0))
	// Output:
	// <nil>
	// webhook: webhook-timestamp is too old
}

// A subscription to "order.*" receives every order event and nothing else.
func ExampleMatches() {
	patterns := []string{"order.*", "refund.created"}
	for _, typ := range []string{"order.created", "order.lines_cancelled", "refund.created", "case.opened"} {
		fmt.Println(typ, webhook.Matches(patterns, typ))
	}
	// Output:
	// order.created true
	// order.lines_cancelled true
	// refund.created true
	// case.opened false
}
