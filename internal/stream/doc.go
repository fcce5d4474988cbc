// Package stream publishes oms events to NATS JetStream, for downstream
// systems that would rather consume a stream than receive webhooks. It holds
// the message format and the publishing rules; the outbox relay that reads
// events from the database and advances its cursor lives with the store and
// the durable jobs, and calls Publish.
//
// Messages: an event of type "order.created" is published on subject
// "oms.order.created" (Config.SubjectPrefix, then the type). Its body is the
// webhook body with the event id beside it, {"id","type","timestamp","data"}
// (Event.Payload), and its headers are Nats-Msg-Id (the event id),
// OMS-Event-Id, OMS-Event-Type, OMS-Order-Id (on events about an order) and
// Content-Type: application/json.
//
// The stream: Connect creates the stream "OMS" on subjects "oms.>" with
// file storage, limits retention dropping the oldest messages, MaxAge
// (default none: keep everything) and a duplicate window of two minutes
// (Config.Duplicates), within which JetStream drops a message whose id it
// has stored and acknowledges it as a duplicate. When the stream exists,
// Connect sets its subjects and duplicate window (and MaxAge and Replicas
// when configured), keeps the limits an operator set, and updates it only
// when that changes something; so any number of servers may start at once.
//
// Delivery is at least once and in order per order. Publish pipelines up to
// MaxInFlight messages but sends an event only after every earlier event of
// the same order is acknowledged, stops at the first failure, and returns
// how many leading events are stored; the caller advances its cursor past
// those alone. Events re-published after a failure or a crash are dropped
// as repeats within the duplicate window; past it a consumer sees them
// twice, so consumers drop event ids they have already processed. An event
// that can never be published (ErrUnpublishable) is the caller's to set
// aside. The client reconnects by itself for as long as the Publisher is
// open; Publish meanwhile fails or waits up to Config.AckTimeout, and the
// next call carries on.
//
// A draft of the README's section, for when the server uses this package:
//
//	Event stream. Start the server with --nats nats://127.0.0.1:4222 and
//	every event is also published to NATS JetStream, in the stream OMS, on
//	subject oms.<type> (oms.order.created, oms.fulfillment.shipped, …), as
//	{"id","type","timestamp","data"} — the webhook body plus the event id —
//	with the headers Nats-Msg-Id (the event id), OMS-Event-Type and
//	OMS-Order-Id. oms creates the stream on start (file storage, subjects
//	oms.>, a two-minute duplicate window). Delivery is at least once, and
//	the events of one order are stored in the order they happened: drop an
//	id you have seen. For example:
//	nats consumer add OMS orders --filter 'oms.order.>' --pull --defaults
package stream
