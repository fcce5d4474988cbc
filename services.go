package oms

import (
	"context"
	"time"
)

// The services: what the business does, by area. internal/store implements
// every one of them on one database (*store.DB); the HTTP API, and anything
// else that serves people, depends on these interfaces only, so that a
// handler test can fake the one service it exercises.
//
// A method that changes something takes the Principal it acts for, last;
// its Actor is what the events and the ledger record. A change to an order
// that may be guarded by the order's version (If-Match) takes the version
// after the order's reference: 0 for any.

// Services is every service, one field per area.
type Services struct {
	Orders       Orders
	Holds        Holds
	Inventory    Inventory
	Fulfillments Fulfillments
	Returns      Returns
	Customers    Customers
	Channels     Channels
	Keys         Keys
	Admin        Admin
	EventLog     EventLog
	Idempotency  Idempotency
	Webhooks     Webhooks
	Users        Users
	Reports      Reports
}

// Orders places, reads, searches, cancels and edits orders, and keeps their
// notes and timeline.
type Orders interface {
	// PlaceOrder accepts an order: it reserves stock for each line and saves
	// the order, its lines, allocations, ledger entries and order.created
	// event in one transaction (shared with other orders placed at the same
	// moment, each one all or nothing).
	PlaceOrder(ctx context.Context, d *OrderDraft, by Principal) (*Order, bool, error)
	// SimulateSourcing decides, on the stock as it is now, where a
	// hypothetical order would come from, and writes nothing.
	SimulateSourcing(ctx context.Context, d *OrderDraft) (Sourcing, error)
	// Order returns the order with the id ("ord_…") or number, with its
	// lines and allocations, or ENOTFOUND.
	Order(ctx context.Context, ref string) (*Order, error)
	// AuthorizeOrder returns ENOTFOUND unless the order (by id or number)
	// exists and p may see it.
	AuthorizeOrder(ctx context.Context, p Principal, ref string) error
	// ListOrders returns orders matching the filter, newest first, and the
	// cursor of the next page (0 when there is none).
	ListOrders(ctx context.Context, f OrderFilter) ([]Order, int64, error)
	// Search finds orders by the search box entry q, best matches first (see
	// SearchQuery), and with opts.Customers the customers of those
	// orders ahead of them, each in the tier of their first order.
	Search(ctx context.Context, q SearchQuery, opts SearchOptions) ([]SearchResult, error)
	// OrderSourcing returns the latest sourcing decision of the order (by id
	// or number): where its units were placed, by line id, and why each
	// location won or lost.
	OrderSourcing(ctx context.Context, ref string) (Sourcing, error)
	// OrderEventsFor returns the events of the order (by id or number) of
	// the kinds p may read (see Events), oldest first, or ENOTFOUND.
	OrderEventsFor(ctx context.Context, p Principal, ref string) ([]Event, error)
	// OrderTimeline merges, oldest first, everything that happened to the
	// order: its events (placement, sourcing, fulfillment, holds, edits,
	// returns, refunds …), its notes, and the messages and changes of its
	// cases.
	OrderTimeline(ctx context.Context, ref string) ([]TimelineEntry, error)
	// CancelOrderWithReason is CancelOrder recording why: the reason, when
	// given, is kept in the event's data and shown in the order's timeline.
	CancelOrderWithReason(ctx context.Context, ref string, version int64, lines []CancelLine, reason string, by Principal) (*Order, error)
	// EditOrder applies the operations to the order (by id or number) if it
	// is at version, all or nothing, in one transaction (see Order.Edit
	// for the rules).
	EditOrder(ctx context.Context, ref string, version int64, ops []EditOp, by Principal) (*Order, *OrderEdit, error)
	// OrderEdits returns the edits of the order (by id or number), oldest
	// first, or ENOTFOUND.
	OrderEdits(ctx context.Context, ref string) ([]OrderEdit, error)
	// OrderNotes returns the order's notes, oldest first.
	OrderNotes(ctx context.Context, ref string) ([]Note, error)
	// AddOrderNote adds an internal note to the order (by id or number).
	AddOrderNote(ctx context.Context, ref, body string, by Principal) (*Note, error)
}

