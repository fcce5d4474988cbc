package reports

import (
	"context"
	"net/http"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/openapi"
)

// orderReportDoc is what every order report's description starts with.
const orderReportDoc = "Figures of orders placed in the range, counted on the UTC day each order was placed — its later shipments, " +
	"cancellations, returns and refunds included — and grouped by period. Money is in minor units of the base currency " +
	"(GET /v1/settings/currency), each amount converted at its order's recorded rate; orders without a rate yet are named in notes. " +
	"Read from rollups kept as orders change, so a year answers in milliseconds. JSON, or CSV (decimal amounts) with Accept: text/csv."

// OrderReportRoutes are the reports on orders: sales, margin, fulfillment
// and returns, and the report settings.
func (h *Handlers) OrderReportRoutes() []handle.Route {
	by := func(doc string) []openapi.Param {
		return append(slices.Clone(reportParams), openapi.Param{Name: "by", Type: "string", Doc: doc})
	}
	rt := func(name, summary, description string, query []openapi.Param, run func(oms.Reports, context.Context, oms.ReportQuery) (*oms.Report, error)) handle.Route {
		return handle.Route{Method: "GET", Path: "/v1/reports/" + name, Perm: oms.PermReportRead, Summary: summary,
			Doc: orderReportDoc + "\n\n" + description, Response: oms.Report{}, Status: []int{200}, Query: query,
			Handle: h.orderReport(run)}
	}
	return []handle.Route{
		rt("sales", "Sales: orders, units, gross and net sales, discounts, cancellations, returns, tax, shipping, average order value",
			"orders: orders placed (by SKU: with a line of it; by location: with units at or shipped from it). "+
				"units: units ordered, cancelled ones included. gross_sales: the lines' subtotals (quantity × unit price) before discounts. "+
				"discounts: the lines' discounts. cancellations: (line subtotal − discount) × cancelled ÷ quantity, rounded down, per line. "+
				"returns: the same for the units received back. net_sales = gross_sales − discounts − cancellations − returns. "+
				"tax: the orders' tax (by SKU or location, the lines' tax only). shipping: shipping charged (empty by SKU or location). "+
				"average_order_value = net_sales ÷ orders, rounded half away from zero. by=currency gives the amounts in each order's own currency.",
			by("channel, sku, location or currency (default: none)"), oms.Reports.SalesReport),
		rt("margin", "Margin: net sales less the cost of goods sold, by SKU, channel or location",
			"units_sold = units ordered − cancelled − returned. net_sales as in the sales report. "+
				"cost_of_goods = the item's unit cost recorded on the line when the order was placed × (units ordered − cancelled − returned to stock): "+
				"units returned and scrapped stay a cost. margin = net_sales − cost_of_goods; margin_rate = margin ÷ net_sales. "+
				"A unit cost in a currency other than the base or the order's own cannot be converted and is named in notes.",
			by("sku (default), channel or location"), oms.Reports.MarginReport),
		rt("fulfillment", "Fulfillment: fill rate, shipping and delivery times, on-time, split shipment and backorder rates, by channel or location",
			"fill_rate = units shipped ÷ units ordered and not cancelled. ship_hours_median and ship_hours_p90: of the shipments that shipped, "+
				"the hours from order placed to shipped, from a histogram of whole hours (rounded down; whole days, as hours, from 240 hours): "+
				"the bucket in which half (nine tenths) of the shipments fall. delivery_hours_*: the same to delivered or picked up. "+
				"on_time_rate = shipments shipped less than the ship promise (PUT /v1/settings/reports, default 48 hours) after placement ÷ shipments. "+
				"split_shipment_rate = orders with units at or shipped from more than one location ÷ orders. "+
				"backorder_rate = orders some of whose units ever waited for stock ÷ orders. Not filtered by SKU.",
			by("channel or location (default: none)"), oms.Reports.FulfillmentReport),
		rt("returns", "Returns: return rate by SKU, reason or channel, and refund totals by kind",
			"units_shipped: units shipped (sold). units_returned: units received back. return_rate = units_returned ÷ units_shipped "+
				"(by reason: of all units shipped). returns: the value of the units received back, as in the sales report. "+
				"refunds_return, refunds_manual, refunds_appeasement: refunds of each kind on the orders, and refunds_total "+
				"(per order, so empty by SKU or reason). Not filtered by location.",
			by("sku, reason or channel (default: none)"), oms.Reports.ReturnsReport),
		{Method: "GET", Path: "/v1/settings/reports", Perm: oms.PermReportRead, Summary: "Report settings (the ship promise the on-time rate measures against)",
			Response: oms.ReportSettings{}, Status: []int{200}, Handle: h.getReportSettings},
		{Method: "PUT", Path: "/v1/settings/reports", Perm: oms.PermCatalogWrite, Summary: "Replace the report settings (every field required)",
			Request: oms.ReportSettings{}, Response: oms.ReportSettings{}, Status: []int{200}, Handle: h.putReportSettings},
	}
}

// orderReport answers one order report over a range: run is the method of
// oms.Reports that makes it.
func (h *Handlers) orderReport(run func(oms.Reports, context.Context, oms.ReportQuery) (*oms.Report, error)) handle.Func {
	return func(w http.ResponseWriter, r *http.Request) error {
		return serveReport(w, r, false, func(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
			return run(h.reports, ctx, q)
		})
	}
}

func (h *Handlers) getReportSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := h.reports.ReportSettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

func (h *Handlers) putReportSettings(w http.ResponseWriter, r *http.Request) error {
	var set oms.ReportSettings
	if err := decode.Whole(r, &set); err != nil {
		return err
	}
	if err := h.reports.PutReportSettings(r.Context(), set, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}
