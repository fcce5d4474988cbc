package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
)

// csvFile marks a route whose answer is a CSV file, for the OpenAPI document.
type csvFile struct{}

// exportParams are the filters of the exports.
var exportParams = []param{
	{"from", "string", "first day (YYYY-MM-DD, UTC) or RFC 3339 time, inclusive: when the order was placed, or the movement made; 1970-01-01 to 2200-12-31"},
	{"to", "string", "last day (YYYY-MM-DD, UTC, inclusive) or RFC 3339 time (exclusive); 1970-01-01 to 2200-12-31"},
	{"channel", "string", "channel code (orders, order lines)"},
	{"status", "string", "order status (orders, order lines)"},
	{"sku", "string", "SKU: its lines, the orders containing it, its stock or its movements"},
	{"location", "string", "location code (inventory, ledger)"},
}

// exportDoc says how an export streams, and how a client tells a whole file.
const exportDoc = "The file streams as it is read (chunked), however large. A failure before the first rows go out " +
	"is a problem document; after that the connection is broken off before the body's end, so that the client sees " +
	"an incomplete answer (curl exits 18, an HTTP library reports an unexpected end of the body) and never a short " +
	"file that looks whole. A whole file ends with the HTTP trailer `OMS-Row-Count`: the number of rows after the header."

// export streams one export as CSV. The filters are checked before the
// status is sent, and so is a failure before the first rows go out; after
// that a failure breaks the connection off, and only a whole file ends with
// the OMS-Row-Count trailer (see csvStream).
func (s *Server) export(name string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := query(r)
		if err != nil {
			return err
		}
		var p oms.Problems
		f := oms.ExportFilter{Range: oms.ParseRange(&p, q.Get("from"), q.Get("to")), Channel: q.Get("channel"),
			Status: oms.Status(q.Get("status")), SKU: q.Get("sku"), Location: q.Get("location"), Principal: viewer(r)}
		if err := p.Err(); err != nil {
			return err
		}
		if err := s.svc.Admin.CheckExportFilter(r.Context(), f); err != nil {
			return err
		}
		header, err := oms.ExportHeader(name)
		if err != nil {
			return err
		}
		// Columns the key may not read are left out, header and all.
		keep := keptColumns(f.Principal, header)
		out := newCSVStream(w, name+".csv", pick(header, keep))
		return out.Close(s.log, r, s.svc.Admin.Export(r.Context(), name, f, func(row []string) error {
			return out.Write(pick(row, keep))
		}))
	}
}
