package placement

import (
	"github.com/omshq/oms"
)

// orderCreated is the data of the order.created event of the order,
// placed as sourcing decided.
func orderCreated(o *oms.Order, sourcing oms.Sourcing) oms.OrderCreated {
	e := oms.OrderCreated{Number: o.Number, Channel: o.Channel, ExternalID: o.ExternalID, Status: o.Status,
		Currency: o.Currency, Lines: len(o.Lines), Sourcing: sourcing}
	if o.AmountsUnknown {
		e.AmountsUnknown = true
	} else {
		total := o.Total
		e.Total = &total
	}
	return e
}
