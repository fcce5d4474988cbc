package stream

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Config.
const (
	DefaultStream        = "OMS"
	DefaultSubjectPrefix = "oms"
	// DefaultDuplicates is the stream's duplicate window: a message whose
	// id JetStream has stored within it is acknowledged and dropped. Two
	// minutes covers a re-publish after a crash between the ack and the
	// outbox cursor's commit, and after a failed batch (see Publish).
	DefaultDuplicates  = 2 * time.Minute
	DefaultMaxInFlight = 256
	DefaultAckTimeout  = 5 * time.Second
	defaultReconnect   = time.Second
)

// Config says where and how to publish. Only URL is required.
type Config struct {
	// URL is the NATS server, or a comma-separated list of them:
	// "nats://127.0.0.1:4222". User and password may be in it.
	URL string
	// Stream is the JetStream stream's name (default "OMS").
	Stream string
	// SubjectPrefix comes before the event type in each subject (default
	// "oms"); the stream takes every subject under it: "oms.>".
	SubjectPrefix string
	// Duplicates is the stream's duplicate window (default 2 minutes).
	Duplicates time.Duration
	// MaxAge drops messages older than it. 0 creates a stream that keeps
	// them (until the operator's limits apply) and leaves an existing
	// stream's max age as it is.
	MaxAge time.Duration
	// Replicas is the stream's replica count in a NATS cluster. 0 creates
	// a stream with one and leaves an existing stream's count as it is.
	Replicas int
	// MaxInFlight bounds the messages one Publish call has sent and not yet
	// seen acknowledged (default 256); 1 publishes one message at a time.
	MaxInFlight int
	// AckTimeout is how long a message waits for its acknowledgement before
	// it counts as failed (default 5 s).
	AckTimeout time.Duration
	// ReconnectWait is the pause between reconnect attempts (default 1 s);
	// the client reconnects for as long as the Publisher is open.
	ReconnectWait time.Duration
	// Logger receives connection changes; nil logs nothing.
	Logger *slog.Logger
	// Options are further client options (TLS, credentials files, …),
	// applied after the Publisher's own.
	Options []nats.Option
}

// withDefaults fills in what was left zero.
func (c Config) withDefaults() Config {
	c.Stream = cmp.Or(c.Stream, DefaultStream)
	c.SubjectPrefix = cmp.Or(c.SubjectPrefix, DefaultSubjectPrefix)
	c.Duplicates = cmp.Or(c.Duplicates, DefaultDuplicates)
	c.MaxInFlight = cmp.Or(c.MaxInFlight, DefaultMaxInFlight)
	c.AckTimeout = cmp.Or(c.AckTimeout, DefaultAckTimeout)
	c.ReconnectWait = cmp.Or(c.ReconnectWait, defaultReconnect)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// validate checks a Config that has its defaults.
func (c Config) validate() error {
	switch {
	case c.URL == "":
		return errors.New("stream: no NATS URL")
	case validToken(c.Stream) != nil || len(c.Stream) > 255:
		return fmt.Errorf("stream: stream name %q is not a valid name", c.Stream)
	case validSubject(c.SubjectPrefix) != nil:
		return fmt.Errorf("stream: subject prefix %q: %v", c.SubjectPrefix, validSubject(c.SubjectPrefix))
	case c.Duplicates < 0 || c.MaxAge < 0 || c.AckTimeout < 0 || c.ReconnectWait < 0 || c.Replicas < 0:
		return errors.New("stream: durations and Replicas may not be negative")
	case c.MaxAge > 0 && c.Duplicates > c.MaxAge:
		return errors.New("stream: the duplicate window may not be longer than MaxAge")
	case c.MaxInFlight < 1:
		return errors.New("stream: MaxInFlight must be at least 1")
	}
	return nil
}

// asyncPublisher is the part of jetstream.JetStream that Publish uses.
type asyncPublisher interface {
	PublishMsgAsync(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error)
}

// Publisher publishes events to a JetStream stream. It is safe for
// concurrent use; order is kept within one Publish call and across calls
// made one after another.
type Publisher struct {
	nc          *nats.Conn
	js          asyncPublisher
	prefix      string
	maxInFlight int
}

// Connect connects to NATS (the client's own timeout, 2 s a server, bounds
// that; ctx bounds the rest) and creates the stream, or brings an existing
// one to this Config (see ensureStream); many servers may do so at once.
// The client reconnects on its own for as long as the Publisher is open. It
// fails when the server cannot be reached, has no JetStream, or cannot take
// the stream (its subjects belong to another stream).
func Connect(ctx context.Context, cfg Config) (*Publisher, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	nc, err := nats.Connect(cfg.URL, append(clientOptions(cfg), cfg.Options...)...)
	if err != nil {
		return nil, fmt.Errorf("stream: connect to NATS: %w", err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(cfg.AckTimeout))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("stream: %w", err)
	}
	if err := ensureStream(ctx, js, cfg); err != nil {
		nc.Close()
		return nil, err
	}
	return &Publisher{nc: nc, js: js, prefix: cfg.SubjectPrefix, maxInFlight: cfg.MaxInFlight}, nil
}

// clientOptions reconnect forever and log the connection's changes.
func clientOptions(cfg Config) []nats.Option {
	log := cfg.Logger
	return []nats.Option{
		nats.Name("oms"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(cfg.ReconnectWait),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil: Close
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Error("nats", "err", err)
		}),
	}
}

// Subject returns the subject an event of type typ is published on.
func (p *Publisher) Subject(typ string) string { return p.prefix + "." + typ }

// Close closes the connection. Call it after the last Publish has returned.
func (p *Publisher) Close() { p.nc.Close() }
