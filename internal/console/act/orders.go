package act

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/authz"
)

// The calls of the pages people work in: sign-in, orders, stock and
// supply, fulfillment, customers, cases and returns.

// SignIn checks an email and password and starts a session.
func (c *Service) SignIn(ctx context.Context, email, password, address string) (oms.Session, error) {
	return c.svc.Users.SignIn(ctx, email, password, address)
}

// Session returns the live session of a cookie's token.
func (c *Service) Session(ctx context.Context, token string) (oms.Session, error) {
	return c.svc.Users.Session(ctx, token)
}

// SignOut ends one session; signOutEverywhere every session of the user.
func (c *Service) SignOut(ctx context.Context, token string) error {
	return c.svc.Users.SignOut(ctx, token)
}

func (c *Service) SignOutEverywhere(ctx context.Context, u oms.User) error {
	return c.svc.Users.SignOutEverywhere(ctx, u.ID)
}

// ListOrders is GET /v1/orders: the search box (checked as the API checks
// it), status and channel filters, newest first, a page at a time.
func (c *Service) ListOrders(ctx context.Context, u oms.User, f oms.OrderFilter) ([]oms.Order, int64, error) {
	p := u.Principal()
	f.Principal, f.Identifiers = p, !p.SeesCustomers()
	os, next, err := c.svc.Orders.ListOrders(ctx, f)
	for i := range os {
		os[i] = *authz.OrderFor(p, &os[i]) // the customer's contact details, as GET /v1/orders shows them
	}
	return os, next, err
}

// Channels lists the channels, for the orders filter.
func (c *Service) Channels(ctx context.Context) ([]oms.Channel, error) {
	return c.svc.Channels.Channels(ctx)
}

// OrderView is everything the order page shows.
type OrderView struct {
	Order        *oms.Order
	Fulfillments []oms.Fulfillment
	Timeline     []oms.TimelineEntry
}

// Order reads an order (by number or id) with what the user may see of
// it: ENOTFOUND when the user may not see it at all; of its fulfillments
// those at the user's locations (GET /v1/orders/{id}/fulfillments); the
// timeline for those who read service records, else the order's events.
func (c *Service) Order(ctx context.Context, u oms.User, ref string) (OrderView, error) {
	var v OrderView
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
	v.Order = authz.OrderFor(p, o)
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

// AuthorizeOrder returns ENOTFOUND unless the user may see the order.
func (c *Service) AuthorizeOrder(ctx context.Context, u oms.User, ref string) error {
	if p := u.Principal(); p.Bound() {
		return c.svc.Orders.AuthorizeOrder(ctx, p, ref)
	}
	return nil
}

// EditOrderAt is POST /v1/orders/{id}/edits with If-Match: version.
func (c *Service) EditOrderAt(ctx context.Context, u oms.User, ref string, version int64, ops []oms.EditOp) (*oms.Order, *oms.OrderEdit, error) {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return nil, nil, err
	}
	return c.svc.Orders.EditOrder(ctx, ref, version, ops, u.Principal())
}

// RefundOrder is POST /v1/orders/{id}/refunds.
func (c *Service) RefundOrder(ctx context.Context, u oms.User, ref string, req oms.RefundRequest) (*oms.Refund, error) {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Returns.RefundOrder(ctx, ref, req, u.Principal())
}

// ResourceOrder is POST /v1/orders/{id}/source, at the version the page
// showed.
func (c *Service) ResourceOrder(ctx context.Context, u oms.User, ref string, version int64) (*oms.Order, error) {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Fulfillments.ResourceOrder(ctx, ref, version, u.Principal())
}

// PlaceHold is POST /v1/orders/{id}/holds, at the version the page showed.
func (c *Service) PlaceHold(ctx context.Context, u oms.User, ref string, version int64, typ oms.HoldType, reason string) error {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Holds.PlaceHold(ctx, ref, version, typ, reason, u.Principal())
	return err
}