// Holds stops orders from being fulfilled until released, by hand or by the
// screening rules.
type Holds interface {
	// PlaceHold stops the order (by id or number) for review.
	PlaceHold(ctx context.Context, ref string, version int64, typ HoldType, reason string, by Principal) (*Order, error)
	// ReleaseHolds releases the order's holds of the type (every hold when
	// typ is empty).
	ReleaseHolds(ctx context.Context, ref string, version int64, typ HoldType, by Principal) (*Order, error)
	// Screening returns the screening rules (all off until set).
	Screening(ctx context.Context) (Screening, error)
	// PutScreening replaces the screening rules.
	PutScreening(ctx context.Context, s Screening, by Principal) error
}

// Inventory keeps the items, the locations and the stock at them:
// adjustments, transfers, expected supply, availability to promise and to
// sell, stock lists and the ledger.
type Inventory interface {
	// Item returns the item with the SKU, or ENOTFOUND.
	Item(ctx context.Context, sku string) (*Item, error)
	// ListItems returns up to f.Limit items in SKU order — by bytes, as Go
	// compares strings — and the SKU to pass as After for the next page (""
	// when there is none).
	ListItems(ctx context.Context, f ItemFilter) ([]Item, string, error)
	// PutItem creates the item or replaces its fields, and reports whether
	// it was created.
	PutItem(ctx context.Context, it *Item, by Principal) (created bool, err error)
	// Location returns the location with the code, or ENOTFOUND.
	Location(ctx context.Context, code string) (*Location, error)
	// Locations returns every location, by code.
	Locations(ctx context.Context) ([]Location, error)
	// PutLocation creates the location or replaces its fields, and reports
	// whether it was created.
	PutLocation(ctx context.Context, l *Location, by Principal) (created bool, err error)
	// AdjustInventory records a hand-made stock movement — a receipt, a
	// correction, a count or damage — and returns its ledger entry.
	AdjustInventory(ctx context.Context, a Adjustment, by Principal) (LedgerEntry, error)
	// SetSafetyStock sets the units of a SKU kept back from sale at a
	// location and returns the SKU's stock. It returns EINVALID for a bad
	// field or an unknown SKU or location.
	SetSafetyStock(ctx context.Context, s SafetyStock, by Principal) (Stock, error)
	// Stock returns the SKU's balances at every location that has held it,
	// or ENOTFOUND.
	Stock(ctx context.Context, sku string) (Stock, error)
	// ListStock returns up to f.Limit SKUs in SKU order — by bytes, as Go
	// compares strings — each with its balances by location and their sums,
	// and the SKU to pass as After for the next page ("" when there is
	// none).
	ListStock(ctx context.Context, f StockFilter) ([]Stock, string, error)
	// Ledger returns up to limit of the SKU's stock movements with an id
	// below before (0 means from the newest), newest first, or ENOTFOUND;
	// only those at p's locations when it is bound to some.
	Ledger(ctx context.Context, p Principal, sku string, before int64, limit int) ([]LedgerEntry, error)
	// AvailableToPromise returns what can be promised of the SKU, now and at
	// each date supply is due, or ENOTFOUND.
	AvailableToPromise(ctx context.Context, sku string) (ATP, error)
	// ChannelAvailability returns a page of at most limit entries of what
	// the channel may sell, in byte order of SKU after the SKU after: each
	// listing SKU of the channel, as its scarcest component allows, and each
	// item's SKU the channel does not list (a listing shadows an item of the
	// same SKU, as it does for the orders the channel sends). An item offers
	// the free stock (on hand less reserved and safety stock) at the active
	// locations serving the channel, times its share, less its buffer, never
	// negative. NextCursor is the page's last SKU when more follow.
	ChannelAvailability(ctx context.Context, code, after string, limit int) (*AvailabilityPage, error)
	// CreateSupply records expected supply.
	CreateSupply(ctx context.Context, s *Supply, by Principal) error
	// Supply returns the supply with the id, or ENOTFOUND.
	Supply(ctx context.Context, id int64) (*Supply, error)
	// ListSupply returns a page of the supply the filter names, by ETA;
	// only that due at p's locations when it is bound to some. It returns
	// EINVALID naming a SKU or location that does not exist.
	ListSupply(ctx context.Context, p Principal, f SupplyFilter) ([]Supply, error)
	// SupplyDue returns the open supply of the SKUs, by ETA; only that
	// due at p's locations when it is bound to some.
	SupplyDue(ctx context.Context, p Principal, skus []string) ([]Supply, error)
	// AuthorizeSupply returns ENOTFOUND unless the supply exists and is due
	// at one of p's locations.
	AuthorizeSupply(ctx context.Context, p Principal, id int64) error
	// ReceiveSupply receives qty units of the supply (all still due when qty
	// is 0): they enter on hand at its location through the ledger, and the
	// orders waiting for the item get them, oldest first.
	ReceiveSupply(ctx context.Context, id, qty int64, by Principal) (*Supply, error)
	// CreateTransfer ships a transfer out of its source and returns the
	// supply in transit to the destination.
	CreateTransfer(ctx context.Context, t Transfer, by Principal) (*Supply, error)
}

