package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// csvFile marks a route whose answer is a CSV file, for the OpenAPI document.
type csvFile struct{}

// export streams one export as CSV. The filters are checked before the
// status is sent, and so is a failure before the first rows go out; after
// that a failure breaks the connection off, and only a whole file ends with
// the OMS-Row-Count trailer (see csvStream).
func (s *Server) export(name string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := paging.Query(r)
		if err != nil {
			return err
		}
		var given []string
		for _, k := range oms.ExportFilterNames {
			if q.Has(k) {
				given = append(given, k)
			}
		}
		if err := oms.CheckExportTakes(name, given); err != nil {
			return err
		}
		var p oms.Problems
		f := oms.ExportFilter{Range: oms.ParseRange(&p, q.Get("from"), q.Get("to")), Channel: q.Get("channel"),
			Status: oms.Status(q.Get("status")), SKU: q.Get("sku"), Location: q.Get("location"), Principal: handle.Viewer(r)}
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
		keep := authz.KeptColumns(f.Principal, header)
		out := answer.CSV(w, name+".csv", authz.Pick(header, keep))
		return out.Close(s.log, r, s.svc.Admin.Export(r.Context(), name, f, func(row []string) error {
			return out.Write(authz.Pick(row, keep))
		}))
	}
}