// ReleaseHolds is POST /v1/orders/{id}/release (every hold).
func (c *Service) ReleaseHolds(ctx context.Context, u oms.User, ref string, version int64) error {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Holds.ReleaseHolds(ctx, ref, version, "", u.Principal())
	return err
}

// CancelLine is POST /v1/orders/{id}/cancel with one line.
func (c *Service) CancelLine(ctx context.Context, u oms.User, ref string, version int64, line oms.CancelLine, reason string) error {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Orders.CancelOrderWithReason(ctx, ref, version, []oms.CancelLine{line}, reason, u.Principal())
	return err
}

// AddNote is POST /v1/orders/{id}/notes.
func (c *Service) AddNote(ctx context.Context, u oms.User, ref, body string) error {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Orders.AddOrderNote(ctx, ref, body, u.Principal())
	return err
}

// MoveFulfillment is POST /v1/fulfillments/{id}/ship (with tracking),
// /ready and /pickup: ENOTFOUND for a fulfillment the user may not see.
func (c *Service) MoveFulfillment(ctx context.Context, u oms.User, id string, m oms.FulfillmentMove) (*oms.Fulfillment, error) {
	if p := u.Principal(); p.Bound() {
		if err := c.svc.Fulfillments.AuthorizeFulfillment(ctx, p, id); err != nil {
			return nil, err
		}
	}
	return c.svc.Fulfillments.MoveFulfillment(ctx, id, m, u.Principal())
}

// Users lists the console's users, for admins.
func (c *Service) Users(ctx context.Context) ([]oms.User, error) { return c.svc.Users.Users(ctx) }

// CreateUser adds a console user, as oms user create does.
func (c *Service) CreateUser(ctx context.Context, u oms.User, nu oms.NewUser) (oms.User, error) {
	return c.svc.Users.CreateUser(ctx, nu, u.Principal())
}

// DisableUser stops a user signing in and ends their sessions.
func (c *Service) DisableUser(ctx context.Context, u oms.User, id string) error {
	_, err := c.svc.Users.DisableUser(ctx, id, u.Principal())
	return err
}

// The home, inventory and fulfillment screens' calls.

// SalesReport is GET /v1/reports/sales: the figures the home page shows.
func (c *Service) SalesReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	if c.svc.Reports == nil {
		return nil, oms.Errorf(oms.ENOTFOUND, "reports are not served here")
	}
	return c.svc.Reports.SalesReport(ctx, q)
}

// WaitingOrders is GET /v1/orders?status=…: up to limit of the orders in
// the status the user may see (their number, and so whether there are more).
func (c *Service) WaitingOrders(ctx context.Context, u oms.User, st oms.Status, limit int) ([]oms.Order, int64, error) {
	return c.ListOrders(ctx, u, oms.OrderFilter{Status: st, Limit: limit})
}

// ListStock is GET /v1/inventory: balances by SKU, at the user's
// Locations only when bound to some.
func (c *Service) ListStock(ctx context.Context, u oms.User, f oms.StockFilter) ([]oms.Stock, string, error) {
	f.Principal = u.Principal()
	return c.svc.Inventory.ListStock(ctx, f)
}

// Locations lists the locations, for the filters and forms.
func (c *Service) Locations(ctx context.Context) ([]oms.Location, error) {
	return c.svc.Inventory.Locations(ctx)
}

// Item is GET /v1/items/{sku}.
func (c *Service) Item(ctx context.Context, sku string) (*oms.Item, error) {
	return c.svc.Inventory.Item(ctx, sku)
}

// Stock is GET /v1/inventory/{sku}: the SKU's balances, those at the
// user's locations when bound to some.
func (c *Service) Stock(ctx context.Context, u oms.User, sku string) (oms.Stock, error) {
	st, err := c.svc.Inventory.Stock(ctx, sku)
	if p := u.Principal(); err == nil && p.LocationBound() {
		bs := slices.DeleteFunc(slices.Clone(st.Locations), func(b oms.Balance) bool { return !p.CanSeeLocation(b.Location) })
		st = oms.NewStock(st.SKU, bs)
	}
	return st, err
}