// Fulfillments moves orders' fulfillments through picking, packing, shipping
// and pickup, one at a time or in batches.
type Fulfillments interface {
	// Fulfillment returns the fulfillment with the id, or ENOTFOUND.
	Fulfillment(ctx context.Context, id string) (*Fulfillment, error)
	// AuthorizeFulfillment returns ENOTFOUND unless the fulfillment exists
	// and p may see it: its order is one p sees, and it ships from one of
	// p's locations or is to be picked up at one.
	AuthorizeFulfillment(ctx context.Context, p Principal, id string) error
	// OrderFulfillments returns the fulfillments of the order (by id or
	// number), or ENOTFOUND.
	OrderFulfillments(ctx context.Context, ref string) ([]Fulfillment, error)
	// LocationFulfillments returns the open fulfillments of the location (or
	// those in the given statuses), oldest order first, or ENOTFOUND.
	LocationFulfillments(ctx context.Context, code string, sts []FulfillmentStatus, limit int) ([]Fulfillment, error)
	// PickList groups by SKU the units of the location's fulfillments
	// waiting to be picked (pending or picking), for at most limit
	// fulfillments, oldest order first.
	PickList(ctx context.Context, code string, limit int) ([]PickItem, error)
	// MoveFulfillment moves the fulfillment (by id, "1001-F1") on.
	MoveFulfillment(ctx context.Context, id string, m FulfillmentMove, by Principal) (*Fulfillment, error)
	// MoveFulfillments makes many moves in one transaction, as a warehouse
	// closing a wave or a carrier reporting deliveries does.
	MoveFulfillments(ctx context.Context, moves []BatchMove, by Principal) ([]MoveResult, error)
	// RejectFulfillment records that the fulfillment's location cannot
	// supply some of its units (lines; all of them when empty): their
	// reservation is released and the order's open units are sourced again
	// from the other locations.
	RejectFulfillment(ctx context.Context, id string, lines []FulfillmentLine, reason string, by Principal) (*Order, error)
	// ResourceOrder sources the order's units waiting for stock again (by
	// id or number, at version unless 0), from every location but those
	// that rejected units of it; allocated units stay where they are.
	ResourceOrder(ctx context.Context, ref string, version int64, by Principal) (*Order, error)
	// FulfillmentSettings returns the fulfillment settings.
	FulfillmentSettings(ctx context.Context) (FulfillmentSettings, error)
	// PutFulfillmentSettings replaces the fulfillment settings.
	PutFulfillmentSettings(ctx context.Context, s FulfillmentSettings, by Principal) error
}

