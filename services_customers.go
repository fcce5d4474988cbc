package oms

// CaseRequest opens a case.
type CaseRequest struct {
	Customer     string // a customer id or email; or
	Order        string // an order id or number (its customer is the case's)
	Subject      string
	Message      string // the first message
	FromCustomer bool   // the first message is the customer's (else staff's, opening on their behalf)
	Assignee     string
}

// CaseFilter selects cases.
type CaseFilter struct {
	Status   CaseStatus
	Assignee string
	Customer string // id or email
	Order    string // id or number
	After    int64  // cursor: cases older than this number
	Limit    int
}

// CaseChange changes a case's status or assignee (nil: unchanged).
type CaseChange struct {
	Status   *CaseStatus
	Assignee *string
}

// CustomerFilter selects customers for ListCustomers.
type CustomerFilter struct {
	Query string // an email; or a channel's customer id, or words of a name, email or phone, the last as a prefix
	After int64  // the cursor: customers older than this id
	Limit int
}
