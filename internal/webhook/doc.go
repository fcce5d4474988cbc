// Package webhook delivers events to the endpoints that subscribed to them,
// by the Standard Webhooks specification (standardwebhooks.com, version
// 1.0.0). It holds the rules and the one outbound HTTP call; the store keeps
// endpoints, the outbox and the delivery log, and durable jobs call Deliver.
//
// Signing: each endpoint has a secret "whsec_" + base64 of 32 random bytes
// (NewSecret; ParseSecret accepts 24 to 64). A message carries webhook-id (the
// event id, the same on every attempt and replay), webhook-timestamp (unix
// seconds of the attempt) and webhook-signature: "v1," + base64 HMAC-SHA256
// of "id.timestamp.body", one per active secret separated by spaces, so
// during a rotation's overlap both the old and the new secret sign (Sign).
// Verify is the receiver's side, with a tolerance on the timestamp. The body
// is {"type","timestamp","data"} (Event.Body).
//
// Outcomes and retries: 2xx is Success; 410 Gone means disable the endpoint;
// every other answer (3xx, 4xx, 429, 5xx) and every transport failure
// (timeout, connection error, refused address) is Failed and retried on
// DefaultSchedule: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and
// 24 h, each wait lengthened by up to 20% of jitter, a Retry-After on 429 or
// 5xx honoured up to 24 h when it asks for longer. After the tenth attempt,
// at least 75 h 35 min after the first, the delivery is Dead (dead-lettered):
// kept, visible and replayable, never retried by itself (Classify,
// Schedule.NextAttempt).
//
// Safety: NewHTTPClient's client refuses loopback, private, link-local
// (cloud metadata), unique-local, carrier-grade NAT, multicast, unspecified
// and reserved addresses, IPv4 and IPv6 (CheckAddr), checked on the address
// each socket dials after DNS resolution, so DNS rebinding cannot get
// around it; it follows no redirect (a 3xx is a failure), uses no proxy
// from the environment, and times out each request (15 s).
// HTTPOptions.AllowPrivate lifts the address check for on-premise receivers
// and tests.
// Deliver keeps the first 1 KiB of an answer and reads little more.
//
// Ordering: events with the same Event.Key (the order id) reach an endpoint
// in the order they happened; Eligible picks, from one endpoint's pending
// deliveries, the earliest of each key once it is due. Endpoints never wait
// for each other, and a dead delivery releases the next one of its key.
//
// Subscriptions name event types with wildcards: "order.created", "order.*",
// "*" (ValidatePattern, Matches).
//
// A draft of the README's section, for when the server uses this package:
//
//	Webhooks. Subscribe an endpoint with POST /v1/webhook-endpoints
//	{"url": "https://example.com/hooks", "event_types": ["order.*"]}; the
//	answer holds its secret ("whsec_…") once. oms POSTs each matching event
//	as {"type", "timestamp", "data"} with the Standard Webhooks headers
//	webhook-id, webhook-timestamp and webhook-signature, so any Standard
//	Webhooks library verifies it: check the signature over the raw body and
//	that the timestamp is recent, and use webhook-id to drop repeats, since a
//	delivery can arrive more than once. Answer 2xx within 15 seconds; any
//	other answer or a timeout is retried, after 5 s, 5 min, 30 min, 2 h, 5 h,
//	10 h, 14 h, 20 h and 24 h (plus jitter, or later if you send
//	Retry-After), and after the tenth failure the delivery is dead: list it
//	in the endpoint's delivery log and replay it. Answer 410 to unsubscribe:
//	the endpoint is disabled. Events of one order arrive in order. oms does
//	not follow redirects and, unless started with --webhooks-allow-private
//	(OMS_WEBHOOKS_ALLOW_PRIVATE=true), does not deliver to loopback or
//	private addresses.
package webhook
