package reports

import (
	"encoding/csv"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/openapi"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// Handlers answers the report routes from the reports service.
type Handlers struct{ reports oms.Reports }

// New returns the report handlers over the reports service.
func New(reports oms.Reports) *Handlers { return &Handlers{reports: reports} }

// reportParams are the query parameters every report reads; a report's
// route adds its own.
var reportParams = []openapi.Param{
	{Name: "from", Type: "string", Doc: "first day (YYYY-MM-DD, UTC) or RFC 3339 time, inclusive (required); 1970-01-01 to 2200-12-31"},
	{Name: "to", Type: "string", Doc: "last day (YYYY-MM-DD, UTC, inclusive) or RFC 3339 time (exclusive) (required); 1970-01-01 to 2200-12-31"},
	{Name: "period", Type: "string", Doc: "day, week (from Monday) or month (default day)"},
	{Name: "channel", Type: "string", Doc: "only this channel code"},
	{Name: "location", Type: "string", Doc: "only this location code"},
	{Name: "sku", Type: "string", Doc: "only this SKU"},
}

// reportQuery reads the common report parameters, naming each bad one. A
// range is required (at most three years), unless pointInTime.
func reportQuery(r *http.Request, pointInTime bool) (oms.ReportQuery, error) {
	q, err := paging.Query(r)
	if err != nil {
		return oms.ReportQuery{}, err
	}
	return oms.ParseReportQuery(q.Get, pointInTime)
}

// writeReport answers with the report as JSON, or as CSV when asked.
func writeReport(w http.ResponseWriter, r *http.Request, rep *oms.Report) error {
	if rep.Rows == nil {
		rep.Rows = []oms.ReportRow{}
	}
	if !answer.WantsCSV(r) {
		return answer.JSON(w, http.StatusOK, rep)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Name+`.csv"`)
	cw := csv.NewWriter(w)
	cw.WriteAll(rep.CSV())
	return cw.Error()
}