// Returns takes returns through approval, receipt and closing, refunds
// orders, and serves the customers' return portal.
type Returns interface {
	// Return returns the return with its lines, units and exchange, or
	// ENOTFOUND.
	Return(ctx context.Context, ref string) (*Return, error)
	// Returns lists returns, newest first.
	Returns(ctx context.Context, f ReturnFilter) ([]Return, error)
	// AuthorizeReturn returns ENOTFOUND unless the return exists and p may
	// see its order.
	AuthorizeReturn(ctx context.Context, p Principal, ref string) error
	// CreateReturn asks to return units of the order's shipped lines.
	CreateReturn(ctx context.Context, ref string, req ReturnRequest, source string, by Principal) (*Return, error)
	// ApproveReturn approves a requested return.
	ApproveReturn(ctx context.Context, ref string, by Principal) (*Return, error)
	// RejectReturn rejects a requested return; its units may be returned
	// again.
	RejectReturn(ctx context.Context, ref string, by Principal) (*Return, error)
	// ReceiveReturn records the units of an approved return that came back:
	// restocked units enter on hand at their location through a ledger
	// movement of kind return (and the orders waiting for the item get them,
	// as with any receipt); scrapped ones are recorded and leave stock
	// alone.
	ReceiveReturn(ctx context.Context, ref string, units []Receipt, by Principal) (*Return, error)
	// CloseReturn closes a received return and issues its refund: the exact
	// value of the units received, less the replacement total of an
	// exchange, and never more than is left of the order's total after its
	// refunds.
	CloseReturn(ctx context.Context, ref string, c CloseRequest, by Principal) (*Return, error)
	// Refunds returns the order's refunds, oldest first, or ENOTFOUND.
	Refunds(ctx context.Context, ref string) (*OrderRefunds, error)
	// RefundOrder records a manual refund or a goodwill credit (appeasement)
	// on the order.
	RefundOrder(ctx context.Context, ref string, req RefundRequest, by Principal) (*Refund, error)
	// CreateReturnLink signs a return link for the order, valid for days
	// (the settings' link_days when 0).
	CreateReturnLink(ctx context.Context, ref string, days int, by Principal) (*ReturnLink, error)
	// ReturnPortal shows the order the token grants access to.
	ReturnPortal(ctx context.Context, token string) (*Portal, error)
	// PortalReturn starts a return of the order the token grants access to;
	// exchanges are for staff.
	PortalReturn(ctx context.Context, token string, req ReturnRequest) (*Return, error)
	// ReturnSettings returns how returns and refunds work (the defaults
	// until changed).
	ReturnSettings(ctx context.Context) (ReturnSettings, error)
	// PutReturnSettings replaces the return settings.
	PutReturnSettings(ctx context.Context, s ReturnSettings, by Principal) error
}

// Customers keeps the customers, their notes and their cases.
type Customers interface {
	// Customer returns the customer (by id or email) with their history:
	// lifetime value, order count and dates, units returned, open cases, and
	// a page of their orders across every channel, newest first, older than
	// the cursor after (0: from the newest).
	Customer(ctx context.Context, ref string, after int64, limit int) (*CustomerView, int64, error)
	// ListCustomers returns the customers matching the filter, newest first,
	// and the cursor of the next page (0 when there is none).
	ListCustomers(ctx context.Context, f CustomerFilter) ([]CustomerRecord, int64, error)
	// CustomerNotes returns the customer's notes (not those on their
	// orders).
	CustomerNotes(ctx context.Context, ref string) ([]Note, error)
	// AddCustomerNote adds an internal note to the customer (by id or
	// email).
	AddCustomerNote(ctx context.Context, ref, body string, by Principal) (*Note, error)
	// Case returns the case with its messages, or ENOTFOUND.
	Case(ctx context.Context, ref string) (*Case, error)
	// Cases lists cases, newest first.
	Cases(ctx context.Context, f CaseFilter) ([]Case, error)
	// OpenCase opens a case for a customer, and optionally an order.
	OpenCase(ctx context.Context, r CaseRequest, by Principal) (*Case, error)
	// UpdateCase changes the case's status or assignee.
	UpdateCase(ctx context.Context, ref string, ch CaseChange, by Principal) (*Case, error)
	// AddCaseMessage adds a message to the case (see Case.AddMessage for
	// how it moves the case).
	AddCaseMessage(ctx context.Context, ref string, m CaseMessage, by Principal) (*Case, error)
}

