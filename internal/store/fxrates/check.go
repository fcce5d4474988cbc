package fxrates

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/sqldb"
)

// selectBaseForCheck streams the orders with base totals recorded.
const selectBaseForCheck = `
SELECT seq, currency, subtotal, discount_total, shipping_total, tax_total, duties_total, total,
    base_currency, base_rate, base_rate_date, base_subtotal, base_discount_total, base_shipping_total,
    base_tax_total, base_duties_total, base_total
FROM orders WHERE base_rate IS NOT NULL ORDER BY seq`

// CheckBaseTotals verifies, in tx, every recorded base total: all of it recorded,
// rate 1 for an order in the base currency, and each amount the exact
// conversion, half to even, of the order's at the rate recorded beside it.
func CheckBaseTotals(ctx context.Context, tx *sqldb.Tx, r *oms.CheckReport) error {
	rows, err := tx.QueryContext(ctx, selectBaseForCheck)
	if err != nil {
		return fmt.Errorf("check base totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var cur string
		var t oms.Totals
		var base, rate, day sql.NullString
		var b [6]sql.NullInt64
		if err := rows.Scan(&seq, &cur, &t.Subtotal, &t.DiscountTotal, &t.ShippingTotal, &t.TaxTotal, &t.DutiesTotal,
			&t.Total, &base, &rate, &day, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]); err != nil {
			return err
		}
		if v := baseViolation(cur, t, base, rate, day, b); v != "" {
			r.Violations = append(r.Violations, fmt.Sprintf("order %d: base totals %s", seq, v))
		}
	}
	return rows.Err()
}

// baseViolation says what is wrong with an order's recorded base totals, or
// "" when nothing is.
func baseViolation(cur string, t oms.Totals, base, rate, day sql.NullString, b [6]sql.NullInt64) string {
	for _, n := range b {
		if !n.Valid {
			return "are recorded in part"
		}
	}
	d, err := time.Parse(time.DateOnly, day.String)
	if !base.Valid || err != nil {
		return fmt.Sprintf("have no base currency or rate date (%q)", day.String)
	}
	if cur == base.String && rate.String != "1" {
		return fmt.Sprintf("are in the order's own currency at rate %s, not 1", rate.String)
	}
	want, err := fx.AtRate(t, cur, base.String, rate.String, d)
	if err != nil {
		return fmt.Sprintf("cannot be recomputed at rate %s: %v", rate.String, err)
	}
	got := oms.Totals{Subtotal: b[0].Int64, DiscountTotal: b[1].Int64, ShippingTotal: b[2].Int64,
		TaxTotal: b[3].Int64, DutiesTotal: b[4].Int64, Total: b[5].Int64}
	if got != want.Totals {
		return fmt.Sprintf("%+v are not the conversion at rate %s (want %+v)", got, rate.String, want.Totals)
	}
	return ""
}
