package httpapi

import (
	"encoding/csv"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// csvFile marks a route whose answer is a CSV file, for the OpenAPI document.
type csvFile struct{}

// exportParams are the filters of the exports.
var exportParams = []param{
	{"from", "string", "first day (YYYY-MM-DD, UTC) or RFC 3339 time, inclusive: when the order was placed, or the movement made"},
	{"to", "string", "last day (YYYY-MM-DD, UTC, inclusive) or RFC 3339 time (exclusive)"},
	{"channel", "string", "channel code (orders, order lines)"},
	{"status", "string", "order status (orders, order lines)"},
	{"sku", "string", "SKU: its lines, the orders containing it, its stock or its movements"},
	{"location", "string", "location code (inventory, ledger)"},
}

// exportRoutes are the CSV exports, each under the permission of what it
// shows.
func (s *Server) exportRoutes() []route {
	rt := func(name string, perm oms.Permission, summary string) route {
		return route{method: "GET", path: "/v1/exports/" + name, perm: perm, summary: summary, response: csvFile{},
			status: []int{200}, query: exportParams, handle: s.export(name)}
	}
	return []route{
		rt("orders", oms.PermOrderRead, "Orders as CSV, oldest first: one row per order with its totals (decimal amounts in the order's currency) and base-currency total"),
		rt("order-lines", oms.PermOrderRead, "Order lines as CSV, oldest order first: SKU, prices, discount, tax and units open, allocated, shipped, cancelled and returned"),
		rt("inventory", oms.PermInventoryRead, "Stock as CSV: on hand, reserved, safety stock, available and value at unit cost per SKU and location"),
		rt("ledger", oms.PermInventoryRead, "Stock movements as CSV, oldest first"),
	}
}

// export streams one export as CSV. The filters are checked before the
// status is sent; after that a failure can only cut the file short, and is
// logged.
func (s *Server) export(name string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := query(r)
		if err != nil {
			return err
		}
		var p oms.Problems
		f := store.ExportFilter{Range: oms.ParseRange(&p, q.Get("from"), q.Get("to")), Channel: q.Get("channel"),
			Status: oms.Status(q.Get("status")), SKU: q.Get("sku"), Location: q.Get("location"), Principal: viewer(r)}
		if err := p.Err(); err != nil {
			return err
		}
		if err := s.db.CheckExportFilter(r.Context(), f); err != nil {
			return err
		}
		header, err := store.ExportHeader(name)
		if err != nil {
			return err
		}
		// Columns the key may not read are left out, header and all.
		keep := keptColumns(f.Principal, header)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		cw := csv.NewWriter(w)
		cw.Write(pick(header, keep))
		n := 0
		err = s.db.Export(r.Context(), name, f, func(row []string) error {
			if n++; n%1000 == 0 {
				cw.Flush()
			}
			return cw.Write(pick(row, keep))
		})
		cw.Flush()
		if err != nil {
			s.log.ErrorContext(r.Context(), "export cut short", "export", name, "error", err)
			return nil // the status is sent: the truncated body is all we can do
		}
		return cw.Error()
	}
}