// Channels keeps the sales channels and their SKU mappings, and takes in
// their orders and webhook deliveries.
type Channels interface {
	// Channel returns the channel with the code, or ENOTFOUND.
	Channel(ctx context.Context, code string) (*Channel, error)
	// Channels returns every channel, by code.
	Channels(ctx context.Context) ([]Channel, error)
	// PutChannel creates the channel or replaces its fields, and reports
	// whether it was created.
	PutChannel(ctx context.Context, c *Channel, by Principal) (created bool, err error)
	// SKUMappings returns the channel's mappings, by listing SKU, or
	// ENOTFOUND.
	SKUMappings(ctx context.Context, channel string) ([]SKUMapping, error)
	// PutSKUMapping maps the channel's listing SKU to the components,
	// replacing any earlier mapping.
	PutSKUMapping(ctx context.Context, m SKUMapping, by Principal) error
	// DeleteSKUMapping removes the mapping of the channel's listing SKU.
	DeleteSKUMapping(ctx context.Context, channel, listing string, by Principal) error
	// IngestOrder takes an order a channel sent in its own format (read by
	// its adapter) with the raw payload.
	IngestOrder(ctx context.Context, channel string, in *Ingested, raw []byte, by Principal) (IngestResult, error)
	// IngestDelivery is IngestOrder for a webhook delivery the channel
	// identified: once the delivery has created or updated its order, its id
	// is recorded, so that Delivery knows a repeat of it.
	IngestDelivery(ctx context.Context, channel, delivery string, in *Ingested, raw []byte, by Principal) (IngestResult, error)
	// Delivery reports whether the channel's webhook delivery id was
	// recorded recently (the store remembers deliveries for a while), and
	// the id of the order it brought.
	Delivery(ctx context.Context, channel, id string) (orderID string, seen bool, err error)
	// OrderPayloads returns the payloads the channel sent for the order,
	// oldest first: none for an order placed through oms's own API.
	OrderPayloads(ctx context.Context, ref string) ([]Payload, error)
}

// Keys issues, authenticates, rotates and revokes API keys.
type Keys interface {
	// Authenticate returns the live key whose secret this is, or
	// EUNAUTHORIZED: the key's current secret, or the one its last rotation
	// replaced until that one's overlap ends.
	Authenticate(ctx context.Context, secret string) (APIKey, error)
	// ListAPIKeys returns a page of the live keys, newest first, after the
	// key with id after (from the start when empty), and the id to ask for
	// the next page after ("" on the last page).
	ListAPIKeys(ctx context.Context, after string, limit int) ([]APIKey, string, error)
	// CreateAPIKey makes a key with the role and returns it with its secret;
	// the secret is not stored and cannot be shown again.
	CreateAPIKey(ctx context.Context, name string, role Role, by Principal, scope ...KeyScope) (APIKey, string, error)
	// RotateAPIKey gives the key a new secret, returned with the key; the
	// secret is not stored and cannot be shown again.
	RotateAPIKey(ctx context.Context, id string, overlap time.Duration, by Principal) (APIKey, string, error)
	// RevokeAPIKey revokes the key: every server refuses it within a second.
	RevokeAPIKey(ctx context.Context, id string, by Principal) error
}

