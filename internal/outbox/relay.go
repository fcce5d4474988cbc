package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/stream"
)

// Publisher publishes events in order; *stream.Publisher is one.
type Publisher interface {
	Publish(ctx context.Context, events []stream.Event) (int, error)
}

// RelayOptions configures a Relay.
type RelayOptions struct {
	// Batch is how many events a step reads (default 500).
	Batch int
	// Lease is how long the stream's outbox cursor is this server's
	// (default 30 s): another server takes over after a killed one's runs out.
	Lease time.Duration
	// Interval is the pause between steps of Run when there was nothing to
	// publish (default 250 ms).
	Interval time.Duration
	Logger   *slog.Logger
}

// Relay publishes every event of the outbox to NATS JetStream, in order,
// at least once: one server at a time holds the stream's cursor, publishes
// the events after it and moves it past those JetStream acknowledged.
type Relay struct {
	db    *store.DB
	pub   Publisher
	owner string
	opt   RelayOptions
	log   *slog.Logger
}

// NewRelay returns a Relay from the store to the publisher.
func NewRelay(db *store.DB, pub Publisher, opt RelayOptions) *Relay {
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	if opt.Lease <= 0 {
		opt.Lease = 30 * time.Second
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Relay{db: db, pub: pub, owner: "relay_" + ulid.Make().String(), opt: opt, log: log}
}

// PublishOnce is one step: it claims the cursor, publishes the events
// after it and moves it past the ones stored, and returns how many. An
// event that can never be published (stream.ErrUnpublishable) is logged
// and passed over, so it does not stop the stream.
func (r *Relay) PublishOnce(ctx context.Context) (int, error) {
	evs, from, err := r.db.ClaimOutbox(ctx, store.CursorNATS, r.owner, r.opt.Lease, r.opt.Batch)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	batch := make([]stream.Event, len(evs))
	for i, e := range evs {
		batch[i] = stream.Event{ID: e.ID, Type: e.Type, Time: e.CreatedAt, Data: e.Data, OrderID: e.OrderID}
	}
	n, perr := r.pub.Publish(ctx, batch)
	done := n
	if perr != nil && errors.Is(perr, stream.ErrUnpublishable) {
		r.log.Error("nats: event set aside, it cannot be published", slog.String("event", evs[n].ID), slog.Any("error", perr))
		done, perr = n+1, nil
	}
	if done > 0 {
		if err := r.db.AdvanceOutbox(context.WithoutCancel(ctx), store.CursorNATS, r.owner, from, evs[done-1].Seq); err != nil {
			return n, err
		}
	}
	return n, perr
}

// Run publishes until ctx ends: at once while there is a backlog, every
// Interval otherwise.
func (r *Relay) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := r.PublishOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.log.Error("nats publish", slog.Any("error", err))
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.opt.Interval):
		}
	}
}
