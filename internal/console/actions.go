package console

import (
	"context"
	"fmt"
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

// Customers, cases and returns.

// customersBound is EFORBIDDEN for a user bound to locations or channels:
// a customer's history spans every channel and location, so bound users
// work from their orders instead.
func customersBound(u oms.User) error {
	if u.Principal().Bound() {
		return oms.Errorf(oms.EFORBIDDEN, "a user bound to locations works from the orders of those locations, not from customers")
	}
	return nil
}

// listCustomers is GET /v1/customers.
func (c *Console) listCustomers(ctx context.Context, u oms.User, f oms.CustomerFilter) ([]oms.CustomerRecord, int64, error) {
	if err := customersBound(u); err != nil {
		return nil, 0, err
	}
	return c.svc.Customers.ListCustomers(ctx, f)
}

// customerView is everything the customer page shows.
type customerView struct {
	Customer *oms.CustomerView
	Next     int64
	Notes    []oms.Note
	Cases    []oms.Case
}

// customer is GET /v1/customers/{customer} with the customer's notes and
// cases (GET /v1/customers/{customer}/notes, GET /v1/cases?customer=).
func (c *Console) customer(ctx context.Context, u oms.User, ref string, after int64, limit int) (customerView, error) {
	var v customerView
	if err := customersBound(u); err != nil {
		return v, err
	}
	var err error
	if v.Customer, v.Next, err = c.svc.Customers.Customer(ctx, ref, after, limit); err != nil {
		return v, err
	}
	if u.Role.Allows(oms.PermServiceRead) {
		if v.Notes, err = c.svc.Customers.CustomerNotes(ctx, v.Customer.ID); err != nil {
			return v, err
		}
		if v.Cases, err = c.svc.Customers.Cases(ctx, oms.CaseFilter{Customer: v.Customer.ID, Limit: 50}); err != nil {
			return v, err
		}
	}
	return v, nil
}

// addCustomerNote is POST /v1/customers/{customer}/notes.
func (c *Console) addCustomerNote(ctx context.Context, u oms.User, ref, body string) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.AddCustomerNote(ctx, ref, body, u.Principal())
	return err
}

// listCases is GET /v1/cases.
func (c *Console) listCases(ctx context.Context, u oms.User, f oms.CaseFilter) ([]oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.Cases(ctx, f)
}

// caseOf is GET /v1/cases/{id}.
func (c *Console) caseOf(ctx context.Context, u oms.User, ref string) (*oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.Case(ctx, ref)
}

// replyToCase is POST /v1/cases/{id}/messages.
func (c *Console) replyToCase(ctx context.Context, u oms.User, ref string, m oms.CaseMessage) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.AddCaseMessage(ctx, ref, m, u.Principal())
	return err
}

// updateCase is PATCH /v1/cases/{id}.
func (c *Console) updateCase(ctx context.Context, u oms.User, ref string, ch oms.CaseChange) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.UpdateCase(ctx, ref, ch, u.Principal())
	return err
}

// assignees are the people a case may be assigned to: the console's
// users who are not disabled.
func (c *Console) assignees(ctx context.Context) ([]oms.User, error) {
	us, err := c.svc.Users.Users(ctx)
	return slices.DeleteFunc(us, func(u oms.User) bool { return u.DisabledAt != nil }), err
}

// listReturns is GET /v1/returns: a bound user's own orders' returns only.
func (c *Console) listReturns(ctx context.Context, u oms.User, f oms.ReturnFilter) ([]oms.Return, error) {
	f.Principal = u.Principal()
	return c.svc.Returns.Returns(ctx, f)
}

// authorizeReturn returns ENOTFOUND unless the user may see the return.
func (c *Console) authorizeReturn(ctx context.Context, u oms.User, ref string) error {
	if p := u.Principal(); p.Bound() {
		return c.svc.Returns.AuthorizeReturn(ctx, p, ref)
	}
	return nil
}

// returnView is what the return page shows.
type returnView struct {
	Return    *oms.Return
	Order     *oms.Order
	Locations []oms.Location
}

// returnOf is GET /v1/returns/{id}, with its order and the locations its
// units may be restocked at (the user's own, when bound).
func (c *Console) returnOf(ctx context.Context, u oms.User, ref string) (returnView, error) {
	var v returnView
	if err := c.authorizeReturn(ctx, u, ref); err != nil {
		return v, err
	}
	var err error
	if v.Return, err = c.svc.Returns.Return(ctx, ref); err != nil {
		return v, err
	}
	o, err := c.svc.Orders.Order(ctx, v.Return.OrderID)
	if err != nil {
		return v, err
	}
	v.Order = orderFor(u.Principal(), o)
	ls, err := c.svc.Inventory.Locations(ctx)
	p := u.Principal()
	v.Locations = slices.DeleteFunc(ls, func(l oms.Location) bool { return !l.Active || (p.LocationBound() && !p.CanSeeLocation(l.Code)) })
	return v, err
}

