package stream

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/nats-io/nats.go/jetstream"
)

// streamConfig is the stream Connect creates when there is none: file
// storage, limits retention dropping the oldest messages, the subjects under
// the prefix, the duplicate window.
func (c Config) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        c.Stream,
		Description: "oms events, one message per event, subject " + c.SubjectPrefix + ".<type>",
		Subjects:    []string{c.SubjectPrefix + ".>"},
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		Storage:     jetstream.FileStorage,
		MaxAge:      c.MaxAge,
		Duplicates:  c.Duplicates,
		Replicas:    max(c.Replicas, 1),
	}
}

// apply sets on an existing stream's config what c asks for: the subjects
// and the duplicate window, and the max age and replicas when set. Limits an
// operator set otherwise (max bytes, max messages, storage) are kept.
func (c Config) apply(sc jetstream.StreamConfig) jetstream.StreamConfig {
	sc.Subjects = []string{c.SubjectPrefix + ".>"}
	sc.Duplicates = c.Duplicates
	if c.MaxAge > 0 {
		sc.MaxAge = c.MaxAge
	}
	if c.Replicas > 0 {
		sc.Replicas = c.Replicas
	}
	return sc
}

// ensureStream creates the stream, or updates it when apply changes it: so
// servers starting side by side with one Config update it once, at most.
// When another server creates it between this one's look (not found) and
// create (name in use, with another config), it looks again.
func ensureStream(ctx context.Context, js jetstream.JetStream, c Config) error {
	var err error
	for range 3 {
		var s jetstream.Stream
		s, err = js.Stream(ctx, c.Stream)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			_, err = js.CreateStream(ctx, c.streamConfig())
		case err == nil:
			have := s.CachedInfo().Config
			if have.Storage != jetstream.FileStorage {
				c.Logger.Warn("nats stream keeps its messages in memory: they are lost when the server stops",
					"stream", c.Stream)
			}
			if want := c.apply(have); !sameLimits(have, want) {
				_, err = js.UpdateStream(ctx, want)
			}
		}
		if !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("stream: create or update stream %s: %w", c.Stream, err)
	}
	return nil
}

// sameLimits compares the fields apply sets.
func sameLimits(a, b jetstream.StreamConfig) bool {
	return slices.Equal(a.Subjects, b.Subjects) && a.Duplicates == b.Duplicates &&
		a.MaxAge == b.MaxAge && a.Replicas == b.Replicas
}
