package console

import (
	"context"
	"slices"
	"time"

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

// The home, inventory and fulfillment screens' calls.

// salesReport is GET /v1/reports/sales: the figures the home page shows.
func (c *Console) salesReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	if c.svc.Reports == nil {
		return nil, oms.Errorf(oms.ENOTFOUND, "reports are not served here")
	}
	return c.svc.Reports.SalesReport(ctx, q)
}

// waitingOrders is GET /v1/orders?status=…: up to limit of the orders in
// the status the user may see (their number, and so whether there are more).
func (c *Console) waitingOrders(ctx context.Context, u oms.User, st oms.Status, limit int) ([]oms.Order, int64, error) {
	return c.listOrders(ctx, u, oms.OrderFilter{Status: st, Limit: limit})
}

// listStock is GET /v1/inventory: balances by SKU, at the user's
// locations only when bound to some.
func (c *Console) listStock(ctx context.Context, u oms.User, f oms.StockFilter) ([]oms.Stock, string, error) {
	f.Principal = u.Principal()
	return c.svc.Inventory.ListStock(ctx, f)
}

// locations lists the locations, for the filters and forms.
func (c *Console) locations(ctx context.Context) ([]oms.Location, error) {
	return c.svc.Inventory.Locations(ctx)
}

// item is GET /v1/items/{sku}.
func (c *Console) item(ctx context.Context, sku string) (*oms.Item, error) {
	return c.svc.Inventory.Item(ctx, sku)
}

// stock is GET /v1/inventory/{sku}: the SKU's balances, those at the
// user's locations when bound to some.
func (c *Console) stock(ctx context.Context, u oms.User, sku string) (oms.Stock, error) {
	st, err := c.svc.Inventory.Stock(ctx, sku)
	if p := u.Principal(); err == nil && p.LocationBound() {
		bs := slices.DeleteFunc(slices.Clone(st.Locations), func(b oms.Balance) bool { return !p.CanSeeLocation(b.Location) })
		st = oms.NewStock(st.SKU, bs)
	}
	return st, err
}

// ledger is GET /v1/inventory/{sku}/ledger.
func (c *Console) ledger(ctx context.Context, u oms.User, sku string, before int64, limit int) ([]oms.LedgerEntry, error) {
	return c.svc.Inventory.Ledger(ctx, u.Principal(), sku, before, limit)
}

// adjust is POST /v1/inventory/adjustments.
func (c *Console) adjust(ctx context.Context, u oms.User, a oms.Adjustment) (oms.LedgerEntry, error) {
	if err := a.Validate(); err != nil {
		return oms.LedgerEntry{}, err
	}
	if err := u.Principal().WorkAt("location", a.Location); err != nil {
		return oms.LedgerEntry{}, err
	}
	return c.svc.Inventory.AdjustInventory(ctx, a, u.Principal())
}

// supply is GET /v1/supply: expected supply (of one SKU, or every SKU's
// when empty) in the status, by ETA, at the user's locations when bound.
func (c *Console) supply(ctx context.Context, u oms.User, sku, status string, limit int) ([]oms.Supply, error) {
	return c.svc.Inventory.ListSupply(ctx, u.Principal(), sku, status, limit)
}

// supplyDue is the open supply of the SKUs, by ETA, at the user's
// locations when bound to some (the inventory list's incoming column).
func (c *Console) supplyDue(ctx context.Context, u oms.User, skus []string) ([]oms.Supply, error) {
	return c.svc.Inventory.SupplyDue(ctx, u.Principal(), skus)
}

// createSupply is POST /v1/supply: a purchase order expected.
func (c *Console) createSupply(ctx context.Context, u oms.User, s *oms.Supply) error {
	if err := u.Principal().WorkAt("location", s.Location); err != nil {
		return err
	}
	return c.svc.Inventory.CreateSupply(ctx, s, u.Principal())
}

// receiveSupply is POST /v1/supply/{id}/receive (all still due when qty is 0).
func (c *Console) receiveSupply(ctx context.Context, u oms.User, id, qty int64) error {
	if p := u.Principal(); p.Bound() {
		if err := c.svc.Inventory.AuthorizeSupply(ctx, p, id); err != nil {
			return err
		}
	}
	_, err := c.svc.Inventory.ReceiveSupply(ctx, id, qty, u.Principal())
	return err
}

// transfer is POST /v1/transfers.
func (c *Console) transfer(ctx context.Context, u oms.User, t oms.Transfer) error {
	if err := u.Principal().WorkAt("from", t.From); err != nil {
		return err
	}
	_, err := c.svc.Inventory.CreateTransfer(ctx, t, u.Principal())
	return err
}

// locationFulfillments is GET /v1/locations/{code}/fulfillments: ENOTFOUND
// for a location the user may not see.
func (c *Console) locationFulfillments(ctx context.Context, u oms.User, loc string, sts []oms.FulfillmentStatus, limit int) ([]oms.Fulfillment, error) {
	if !u.Principal().CanSeeLocation(loc) {
		return nil, oms.Errorf(oms.ENOTFOUND, "no location %q", loc)
	}
	return c.svc.Fulfillments.LocationFulfillments(ctx, loc, sts, limit)
}

// pickList is GET /v1/locations/{code}/pick-list.
func (c *Console) pickList(ctx context.Context, u oms.User, loc string, limit int) ([]oms.PickItem, error) {
	if !u.Principal().CanSeeLocation(loc) {
		return nil, oms.Errorf(oms.ENOTFOUND, "no location %q", loc)
	}
	return c.svc.Fulfillments.PickList(ctx, loc, limit)
}

// lateToShip counts, by location the user may see, the open fulfillments
// (pending, picking, packed) created before the time: GET
// /v1/locations/{code}/fulfillments for each location that ships, at most
// limit each, oldest order first.
func (c *Console) lateToShip(ctx context.Context, u oms.User, before time.Time, limit int) ([]lateAt, error) {
	ls, err := c.locations(ctx)
	if err != nil {
		return nil, err
	}
	p := u.Principal()
	var out []lateAt
	for _, l := range ls {
		if !l.Active || !p.CanSeeLocation(l.Code) {
			continue
		}
		fs, err := c.svc.Fulfillments.LocationFulfillments(ctx, l.Code,
			[]oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking, oms.FulfillmentPacked}, limit)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, f := range fs {
			if f.CreatedAt.Before(before) && f.Location == l.Code {
				n++
			}
		}
		if n > 0 {
			out = append(out, lateAt{Location: l.Code, Count: n, More: len(fs) == limit})
		}
	}
	return out, nil
}

// fulfillmentSettings is GET /v1/settings/fulfillment: the pickup expiry.
func (c *Console) fulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	return c.svc.Fulfillments.FulfillmentSettings(ctx)
}