// Ledger is GET /v1/inventory/{sku}/ledger.
func (c *Service) Ledger(ctx context.Context, u oms.User, sku string, before int64, limit int) ([]oms.LedgerEntry, error) {
	return c.svc.Inventory.Ledger(ctx, u.Principal(), sku, before, limit)
}

// Adjust is POST /v1/inventory/adjustments.
func (c *Service) Adjust(ctx context.Context, u oms.User, a oms.Adjustment) (oms.LedgerEntry, error) {
	if err := a.Validate(); err != nil {
		return oms.LedgerEntry{}, err
	}
	if err := u.Principal().WorkAt("location", a.Location); err != nil {
		return oms.LedgerEntry{}, err
	}
	return c.svc.Inventory.AdjustInventory(ctx, a, u.Principal())
}

// Supply is GET /v1/supply: expected supply (of one SKU, or every SKU's
// when empty) in the status, by ETA, at the user's locations when bound.
func (c *Service) Supply(ctx context.Context, u oms.User, sku, status string, limit int) ([]oms.Supply, error) {
	return c.svc.Inventory.ListSupply(ctx, u.Principal(), oms.SupplyFilter{SKU: sku, Status: status, Limit: limit})
}

// SupplyDue is the open supply of the SKUs, by ETA, at the user's
// Locations when bound to some (the inventory list's incoming column).
func (c *Service) SupplyDue(ctx context.Context, u oms.User, skus []string) ([]oms.Supply, error) {
	return c.svc.Inventory.SupplyDue(ctx, u.Principal(), skus)
}

// CreateSupply is POST /v1/supply: a purchase order expected.
func (c *Service) CreateSupply(ctx context.Context, u oms.User, s *oms.Supply) error {
	if err := u.Principal().WorkAt("location", s.Location); err != nil {
		return err
	}
	return c.svc.Inventory.CreateSupply(ctx, s, u.Principal())
}

// ReceiveSupply is POST /v1/supply/{id}/receive (all still due when qty is 0).
func (c *Service) ReceiveSupply(ctx context.Context, u oms.User, id, qty int64) error {
	if p := u.Principal(); p.Bound() {
		if err := c.svc.Inventory.AuthorizeSupply(ctx, p, id); err != nil {
			return err
		}
	}
	_, err := c.svc.Inventory.ReceiveSupply(ctx, id, qty, u.Principal())
	return err
}

// Transfer is POST /v1/transfers.
func (c *Service) Transfer(ctx context.Context, u oms.User, t oms.Transfer) error {
	if err := u.Principal().WorkAt("from", t.From); err != nil {
		return err
	}
	_, err := c.svc.Inventory.CreateTransfer(ctx, t, u.Principal())
	return err
}

// LocationFulfillments is GET /v1/locations/{code}/fulfillments: ENOTFOUND
// for a location the user may not see.
func (c *Service) LocationFulfillments(ctx context.Context, u oms.User, loc string, sts []oms.FulfillmentStatus, limit int) ([]oms.Fulfillment, error) {
	if !u.Principal().CanSeeLocation(loc) {
		return nil, oms.Errorf(oms.ENOTFOUND, "no location %q", loc)
	}
	return c.svc.Fulfillments.LocationFulfillments(ctx, loc, sts, limit)
}

// PickList is GET /v1/locations/{code}/pick-list.
func (c *Service) PickList(ctx context.Context, u oms.User, loc string, limit int) ([]oms.PickItem, error) {
	if !u.Principal().CanSeeLocation(loc) {
		return nil, oms.Errorf(oms.ENOTFOUND, "no location %q", loc)
	}
	return c.svc.Fulfillments.PickList(ctx, loc, limit)
}

