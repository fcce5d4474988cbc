package console

import (
	"context"
	"slices"

	"github.com/omshq/oms"
)

// Every call the console makes into the store is in this file, each the
// same call the API's handler for the action makes (internal/httpapi), so
// that a person's action and an integration's behave alike. Each takes the
// signed-in user; the actor recorded is the user's (oms.User.Actor), and
// the user's principal limits what they see, as an API key's does.

// signIn checks an email and password and starts a session.
func (c *Console) signIn(ctx context.Context, email, password, address string) (oms.Session, error) {
	return c.svc.Users.SignIn(ctx, email, password, address)
}

// session returns the live session of a cookie's token.
func (c *Console) session(ctx context.Context, token string) (oms.Session, error) {
	return c.svc.Users.Session(ctx, token)
}

// signOut ends one session; signOutEverywhere every session of the user.
func (c *Console) signOut(ctx context.Context, token string) error {
	return c.svc.Users.SignOut(ctx, token)
}

func (c *Console) signOutEverywhere(ctx context.Context, u oms.User) error {
	return c.svc.Users.SignOutEverywhere(ctx, u.ID)
}

// listOrders is GET /v1/orders: the search box (checked as the API checks
// it), status and channel filters, newest first, a page at a time.
func (c *Console) listOrders(ctx context.Context, u oms.User, f oms.OrderFilter) ([]oms.Order, int64, error) {
	p := u.Principal()
	f.Principal, f.Identifiers = p, !p.SeesCustomers()
	return c.svc.Orders.ListOrders(ctx, f)
}

// channels lists the channels, for the orders filter.
func (c *Console) channels(ctx context.Context) ([]oms.Channel, error) {
	return c.svc.Channels.Channels(ctx)
}

// orderView is everything the order page shows.
type orderView struct {
	Order        *oms.Order
	Fulfillments []oms.Fulfillment
	Timeline     []oms.TimelineEntry
}

// order reads an order (by number or id) with what the user may see of
// it: ENOTFOUND when the user may not see it at all; of its fulfillments
// those at the user's locations (GET /v1/orders/{id}/fulfillments); the
// timeline for those who read service records, else the order's events.
func (c *Console) order(ctx context.Context, u oms.User, ref string) (orderView, error) {
	var v orderView
	p := u.Principal()
	if p.Bound() {
		if err := c.svc.Orders.AuthorizeOrder(ctx, p, ref); err != nil {
			return v, err
		}
	}
	o, err := c.svc.Orders.Order(ctx, ref)
	if err != nil {
		return v, err
	}
	v.Order = orderFor(p, o)
	if v.Fulfillments, err = c.svc.Fulfillments.OrderFulfillments(ctx, o.ID); err != nil {
		return v, err
	}
	if p.LocationBound() {
		v.Fulfillments = slices.DeleteFunc(v.Fulfillments, func(f oms.Fulfillment) bool {
			return !p.CanSeeLocation(f.Location) && (f.DeliverTo == "" || !p.CanSeeLocation(f.DeliverTo))
		})
	}
	if p.Allows(oms.PermServiceRead) {
		v.Timeline, err = c.svc.Orders.OrderTimeline(ctx, o.ID)
		return v, err
	}
	es, err := c.svc.Orders.OrderEventsFor(ctx, p, o.ID)
	for _, e := range es {
		v.Timeline = append(v.Timeline, oms.TimelineEntry{At: e.CreatedAt, Kind: "event", Type: e.Type, Actor: e.Actor, Ref: e.ID})
	}
	return v, err
}

// orderFor is the order as the principal may see it: without the
// customer's contact details for those who may not read customers.
func orderFor(p oms.Principal, o *oms.Order) *oms.Order {
	if p.SeesCustomers() {
		return o
	}
	c := *o
	c.Customer, c.Billing = oms.Customer{}, nil
	if !p.SeesShipTo() {
		c.ShipTo = nil
	}
	return &c
}

// authorizeOrder returns ENOTFOUND unless the user may see the order.
func (c *Console) authorizeOrder(ctx context.Context, u oms.User, ref string) error {
	if p := u.Principal(); p.Bound() {
		return c.svc.Orders.AuthorizeOrder(ctx, p, ref)
	}
	return nil
}

// placeHold is POST /v1/orders/{id}/holds, at the version the page showed.
func (c *Console) placeHold(ctx context.Context, u oms.User, ref string, version int64, typ oms.HoldType, reason string) error {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Holds.PlaceHold(ctx, ref, version, typ, reason, u.Principal())
	return err
}

// releaseHolds is POST /v1/orders/{id}/release (every hold).
func (c *Console) releaseHolds(ctx context.Context, u oms.User, ref string, version int64) error {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Holds.ReleaseHolds(ctx, ref, version, "", u.Principal())
	return err
}

// cancelLine is POST /v1/orders/{id}/cancel with one line.
func (c *Console) cancelLine(ctx context.Context, u oms.User, ref string, version int64, line oms.CancelLine, reason string) error {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Orders.CancelOrderWithReason(ctx, ref, version, []oms.CancelLine{line}, reason, u.Principal())
	return err
}

// addNote is POST /v1/orders/{id}/notes.
func (c *Console) addNote(ctx context.Context, u oms.User, ref, body string) error {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Orders.AddOrderNote(ctx, ref, body, u.Principal())
	return err
}

// moveFulfillment is POST /v1/fulfillments/{id}/ship (with tracking),
// /ready and /pickup: ENOTFOUND for a fulfillment the user may not see.
func (c *Console) moveFulfillment(ctx context.Context, u oms.User, id string, m oms.FulfillmentMove) (*oms.Fulfillment, error) {
	if p := u.Principal(); p.Bound() {
		if err := c.svc.Fulfillments.AuthorizeFulfillment(ctx, p, id); err != nil {
			return nil, err
		}
	}
	return c.svc.Fulfillments.MoveFulfillment(ctx, id, m, u.Principal())
}

// users lists the console's users, for admins.
func (c *Console) users(ctx context.Context) ([]oms.User, error) { return c.svc.Users.Users(ctx) }

// createUser adds a console user, as oms user create does.
func (c *Console) createUser(ctx context.Context, u oms.User, nu oms.NewUser) (oms.User, error) {
	return c.svc.Users.CreateUser(ctx, nu, u.Principal())
}

// disableUser stops a user signing in and ends their sessions.
func (c *Console) disableUser(ctx context.Context, u oms.User, id string) error {
	_, err := c.svc.Users.DisableUser(ctx, id, u.Principal())
	return err
}
