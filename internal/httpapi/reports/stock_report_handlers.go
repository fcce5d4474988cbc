package reports

import (
	"context"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/openapi"
)

// The stock reports' definitions, for the OpenAPI document.
const (
	inventoryDoc = "One row per SKU and location that has held stock. `on_hand`: units physically there; `reserved`: " +
		"units of them allocated to orders; `available` = on_hand − reserved − safety_stock, at least 0 (safety stock " +
		"as set now: its history is not kept); `stock_value` = on_hand × unit_cost. Without `at`, the balances as they " +
		"stand, at each item's current unit cost. With `at`, as they stood then, from the daily stock rollup (the close " +
		"of the last day before `at` that moved each balance) and, for a time within a day, that day's ledger movements " +
		"made before it; valued at the unit cost recorded with the day's last movement. Money is converted from each " +
		"item's cost currency into the base currency at the ECB rates in force on the day described; a row that could " +
		"not be converted stays in its cost currency (`currency` says which) and `notes` says so. `from`, `to` and " +
		"`period` are not used; `channel` is refused (stock belongs to locations). A stock value past 64 bits of minor units " +
		"is refused (409 conflict) rather than wrapped around."
	turnoverDoc = "One row per SKU held or moved in the range (over every location, or `location`), the range taken " +
		"in whole UTC days (N days). `opening_on_hand`/`closing_on_hand`: on hand at the start and end of the range. " +
		"`received`: units in by receipt or return (transfers between locations are not counted). `sold`: units " +
		"shipped. `average_on_hand`: the mean over the N days of each day's closing on hand. `cogs` (cost of goods " +
		"sold): each unit shipped at its item's unit cost when it shipped. `average_inventory_value` = average_on_hand × " +
		"the item's current unit cost. `turnover` = cogs ÷ average_inventory_value. `days_of_supply` = closing_on_hand " +
		"÷ (sold ÷ N). `sell_through` = sold ÷ (opening_on_hand + received). `sold_recently`: units shipped in the " +
		"`dead_days` days up to the range's end; `dead_stock` is \"yes\" when units are on hand at the end and none " +
		"shipped in that window. Ratios are exact decimal text with four decimals, empty when the denominator is 0. " +
		"Money is in the base currency at the ECB rates in force on the range's last day (the ratios do not depend on " +
		"it). Read from the stock rollup: month rows for whole months, day rows for the rest. `period` and `channel` " +
		"are not used (`channel` is refused)."
	stockoutsDoc = "Rows per period, SKU and location: `stockout_days`, the SKU-days out of stock — days on which on " +
		"hand − reserved at the location was 0 or less at some moment (from the movement that took the last unreserved " +
		"unit to the one that brought one back; a stockout still going counts up to today) — and `stockouts`, the " +
		"times one began. Each period and SKU also has a total row with an empty `location`: its stockout_days and " +
		"stockouts summed over locations, and `backordered_orders`/`backordered_units`, the orders placed (on the UTC " +
		"day oms took them) with units of the SKU left waiting for stock and those units — backorders belong to no " +
		"location, so with a `location` filter they are left out. The range is taken in whole UTC days. `channel` is refused."
)

// StockReportRoutes are the reports on stock.
func (h *Handlers) StockReportRoutes() []handle.Route {
	at := openapi.Param{Name: "at", Type: "string", Doc: "a day (YYYY-MM-DD: its close, UTC) or an RFC 3339 time, 1970-01-01 to 2200-12-31: the stock as it stood then (default now)"}
	dead := openapi.Param{Name: "dead_days", Type: "integer", Doc: "days without a sale that make stock on hand dead (default 90)"}
	return []handle.Route{
		{Method: "GET", Path: "/v1/reports/inventory", Perm: oms.PermReportRead, Summary: "Inventory: on hand, reserved, available and stock value at cost per SKU and location, now or at a past moment",
			Doc: inventoryDoc, Response: oms.Report{}, Status: []int{200}, Query: []openapi.Param{at, reportParams[4], reportParams[5]}, Handle: h.inventoryReport},
		{Method: "GET", Path: "/v1/reports/turnover", Perm: oms.PermReportRead, Summary: "Turnover per SKU: cost of goods sold ÷ average inventory value, days of supply, sell-through and dead stock",
			Doc: turnoverDoc, Response: oms.Report{}, Status: []int{200}, Query: append(reportParams[:2:2], reportParams[4], reportParams[5], dead), Handle: h.turnoverReport},
		{Method: "GET", Path: "/v1/reports/stockouts", Perm: oms.PermReportRead, Summary: "Stockouts: SKU-days out of stock per location, and the orders that backordered",
			Doc: stockoutsDoc, Response: oms.Report{}, Status: []int{200}, Query: append(reportParams[:3:3], reportParams[4], reportParams[5]), Handle: h.stockoutReport},
	}
}

// serveReport reads the common report parameters, runs the report and
// writes it, as JSON or CSV.
func serveReport(w http.ResponseWriter, r *http.Request, pointInTime bool,
	run func(ctx context.Context, q oms.ReportQuery) (*oms.Report, error)) error {
	q, err := reportQuery(r, pointInTime)
	if err != nil {
		return err
	}
	rep, err := run(r.Context(), q)
	if err != nil {
		return err
	}
	return writeReport(w, r, rep)
}

func (h *Handlers) inventoryReport(w http.ResponseWriter, r *http.Request) error {
	return serveReport(w, r, true, func(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
		at, err := oms.ParseReportAt(r.URL.Query().Get("at"))
		if err != nil {
			return nil, err
		}
		q.At = at
		return h.reports.InventoryReport(ctx, q)
	})
}

func (h *Handlers) turnoverReport(w http.ResponseWriter, r *http.Request) error {
	return serveReport(w, r, false, func(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
		dead, err := oms.ParseDeadDays(r.URL.Query().Get("dead_days"))
		if err != nil {
			return nil, err
		}
		return h.reports.TurnoverReport(ctx, q, dead)
	})
}

func (h *Handlers) stockoutReport(w http.ResponseWriter, r *http.Request) error {
	return serveReport(w, r, false, h.reports.StockoutReport)
}
