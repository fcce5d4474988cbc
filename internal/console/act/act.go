// Package act is the console pages' calls into oms's services, each the
// same call the API's handler for the action makes (internal/httpapi), so
// that a person's action and an integration's behave alike. Each takes the
// signed-in user; the actor recorded is the user's (oms.User.Actor), and
// the user's principal limits what they see, as an API key's does. (The
// Reports screens, the day's close and the order editor's refunds list
// still read the services where they are drawn.)
package act

import (
	"context"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
)

// Service makes the console's calls into the services.
type Service struct {
	svc oms.Services
	opt Options
}

// Options say what the calls take beyond the services.
type Options struct {
	// StoreName is the name customers see on the return page; empty for
	// the store's name in its settings, or, without one, the name of the
	// channel the order came from.
	StoreName string
	// FX imports and reads exchange rates; nil: they are not served here.
	FX FXRates
	// WebhooksAllowPrivate lets webhook endpoints name loopback and
	// private addresses.
	WebhooksAllowPrivate bool
}

// FXRates imports and reads exchange rates: the store's, as the API's
// POST and GET /v1/fx-rates use them (they are in the fx package's terms,
// so they are not among oms.Services).
type FXRates interface {
	ImportRates(ctx context.Context, rates []fx.Rate, by oms.Principal) (oms.FXImport, error)
	RatesOn(ctx context.Context, day time.Time) (fx.RateSet, error)
}

// New returns the calls over the services.
func New(svc oms.Services, opt Options) *Service {
	return &Service{svc: svc, opt: opt}
}
