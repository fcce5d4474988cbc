package oms

// SearchOptions shape a search.
type SearchOptions struct {
	Limit     int  // orders, at most; DefaultSearchSize when 0
	Customers bool // include the customers of the orders found
	// Identifiers looks for the order number, external id and tracking
	// numbers only, never the customer's email, phone, name or channel id:
	// for a key that may not read customers.
	Identifiers bool
	// Principal bound to channels or locations finds its orders only.
	Principal Principal
}

// OrderFilter selects orders for ListOrders.
type OrderFilter struct {
	Status  Status
	Channel string
	Query   string // an order number, external id, email or phone, or words of the search index (the last a prefix)
	After   int64  // the cursor: list orders older than this sequence number
	Limit   int
	// WithLines loads each order's lines and allocations too.
	WithLines bool
	// Identifiers matches Query against order numbers, external ids and
	// tracking numbers only, never the customer's email, phone or name:
	// for a key that may not read customers.
	Identifiers bool
	// Principal bound to channels or locations sees its orders only.
	Principal Principal
}