// LateToShip counts, by location the user may see, the open fulfillments
// (pending, picking, packed) created before the time: GET
// /v1/locations/{code}/fulfillments for each location that ships, at most
// limit each, oldest order first.
func (c *Service) LateToShip(ctx context.Context, u oms.User, before time.Time, limit int) ([]LateAt, error) {
	ls, err := c.Locations(ctx)
	if err != nil {
		return nil, err
	}
	p := u.Principal()
	var out []LateAt
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
			out = append(out, LateAt{Location: l.Code, Count: n, More: len(fs) == limit})
		}
	}
	return out, nil
}

// FulfillmentSettings is GET /v1/settings/fulfillment: the pickup expiry.
func (c *Service) FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
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

// ListCustomers is GET /v1/customers.
func (c *Service) ListCustomers(ctx context.Context, u oms.User, f oms.CustomerFilter) ([]oms.CustomerRecord, int64, error) {
	if err := customersBound(u); err != nil {
		return nil, 0, err
	}
	return c.svc.Customers.ListCustomers(ctx, f)
}

// CustomerView is everything the customer page shows.
type CustomerView struct {
	Customer *oms.CustomerView
	Next     int64
	Notes    []oms.Note
	Cases    []oms.Case
}

// Customer is GET /v1/customers/{customer} with the customer's notes and
// cases (GET /v1/customers/{customer}/notes, GET /v1/cases?customer=).
func (c *Service) Customer(ctx context.Context, u oms.User, ref string, after int64, limit int) (CustomerView, error) {
	var v CustomerView
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

// AddCustomerNote is POST /v1/customers/{customer}/notes.
func (c *Service) AddCustomerNote(ctx context.Context, u oms.User, ref, body string) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.AddCustomerNote(ctx, ref, body, u.Principal())
	return err
}

// ListCases is GET /v1/cases.
func (c *Service) ListCases(ctx context.Context, u oms.User, f oms.CaseFilter) ([]oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.Cases(ctx, f)
}

// CaseOf is GET /v1/cases/{id}.
func (c *Service) CaseOf(ctx context.Context, u oms.User, ref string) (*oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.Case(ctx, ref)
}

// ReplyToCase is POST /v1/cases/{id}/messages.
func (c *Service) ReplyToCase(ctx context.Context, u oms.User, ref string, m oms.CaseMessage) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.AddCaseMessage(ctx, ref, m, u.Principal())
	return err
}

// UpdateCase is PATCH /v1/cases/{id}.
func (c *Service) UpdateCase(ctx context.Context, u oms.User, ref string, ch oms.CaseChange) error {
	if err := customersBound(u); err != nil {
		return err
	}
	_, err := c.svc.Customers.UpdateCase(ctx, ref, ch, u.Principal())
	return err
}

// Assignees are the people a case may be assigned to: the console's
// Users who are not disabled.
func (c *Service) Assignees(ctx context.Context) ([]oms.User, error) {
	us, err := c.svc.Users.Users(ctx)
	return slices.DeleteFunc(us, func(u oms.User) bool { return u.DisabledAt != nil }), err
}

// ListReturns is GET /v1/returns: a bound user's own orders' returns only.
func (c *Service) ListReturns(ctx context.Context, u oms.User, f oms.ReturnFilter) ([]oms.Return, error) {
	f.Principal = u.Principal()
	return c.svc.Returns.Returns(ctx, f)
}

// AuthorizeReturn returns ENOTFOUND unless the user may see the return.
func (c *Service) AuthorizeReturn(ctx context.Context, u oms.User, ref string) error {
	if p := u.Principal(); p.Bound() {
		return c.svc.Returns.AuthorizeReturn(ctx, p, ref)
	}
	return nil
}

// ReturnView is what the return page shows.
type ReturnView struct {
	Return    *oms.Return
	Order     *oms.Order
	Locations []oms.Location
}

