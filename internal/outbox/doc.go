// Package outbox moves events out of the database to the rest of the
// business: the webhook Dispatcher fans each event out to the endpoints that
// subscribed to it and delivers it with the webhook package, and the Relay
// publishes every event to NATS JetStream with the stream package. Both read
// the events table, where each event is written in the same transaction as
// the change it records, through the store's outbox cursors, so a crash can
// neither lose an event nor send one for a change that rolled back; both
// are safe to run on any number of servers at once.
//
// The Deliverer attempts one endpoint's due deliveries: the durable job
// of that endpoint calls its Drain (internal/jobs), and without the job
// queue the Dispatcher runs drains itself. The Dispatcher and the Relay
// each have a one-step form (DispatchOnce, PublishOnce) for a test to
// call, and a Run loop for the server.
package outbox
