// Package outbox moves events out of the database to the rest of the
// business: the webhook Dispatcher fans each event out to the endpoints that
// subscribed to it and delivers it with the webhook package, and the Relay
// publishes every event to NATS JetStream with the stream package. Both read
// the events table, where each event is written in the same transaction as
// the change it records, through the store's outbox cursors, so a crash can
// neither lose an event nor send one for a change that rolled back; both
// are safe to run on any number of servers at once.
//
// Each has a one-step form (Dispatcher.DispatchOnce, Relay.PublishOnce)
// for a job queue or a test to call, and a Run loop for the server.
package outbox
