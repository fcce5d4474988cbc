package console

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/act"
	"github.com/omshq/oms/internal/console/figures"
	"github.com/omshq/oms/money"
)

// page is what a template is given: the signed-in session, and the
// page's own data; Form, Errors and Values re-show a form that was refused.
type page struct {
	Session *oms.Session
	Title   string
	Message string // the error page's
	Flash   string // what the last action did

	Form      string            // the form whose problems are shown
	Errors    map[string]string // the form's problems by input name
	FormError string            // a problem of the form as a whole
	Conflict  bool              // the order changed since the page was shown
	Values    url.Values        // what was posted, to fill the form again

	Login  loginData
	Orders ordersData
	Order  act.OrderView
	Users  usersData
	Now    time.Time

	Home      homeData
	Stock     stockData
	Item      itemData
	Supply    supplyData
	Fulfill   fulfillData
	Customers customersData
	Customer  act.CustomerView
	Cases     casesData
	Case      caseData
	Returns   returnsData
	Return    act.ReturnView
	NewReturn newReturnData
	Portal    act.PortalView
	Created   *oms.Return // the return the customer just asked for
	Link      string      // a return link just made, shown once

	Settings settingsData // the Settings screens'
	Report   reportData   // the reports screens
	Edit     editData     // the order page's edit, refund and sourcing forms
	Batch    batchData    // the fulfillment screen's close of the day
}

type loginData struct {
	Email, Next, CSRF string
}

// can reports whether the signed-in user holds the permission.
func (p page) Can(perm string) bool {
	return p.Session != nil && p.Session.User.Role.Allows(oms.Permission(perm))
}

// Err returns the problem of the named input of the form, if it is the
// form that was refused.
func (p page) Err(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Errors[field]
}

// Value returns what was posted in the input, if the form was refused.
func (p page) Value(form, field string) string {
	if p.Form != form || p.Values == nil {
		return ""
	}
	return p.Values.Get(field)
}

// CSRF is the token every form of the page carries.
func (p page) CSRF() string {
	if p.Session == nil {
		return ""
	}
	return p.Session.CSRF
}

type pages map[string]*template.Template

var funcs = template.FuncMap{
	"money": func(amount int64, currency string) string {
		s := money.Format(amount, currency)
		return figures.GroupThousands(s) + " " + currency
	},
	"when":  func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") },
	"day":   func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"actor": oms.ActorLabel,
	"human": func(s any) string {
		v := strings.ReplaceAll(toString(s), "_", " ")
		if v == "" {
			return v
		}
		return strings.ToUpper(v[:1]) + v[1:]
	},
	"str": toString,
	"initial": func(s string) string {
		for _, r := range s {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
	"sub":      func(a, b int64) int64 { return a - b },
	"add":      func(a, b int64) int64 { return a + b },
	"trackurl": trackingURL,
	"amount":   figures.Amount,
	"date":     func(t time.Time) string { return t.UTC().Format(time.DateOnly) },

	"waited":  waited,
	"seconds": seconds,
	"span":    span,
}

func toString(v any) string { return fmt.Sprint(v) }

// trackingURL is the fulfillment's tracking link: the one it was shipped
// with, when it is a web address.
func trackingURL(f oms.Fulfillment) string {
	if u, err := url.Parse(f.TrackingURL); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		return f.TrackingURL
	}
	return ""
}

func parsePages() pages {
	ps := make(pages)
	for _, name := range []string{"login", "orders", "order", "users", "error",
		"home", "inventory", "item", "supply", "fulfillment",
		"customers", "customer", "cases", "case", "returns", "return", "newreturn", "portal",
		"reports", "report", "orderedit"} {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html", "templates/part-*.html"))
		ps[name] = t
	}
	parseSettingsPages(ps)
	return ps
}

// render writes the page with the status.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if p.Now.IsZero() {
		p.Now = c.opt.Now()
	}
	var buf bytes.Buffer
	if err := c.pages[name].Execute(&buf, p); err != nil {
		c.log.Error("console: rendering", "page", name, "error", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// forbidden answers 403 with the message.
func (c *Console) forbidden(w http.ResponseWriter, r *http.Request, s *oms.Session, msg string) {
	c.render(w, r, http.StatusForbidden, "error", page{Session: s, Title: "Not allowed", Message: msg})
}

// fault answers an error the store returned: not found and forbidden as
// such, anything unexpected as a 500 whose details are only logged.
func (c *Console) fault(w http.ResponseWriter, r *http.Request, s *oms.Session, err error) {
	switch oms.ErrorCode(err) {
	case oms.ENOTFOUND:
		c.render(w, r, http.StatusNotFound, "error", page{Session: s, Title: "Not found", Message: errMessage(err)})
		return
	case oms.EFORBIDDEN:
		c.forbidden(w, r, s, errMessage(err))
		return
	}
	c.log.Error("console: request failed", "path", r.URL.Path, "error", err)
	c.render(w, r, http.StatusInternalServerError, "error", page{Session: s, Title: "Something went wrong",
		Message: "Something went wrong on our side; it has been logged. Try again in a moment."})
}

func errMessage(err error) string {
	var e *oms.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong."
}

var fieldIndex = regexp.MustCompile(`\[\d+\]`)

// fieldErrors maps a problem document's fields to the form's inputs: the
// last part of the field's path, without indexes (lines[0].quantity is the
// quantity input). A problem with no field is the form's.
func fieldErrors(err error) (map[string]string, string) {
	var e *oms.Error
	if !errors.As(err, &e) {
		return nil, "Something went wrong."
	}
	out := make(map[string]string)
	var rest []string
	for _, f := range e.Fields {
		name := fieldIndex.ReplaceAllString(f.Field, "")
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if name == "" {
			rest = append(rest, f.Message)
			continue
		}
		if out[name] != "" {
			out[name] += "; "
		}
		out[name] += f.Message
	}
	if len(e.Fields) == 0 || len(rest) > 0 {
		rest = append([]string{e.Message}, rest...)
	}
	return out, strings.Join(rest, " ")
}

func urlQuery(s string) string { return url.QueryEscape(s) }