// Admin keeps the settings of the whole system — currency, tax rules, postal
// centroids — and answers the checks and exports an operator runs.
type Admin interface {
	// CurrencySettings returns the currency settings (no base currency until
	// one is set).
	CurrencySettings(ctx context.Context) (CurrencySettings, error)
	// PutCurrencySettings replaces the currency settings.
	PutCurrencySettings(ctx context.Context, s CurrencySettings, by Principal) error
	// Convert converts amount minor units of from into to with the exchange
	// rates in force on day, half to even to the minor unit of to.
	Convert(ctx context.Context, amount int64, from, to string, day time.Time) (Conversion, error)
	// TaxRule returns the rule with the key ("DE", "CA-QC"), or ENOTFOUND.
	TaxRule(ctx context.Context, key string) (TaxRule, error)
	// TaxRules returns every tax rule, by country and region.
	TaxRules(ctx context.Context) ([]TaxRule, error)
	// PutTaxRule creates or replaces the rule for its country and region,
	// and reports whether it was created.
	PutTaxRule(ctx context.Context, r *TaxRule, by Principal) (bool, error)
	// DeleteTaxRule deletes the rule with the key; orders placed from then
	// on are no longer taxed by it.
	DeleteTaxRule(ctx context.Context, key string, by Principal) error
	// StoreSettings returns how the store presents itself to customers (no
	// name until one is set).
	StoreSettings(ctx context.Context) (StoreSettings, error)
	// PutStoreSettings replaces the store settings.
	PutStoreSettings(ctx context.Context, s StoreSettings, by Principal) error
	// PutPostalCentroids adds or replaces postal-code centroids.
	PutPostalCentroids(ctx context.Context, cs []PostalCentroid, by Principal) error
	// Check recomputes every balance from the ledger and the open
	// allocations and verifies the invariants: stock conserved, nothing
	// oversold, every line's quantities adding up, every status derived from
	// its lines, every total exact, every order with its creation event.
	Check(ctx context.Context) (CheckReport, error)
	// CheckExportFilter returns EINVALID naming the filter that names a
	// channel, SKU or location that does not exist, or a bad status: an
	// export of a typo is an error, not an empty file.
	CheckExportFilter(ctx context.Context, f ExportFilter) error
	// Export streams the rows of the export name matching f to fn, one slice
	// of strings per row in the order of ExportHeader (fn must not keep it).
	Export(ctx context.Context, name string, f ExportFilter, fn func([]string) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Engine returns "sqlite" or "postgres".
	Engine() string
}

// EventLog reads the event stream.
type EventLog interface {
	// Events returns up to limit of the events p may read (see
	// EventReaders) after the cursor (an event id, or "" for the first),
	// oldest first, only those of the type when one is given.
	Events(ctx context.Context, p Principal, after, typ string, limit int) ([]Event, error)
}

// Idempotency keeps the answers of requests sent with an Idempotency-Key,
// and runs a request's changes as one unit of work so that its answer is
// stored with them.
type Idempotency interface {
	// ClaimIdempotency starts an idempotent request: in a unit of work (see
	// Unit), where the claim commits with the request's effect and its
	// answer (FinishIdempotency), or not at all.
	ClaimIdempotency(ctx context.Context, r IdempotentRequest) (*StoredResponse, error)
	// FinishIdempotency stores the answer to replay for the key, in the unit
	// of work that claimed it.
	FinishIdempotency(ctx context.Context, r IdempotentRequest, resp StoredResponse) error
	// Unit runs fn as one unit of work: every store call made with the
	// context fn is given joins one write transaction, which commits when fn
	// returns nil and is rolled back when it returns an error (which Unit
	// returns) or panics.
	Unit(ctx context.Context, fn func(ctx context.Context) error) error
}
