package orders

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/omshq/oms"
)

// intlScan receives the columns of intlCols as the order reads select them.
type intlScan struct {
	currency, rate, day                 sql.NullString
	sub, disc, ship, tax, duties, total sql.NullInt64
	computed                            sql.NullString
}

func (s *intlScan) targets() []any {
	return []any{&s.currency, &s.rate, &s.day, &s.sub, &s.disc, &s.ship, &s.tax, &s.duties, &s.total, &s.computed}
}

// apply sets the order's base totals, when recorded, and computed tax.
func (s *intlScan) apply(o *oms.Order) error {
	if s.rate.Valid {
		o.Base = &oms.BaseTotals{Currency: s.currency.String, Rate: s.rate.String, RateDate: s.day.String,
			Totals: oms.Totals{Subtotal: s.sub.Int64, DiscountTotal: s.disc.Int64, ShippingTotal: s.ship.Int64,
				TaxTotal: s.tax.Int64, DutiesTotal: s.duties.Int64, Total: s.total.Int64}}
	}
	if s.computed.Valid {
		o.ComputedTax = new(oms.TaxComputation)
		if err := json.Unmarshal([]byte(s.computed.String), o.ComputedTax); err != nil {
			return fmt.Errorf("order %s computed tax: %w", o.ID, err)
		}
	}
	return nil
}
