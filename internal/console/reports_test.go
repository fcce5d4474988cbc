package console_test

import (
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
)

// api serves the shop's API and returns its address and a manager's key:
// the console's reports are checked against the API's.
func (s *shop) api(t *testing.T) (string, string) {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(s.db, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	_, secret, err := s.db.CreateAPIKey(ctx, "reports", oms.RoleManager, oms.System("test"))
	must(t, err)
	return srv.URL, secret
}

// apiCSV returns the API's CSV of the report at the path and query.
func apiCSV(t *testing.T, base, key, path string) [][]string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("API %s: %d %s", path, resp.StatusCode, b)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	must(t, err)
	return rows
}

// getCSV downloads a CSV from the console: its rows and its file name.
func (c *client) getCSV(path string) ([][]string, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	must(c.t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		b, _ := io.ReadAll(resp.Body)
		c.t.Fatalf("CSV %s: %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	must(c.t, err)
	return rows, resp.Header.Get("Content-Disposition")
}

// TestReports: a manager sees every report, each with its parameters
// (the last 30 days by default), a table and, for sales, a chart; bad
// parameters are named next to their inputs as the API names them; the
// CSV download holds the API's rows; agents and users bound to a
// location are refused, the page and the download alike.
func TestReports(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		_, err := s.db.CreateUser(ctx, oms.NewUser{Email: "max@example.com", Name: "Max Boss", Role: oms.RoleManager, Password: password}, oms.System("test"))
		must(t, err)
		_, err = s.db.CreateUser(ctx, oms.NewUser{Email: "bo@example.com", Name: "Bo Lund", Role: oms.RoleManager, Locations: []string{"shop"}, Password: password}, oms.System("test"))
		must(t, err)
		m := newClient(t, s.url)
		m.signIn("max@example.com")
		st, body := m.get("/reports")
		if st != http.StatusOK {
			t.Fatalf("reports: %d", st)
		}
		for _, name := range []string{"sales", "margin", "fulfillment", "returns", "inventory", "turnover", "stockouts"} {
			if !strings.Contains(body, `href="/reports/`+name+`"`) {
				t.Errorf("the index does not link the %s report", name)
			}
			st, page := m.get("/reports/" + name)
			if st != http.StatusOK || !strings.Contains(page, `id="report-form"`) || !strings.Contains(page, `id="csv"`) {
				t.Errorf("report %s: %d\n%s", name, st, page)
			}
		}
		today := time.Now().UTC().Format(time.DateOnly)
		from := time.Now().UTC().AddDate(0, 0, -29).Format(time.DateOnly)
		_, body = m.get("/reports/sales")
		if !strings.Contains(body, `value="`+from+`"`) || !strings.Contains(body, `value="`+today+`"`) ||
			!strings.Contains(body, `id="report-chart-data"`) || !strings.Contains(body, `id="report-table"`) {
			t.Errorf("the sales report's defaults, chart and table:\n%s", body)
		}
		// A link naming only the breakdown opens on the default range.
		if st, body = m.get("/reports/sales?by=channel"); st != http.StatusOK || !strings.Contains(body, `value="`+from+`"`) ||
			!strings.Contains(body, `id="report-table"`) {
			t.Errorf("sales by channel alone: %d\n%s", st, body)
		}

		// Bad parameters: named next to their inputs, as the API names them.
		st, body = m.get("/reports/sales?from=2026-02-30&to=" + today + "&period=year")
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="r-from" name="from" type="date" value="2026-02-30" aria-invalid="true"`) ||
			!strings.Contains(body, "must be one of [day week month]") {
			t.Errorf("bad from and period: %d\n%s", st, body)
		}
		if st, body = m.get("/reports/sales?from=" + today); st != http.StatusUnprocessableEntity || !strings.Contains(body, "is required") {
			t.Errorf("no to: %d", st)
		}
		if st, body = m.get("/reports/inventory?at=yesterday"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a day (YYYY-MM-DD)") {
			t.Errorf("inventory at yesterday: %d\n%s", st, body)
		}
		if st, body = m.get("/reports/turnover?from=" + from + "&to=" + today + "&dead_days=ninety"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a whole number of days") {
			t.Errorf("dead_days ninety: %d", st)
		}
		if st, _ = m.get("/reports/nonsense"); st != http.StatusNotFound {
			t.Errorf("an unknown report: %d", st)
		}

		// The CSV holds the API's rows, header first.
		base, key := s.api(t)
		for _, q := range []string{"sales?from=" + from + "&to=" + today + "&by=channel", "sales?from=" + from + "&to=" + today,
			"fulfillment?from=" + from + "&to=" + today + "&period=week", "inventory?location=east", "stockouts?from=" + from + "&to=" + today} {
			name, _, _ := strings.Cut(q, "?")
			got, disp := m.getCSV("/reports/" + name + "/csv?" + strings.SplitN(q, "?", 2)[1])
			want := apiCSV(t, base, key, "/v1/reports/"+q)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("%s: the console's CSV\n%q\nthe API's\n%q", q, got, want)
			}
			if !strings.HasPrefix(disp, `attachment; filename="`+name) {
				t.Errorf("%s: Content-Disposition %q", q, disp)
			}
		}
		rows, _ := m.getCSV("/reports/sales/csv?from=" + from + "&to=" + today + "&by=channel")
		if len(rows) != 2 || rows[1][1] != "web" || rows[1][2] != "2" || rows[1][3] != "6" {
			t.Errorf("sales by channel: two web orders of six units, got %q", rows)
		}

		// Agents and location-bound users do not read reports.
		a := newClient(t, s.url)
		a.signIn("ann@example.com")
		if st, _ := a.get("/reports"); st != http.StatusForbidden {
			t.Errorf("reports for an agent: %d", st)
		}
		if st, _ := a.get("/reports/sales/csv?from=" + from + "&to=" + today); st != http.StatusForbidden {
			t.Errorf("a CSV for an agent: %d", st)
		}
		if _, body := a.get("/orders"); strings.Contains(body, `href="/reports"`) {
			t.Error("an agent's menu links the reports")
		}
		b := newClient(t, s.url)
		b.signIn("bo@example.com")
		if st, _ := b.get("/reports/sales"); st != http.StatusForbidden {
			t.Errorf("reports for a manager bound to shop: %d", st)
		}
	})
}
