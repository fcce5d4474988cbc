package console

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/figures"
)

// The Reports screens: an index of the reports, and a page per report with
// its parameters (read and checked as the API reads them), its table, a
// chart where one reads better, and a CSV download of the same rows.

// reportData is what the report screens show.
type reportData struct {
	Defs      []figures.Report
	Def       figures.Report
	Report    *oms.Report
	Head      []string
	Num       []bool // the column is a number, aligned right
	Rows      [][]string
	More      int // rows of the report the page leaves to the CSV
	Chart     *figures.Chart
	CSV       string // the download's address: the same parameters
	Channels  []oms.Channel
	Locations []oms.Location
	Periods   []oms.Period
}

// reportsRead checks that the user may read reports: managers and admins
// (reports:read), not bound to locations or channels, as the home page's
// figures: reports span every location.
func reportsRead(u oms.User) error {
	if !u.Role.Allows(oms.PermReportRead) {
		return oms.Errorf(oms.EFORBIDDEN, "your role does not read reports")
	}
	if u.Principal().Bound() {
		return oms.Errorf(oms.EFORBIDDEN, "reports span every location and channel; a user bound to some works from their orders and stock instead")
	}
	return nil
}

func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if err := c.reportsAvailable(s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	c.render(w, r, http.StatusOK, "reports", page{Session: &s, Title: "Reports", Report: reportData{Defs: figures.Reports}})
}

func (c *Console) reportsAvailable(u oms.User) error {
	if err := reportsRead(u); err != nil {
		return err
	}
	if c.svc.Reports == nil {
		return oms.Errorf(oms.ENOTFOUND, "reports are not served here")
	}
	return nil
}

// reportValues are the report's parameters as asked, each one not given
// at its default: the last 30 days by day, so that a link naming only a
// breakdown (?by=channel) opens on a report. A parameter given empty (a
// form sent with a field cleared) stays empty, and is named as missing.
func (c *Console) reportValues(r *http.Request, d figures.Report) url.Values {
	q := r.URL.Query()
	v := url.Values{}
	if d.Takes("from") && !q.Has("from") && !q.Has("to") {
		today := oms.DayOf(c.opt.Now())
		v.Set("from", today.AddDate(0, 0, -29).Format(time.DateOnly))
		v.Set("to", today.Format(time.DateOnly))
	}
	if d.Takes("period") {
		v.Set("period", string(oms.PeriodDay))
	}
	if d.Takes("by") && d.By[0] != "" && !q.Has("by") {
		v.Set("by", d.By[0])
	}
	if d.Takes("dead_days") {
		v.Set("dead_days", strconv.Itoa(oms.DefaultDeadDays))
	}
	for k, vals := range q {
		v[k] = vals
	}
	return v
}

// runReport checks the parameters as the API does (naming each bad one)
// and runs the report.
func (c *Console) runReport(ctx context.Context, d figures.Report, v url.Values) (*oms.Report, error) {
	for k := range v {
		if !d.Takes(k) && v.Get(k) != "" {
			return nil, oms.Invalid(k, "is not taken by the %s report", d.Name)
		}
	}
	q, err := oms.ParseReportQuery(v.Get, d.PointInTime)
	if err != nil {
		return nil, err
	}
	rs := c.svc.Reports
	switch d.Name {
	case "sales":
		return rs.SalesReport(ctx, q)
	case "margin":
		return rs.MarginReport(ctx, q)
	case "fulfillment":
		return rs.FulfillmentReport(ctx, q)
	case "returns":
		return rs.ReturnsReport(ctx, q)
	case "inventory":
		if q.At, err = oms.ParseReportAt(v.Get("at")); err != nil {
			return nil, err
		}
		return rs.InventoryReport(ctx, q)
	case "turnover":
		dead, err := oms.ParseDeadDays(v.Get("dead_days"))
		if err != nil {
			return nil, err
		}
		return rs.TurnoverReport(ctx, q, dead)
	case "stockouts":
		return rs.StockoutReport(ctx, q)
	}
	return nil, oms.Errorf(oms.ENOTFOUND, "there is no %s report", d.Name)
}

func (c *Console) reportPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if err := c.reportsAvailable(s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d, ok := figures.ReportNamed(r.PathValue("name"))
	if !ok {
		c.fault(w, r, &s, oms.Errorf(oms.ENOTFOUND, "there is no %s report", r.PathValue("name")))
		return
	}
	ctx := r.Context()
	v := c.reportValues(r, d)
	p := page{Session: &s, Title: d.Title + " report", Form: "report", Values: v}
	data := reportData{Defs: figures.Reports, Def: d, Periods: oms.Periods}
	var err error
	if data.Channels, err = c.act.Channels(ctx); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if data.Locations, err = c.act.Locations(ctx); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	status := http.StatusOK
	rep, err := c.runReport(ctx, d, v)
	switch {
	case err == nil:
		data.Report = rep
		data.Head, data.Num, data.Rows = figures.Table(rep)
		data.More = len(rep.Rows) - len(data.Rows)
		data.Chart = figures.ChartOf(d, rep, v.Get("by"))
		data.CSV = "/reports/" + d.Name + "/csv?" + v.Encode()
	case oms.ErrorCode(err) == oms.EINVALID || oms.ErrorCode(err) == oms.ECONFLICT:
		p.Errors, p.FormError = fieldErrors(err)
		status = http.StatusUnprocessableEntity
	default:
		c.fault(w, r, &s, err)
		return
	}
	p.Report = data
	c.render(w, r, status, "report", p)
}

// reportCSV downloads the report's rows as the API's CSV does (text/csv,
// money as decimal amounts), named after the report and its range.
func (c *Console) reportCSV(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if err := c.reportsAvailable(s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d, ok := figures.ReportNamed(r.PathValue("name"))
	if !ok {
		c.fault(w, r, &s, oms.Errorf(oms.ENOTFOUND, "there is no %s report", r.PathValue("name")))
		return
	}
	v := c.reportValues(r, d)
	rep, err := c.runReport(r.Context(), d, v)
	if err != nil {
		if oms.ErrorCode(err) == oms.EINVALID {
			// The page shows the problems next to the fields.
			http.Redirect(w, r, "/reports/"+d.Name+"?"+v.Encode(), http.StatusSeeOther)
			return
		}
		c.fault(w, r, &s, err)
		return
	}
	name := rep.Name
	if rep.From != nil && rep.To != nil {
		name += "_" + rep.From.Format(time.DateOnly) + "_" + rep.To.AddDate(0, 0, -1).Format(time.DateOnly)
	} else if at := v.Get("at"); at != "" {
		name += "_" + at
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+figures.FileName(name)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rep.CSV()); err != nil {
		c.log.Error("console: writing a report's CSV", "report", d.Name, "error", err)
	}
}
