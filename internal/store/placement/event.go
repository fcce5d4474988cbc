package placement

import (
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// backorderedEvent appends the order.backordered event of an order placed
// with units waiting for stock.
func backorderedEvent(events []orders.EventRow, o *oms.Order, p *orders.Pending, now time.Time) ([]orders.EventRow, error) {
	m := oms.OrderMoved{Number: o.Number, Previous: oms.StatusPending, Status: o.Status, Lines: o.Lines}
	for _, l := range o.Lines {
		m.Backordered += l.Open
	}
	typ, payload, _ := m.Event(false)
	data, err := sqldb.EventJSON(typ, payload)
	if err != nil {
		return events, err
	}
	return append(events, orders.EventRow{Type: typ, Subject: o.ID, OrderID: o.ID, Actor: p.Actor, Data: data, At: now, RequestID: sqldb.RequestID(p.Ctx)}), nil
}
