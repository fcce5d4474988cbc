package oms

import "time"

// ReturnFilter selects returns.
type ReturnFilter struct {
	Status ReturnStatus
	Order  string // id or number
	After  int64  // cursor: returns older than this number
	Limit  int
	// Principal bound to channels or locations sees the returns of the
	// orders it sees only.
	Principal Principal
}

// ReturnLink is a signed link that lets a customer start a return of one
// order.
type ReturnLink struct {
	OrderID   string    `json:"order_id"`
	Token     string    `json:"token" secret:"true"` // a credential: shown once, never stored
	Path      string    `json:"path" secret:"true"`  // the portal, under this API (it holds the token)
	ExpiresAt time.Time `json:"expires_at"`
}

// Portal is what a return link shows the customer: the order's lines and
// how many units of each may still be returned, the reasons to choose
// from, and the order's returns so far.
type Portal struct {
	OrderID     string         `json:"order_id"`
	OrderNumber string         `json:"order_number"`
	Currency    string         `json:"currency"`
	Lines       []PortalLine   `json:"lines"`
	Reasons     []string       `json:"reasons"`
	Conditions  []string       `json:"conditions"`
	Returns     []PortalReturn `json:"returns"`
}

// PortalLine is an order line as the customer sees it.
type PortalLine struct {
	LineID     string `json:"line_id"`
	SKU        string `json:"sku"`
	Quantity   int64  `json:"quantity"`
	UnitPrice  int64  `json:"unit_price"`
	Shipped    int64  `json:"shipped"`
	Returned   int64  `json:"returned"`
	Returnable int64  `json:"returnable"`
}

// PortalReturn is a return as the customer sees it.
type PortalReturn struct {
	ID        string       `json:"id"`
	Status    ReturnStatus `json:"status"`
	Refund    int64        `json:"refund"`
	CreatedAt time.Time    `json:"created_at"`
}

// CloseRequest closes a received return.
type CloseRequest struct {
	PaymentReference string
	Reason           string
}

// RefundRequest is a refund by hand.
type RefundRequest struct {
	Kind             string // manual or appeasement
	Amount           int64
	Reason           string
	PaymentReference string
}

// OrderRefunds is an order's refunds and what is left to refund.
type OrderRefunds struct {
	Refunds  []Refund `json:"refunds"`
	Currency string   `json:"currency"`
	Paid     int64    `json:"paid"` // the order's total
	Refunded int64    `json:"refunded"`
	Left     int64    `json:"left"`
}

// Return sources: started by staff with an API key, or by the customer
// through a return link.
const (
	SourceStaff = "staff"
	SourceLink  = "return_link"
)