// ReturnOf is GET /v1/returns/{id}, with its order and the locations its
// units may be restocked at (the user's own, when bound).
func (c *Service) ReturnOf(ctx context.Context, u oms.User, ref string) (ReturnView, error) {
	var v ReturnView
	if err := c.AuthorizeReturn(ctx, u, ref); err != nil {
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
	v.Order = authz.OrderFor(u.Principal(), o)
	ls, err := c.svc.Inventory.Locations(ctx)
	p := u.Principal()
	v.Locations = slices.DeleteFunc(ls, func(l oms.Location) bool { return !l.Active || (p.LocationBound() && !p.CanSeeLocation(l.Code)) })
	return v, err
}

// CreateReturn is POST /v1/orders/{id}/returns.
func (c *Service) CreateReturn(ctx context.Context, u oms.User, ref string, req oms.ReturnRequest) (*oms.Return, error) {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Returns.CreateReturn(ctx, ref, req, oms.SourceStaff, u.Principal())
}

// ReturnSettings is GET /v1/settings/returns.
func (c *Service) ReturnSettings(ctx context.Context) (oms.ReturnSettings, error) {
	return c.svc.Returns.ReturnSettings(ctx)
}

// ApproveReturn and rejectReturn are POST /v1/returns/{id}/approve and
// /reject.
func (c *Service) ApproveReturn(ctx context.Context, u oms.User, ref string) error {
	if err := c.AuthorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.ApproveReturn(ctx, ref, u.Principal())
	return err
}

func (c *Service) RejectReturn(ctx context.Context, u oms.User, ref string) error {
	if err := c.AuthorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.RejectReturn(ctx, ref, u.Principal())
	return err
}

// ReceiveReturn is POST /v1/returns/{id}/receive: restocked units go into
// the user's locations only.
func (c *Service) ReceiveReturn(ctx context.Context, u oms.User, ref string, units []oms.Receipt) error {
	if err := c.AuthorizeReturn(ctx, u, ref); err != nil {
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

// CloseReturn is POST /v1/returns/{id}/close: the refund.
func (c *Service) CloseReturn(ctx context.Context, u oms.User, ref string, cr oms.CloseRequest) error {
	if err := c.AuthorizeReturn(ctx, u, ref); err != nil {
		return err
	}
	_, err := c.svc.Returns.CloseReturn(ctx, ref, cr, u.Principal())
	return err
}

// PortalView is what the customers' return page shows.
type PortalView struct {
	Portal *oms.Portal
	Store  string // the store's name: the order's channel's
	Order  *oms.Order
	Quote  *oms.RefundQuote
}

// ReturnPortal is GET /v1/return-portal/{token}, with the name of the
// store the order was placed in.
func (c *Service) ReturnPortal(ctx context.Context, token string) (PortalView, error) {
	var v PortalView
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

// QuoteReturn prices the units the customer picked, as the return will.
func (c *Service) QuoteReturn(ctx context.Context, o *oms.Order, lines []oms.ReturnLine) (oms.RefundQuote, error) {
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

// PortalReturn is POST /v1/return-portal/{token}/returns.
func (c *Service) PortalReturn(ctx context.Context, token string, req oms.ReturnRequest) (*oms.Return, error) {
	return c.svc.Returns.PortalReturn(ctx, token, req)
}

// OpenCase is POST /v1/cases.
func (c *Service) OpenCase(ctx context.Context, u oms.User, r oms.CaseRequest) (*oms.Case, error) {
	if err := customersBound(u); err != nil {
		return nil, err
	}
	return c.svc.Customers.OpenCase(ctx, r, u.Principal())
}

// CreateReturnLink is POST /v1/orders/{id}/return-link.
func (c *Service) CreateReturnLink(ctx context.Context, u oms.User, ref string) (*oms.ReturnLink, error) {
	if err := c.AuthorizeOrder(ctx, u, ref); err != nil {
		return nil, err
	}
	return c.svc.Returns.CreateReturnLink(ctx, ref, 0, u.Principal())
}

// OrderNumber is the number of the order with the id, for a link.
func (c *Service) OrderNumber(ctx context.Context, id string) (string, error) {
	o, err := c.svc.Orders.Order(ctx, id)
	if err != nil {
		return "", err
	}
	return o.Number, nil
}

// LateAt is how many fulfillments are late to ship at a location; More
// when there may be more than counted.
type LateAt struct {
	Location string
	Count    int
	More     bool
}