// createReturn is POST /v1/orders/{id}/returns.
func (c *Console) createReturn(ctx context.Context, u oms.User, ref string, req oms.ReturnRequest) (*oms.Return, error) {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Returns.CreateReturn(ctx, ref, req, oms.SourceStaff, u.Principal())
}

// returnSettings is GET /v1/settings/returns.
func (c *Console) returnSettings(ctx context.Context) (oms.ReturnSettings, error) {
	return c.svc.Returns.ReturnSettings(ctx)
}

// approveReturn and rejectReturn are POST /v1/returns/{id}/approve and
// /reject.
func (c *Console) approveReturn(ctx context.Context, u oms.User, ref string) error {
	if err := c.authorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.ApproveReturn(ctx, ref, u.Principal())
	return err
}

func (c *Console) rejectReturn(ctx context.Context, u oms.User, ref string) error {
	if err := c.authorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.RejectReturn(ctx, ref, u.Principal())
	return err
}

// receiveReturn is POST /v1/returns/{id}/receive: restocked units go into
// the user's locations only.
func (c *Console) receiveReturn(ctx context.Context, u oms.User, ref string, units []oms.Receipt) error {
	if err := c.authorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	for i, r := range units {
		if r.Location == "" {
			continue
		}
		if err := u.Principal().WorkAt(fmt.Sprintf("units[%d].location", i), r.Location); err != nil {
			return err
		}
	}
	_, err := c.svc.Returns.ReceiveReturn(ctx, ref, units, u.Principal())
	return err
}

// closeReturn is POST /v1/returns/{id}/close: the refund.
func (c *Console) closeReturn(ctx context.Context, u oms.User, ref string, cr oms.CloseRequest) error {
	if err := c.authorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.CloseReturn(ctx, ref, cr, u.Principal())
	return err
}

// portalView is what the customers' return page shows.
type portalView struct {
	Portal *oms.Portal
	Store  string // the store's name: the order's channel's
	Order  *oms.Order
	Quote  *oms.RefundQuote
}

// returnPortal is GET /v1/return-portal/{token}, with the name of the
// store the order was placed in.
func (c *Console) returnPortal(ctx context.Context, token string) (portalView, error) {
	var v portalView
	var err error
	if v.Portal, err = c.svc.Returns.ReturnPortal(ctx, token); err != nil {
		return v, err
	}
	if v.Order, err = c.svc.Orders.Order(ctx, v.Portal.OrderID); err != nil {
		return v, err
	}
	v.Store = c.opt.StoreName
	if v.Store == "" {
		st, err := c.svc.Admin.StoreSettings(ctx)
		if err != nil {
			return v, err
		}
		v.Store = st.Name
	}
	if v.Store == "" {
		ch, err := c.svc.Channels.Channel(ctx, v.Order.Channel)
		if err != nil {
			return v, err
		}
		v.Store = ch.Name
	}
	return v, nil
}

// quoteReturn prices the units the customer picked, as the return will.
func (c *Console) quoteReturn(ctx context.Context, o *oms.Order, lines []oms.ReturnLine) (oms.RefundQuote, error) {
	set, err := c.svc.Returns.ReturnSettings(ctx)
	if err != nil {
		return oms.RefundQuote{}, err
	}
	var units []oms.Returning
	for _, l := range lines {
		units = append(units, oms.Returning{LineID: l.LineID, Units: l.Quantity, Reason: l.Reason})
	}
	return oms.QuoteRefund(o, units, &set), nil
}

// portalReturn is POST /v1/return-portal/{token}/returns.
func (c *Console) portalReturn(ctx context.Context, token string, req oms.ReturnRequest) (*oms.Return, error) {
	return c.svc.Returns.PortalReturn(ctx, token, req)
}

// openCase is POST /v1/cases.
func (c *Console) openCase(ctx context.Context, u oms.User, r oms.CaseRequest) (*oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.OpenCase(ctx, r, u.Principal())
}

// createReturnLink is POST /v1/orders/{id}/return-link.
func (c *Console) createReturnLink(ctx context.Context, u oms.User, ref string) (*oms.ReturnLink, error) {
	if err := c.authorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Returns.CreateReturnLink(ctx, ref, 0, u.Principal())
}

// orderNumber is the number of the order with the id, for a link.
func (c *Console) orderNumber(ctx context.Context, id string) (string, error) {
	o, err := c.svc.Orders.Order(ctx, id)
	if err != nil {
		return "", err
	}
	return o.Number, nil
}
