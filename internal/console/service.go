package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// The customers and cases screens.

// customersData is the customers list.
type customersData struct {
	Q         string
	Customers []oms.CustomerRecord
	Next      string
	Paged     bool
}

// customersPageSize is how many customers, cases or returns a page lists.
const customersPageSize = 50

// after reads a list's cursor: 0 for the first page, -1 when it is not one.
func after(r *http.Request) int64 {
	a := r.URL.Query().Get("after")
	if a == "" {
		return 0
	}
	n, err := strconv.ParseInt(a, 10, 64)
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

func (c *Console) customersPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermCustomerRead) {
		c.forbidden(w, r, &s, "Your role does not read customers.")
		return
	}
	d := customersData{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	p := page{Session: &s, Title: "Customers", Form: "search", Errors: map[string]string{}}
	status := http.StatusOK
	a := after(r)
	switch {
	case len(d.Q) > oms.MaxSearchQuery:
		p.Errors["q"] = "must be at most " + itoa(oms.MaxSearchQuery) + " bytes"
	case a < 0:
		p.FormError = "There is no such page of this list: start again from the first page."
	}
	if len(p.Errors) > 0 || p.FormError != "" {
		status = http.StatusUnprocessableEntity
	} else {
		cs, next, err := c.act.ListCustomers(r.Context(), s.User, oms.CustomerFilter{Query: d.Q, After: a, Limit: customersPageSize})
		if err != nil && oms.ErrorCode(err) != oms.EINVALID {
			c.fault(w, r, &s, err)
			return
		} else if err != nil {
			p.Errors, p.FormError = fieldErrors(err)
			status = http.StatusUnprocessableEntity
		}
		d.Customers, d.Paged = cs, a > 0
		if next > 0 {
			d.Next = itoa(next)
		}
	}
	p.Customers = d
	c.render(w, r, status, "customers", p)
}

func (c *Console) customerPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showCustomer(w, r, s, http.StatusOK, page{Flash: flashes[r.URL.Query().Get("done")]})
}

func (c *Console) showCustomer(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermCustomerRead) {
		c.forbidden(w, r, &s, "Your role does not read customers.")
		return
	}
	a := max(after(r), 0)
	v, err := c.act.Customer(r.Context(), s.User, r.PathValue("id"), a, customersPageSize)
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	name := v.Customer.Name
	if name == "" {
		name = v.Customer.Email
	}
	p.Session, p.Title, p.Customer = &s, "Customer "+name, v
	c.render(w, r, status, "customer", p)
}

// formAction runs a form's action that needs perm, then goes to done's
// address, or shows the page again (with show) with the problems next to
// the form's inputs.
func (c *Console) formAction(w http.ResponseWriter, r *http.Request, s oms.Session, form, done string, perm oms.Permission,
	show func(status int, p page), act func() error, then ...func() string) {
	if !s.User.Role.Allows(perm) {
		c.forbidden(w, r, &s, "Your role may not do this.")
		return
	}
	err := act()
	if err == nil {
		for _, f := range then {
			done = f()
		}
		http.Redirect(w, r, done, http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT, oms.EOUTOFSTOCK, oms.EVERSION, oms.ESTALE, oms.EFORBIDDEN:
		errs, formErr := fieldErrors(err)
		show(http.StatusUnprocessableEntity, page{Form: form, Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

func (c *Console) customerNote(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id := r.PathValue("id")
	c.formAction(w, r, s, "note", "/customers/"+id+"?done=note", oms.PermServiceWrite,
		func(st int, p page) { c.showCustomer(w, r, s, st, p) },
		func() error {
			return c.act.AddCustomerNote(r.Context(), s.User, id, strings.TrimSpace(r.PostFormValue("body")))
		})
}

// casesData is the cases queue.
type casesData struct {
	Status, Assignee string
	Cases            []oms.Case
	Statuses         []oms.CaseStatus
	Assignees        []oms.User
	Next             string
	Paged            bool
}

func (c *Console) casesPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermServiceRead) {
		c.forbidden(w, r, &s, "Your role does not read cases.")
		return
	}
	q := r.URL.Query()
	d := casesData{Status: q.Get("status"), Assignee: q.Get("assignee"), Statuses: oms.CaseStatuses}
	if _, ok := q["status"]; !ok {
		d.Status = string(oms.CaseOpen) // the queue: open cases first
	}
	p := page{Session: &s, Title: "Cases", Form: "filter", Errors: map[string]string{}}
	status := http.StatusOK
	a := after(r)
	if d.Status != "" && !oms.CaseStatus(d.Status).Valid() {
		p.Errors["status"] = "must be open, pending or resolved"
	}
	if a < 0 {
		p.FormError = "There is no such page of this list: start again from the first page."
	}
	var err error
	if d.Assignees, err = c.act.Assignees(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if len(p.Errors) > 0 || p.FormError != "" {
		status = http.StatusUnprocessableEntity
	} else {
		cs, err := c.act.ListCases(r.Context(), s.User, oms.CaseFilter{Status: oms.CaseStatus(d.Status), Assignee: d.Assignee,
			After: a, Limit: customersPageSize + 1})
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		if len(cs) > customersPageSize {
			cs = cs[:customersPageSize]
			d.Next = itoa(cs[len(cs)-1].Number)
		}
		d.Cases, d.Paged = cs, a > 0
	}
	p.Cases = d
	c.render(w, r, status, "cases", p)
}

// caseData is the case page.
type caseData struct {
	Case        *oms.Case
	OrderNumber string // the number of the case's order, if any
	// Elsewhere is the case's assignee when it is none of the users (set
	// through the API), kept as a choice so that saving keeps it.
	Elsewhere string
	Statuses  []oms.CaseStatus
	Assignees []oms.User
}

func (c *Console) casePage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showCase(w, r, s, http.StatusOK, page{Flash: flashes[r.URL.Query().Get("done")]})
}

func (c *Console) showCase(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermServiceRead) {
		c.forbidden(w, r, &s, "Your role does not read cases.")
		return
	}
	cs, err := c.act.CaseOf(r.Context(), s.User, r.PathValue("number"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d := caseData{Case: cs, Statuses: oms.CaseStatuses}
	if cs.OrderID != "" {
		if d.OrderNumber, err = c.act.OrderNumber(r.Context(), cs.OrderID); err != nil {
			c.fault(w, r, &s, err)
			return
		}
	}
	if d.Assignees, err = c.act.Assignees(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if cs.Assignee != "" && !slices.ContainsFunc(d.Assignees, func(u oms.User) bool { return u.Email == cs.Assignee }) {
		d.Elsewhere = cs.Assignee
	}
	p.Session, p.Title, p.Case = &s, "Case "+itoa(cs.Number), d
	c.render(w, r, status, "case", p)
}

func (c *Console) caseReply(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.formAction(w, r, s, "reply", "/cases/"+n+"?done=reply", oms.PermServiceWrite,
		func(st int, p page) { c.showCase(w, r, s, st, p) },
		func() error {
			return c.act.ReplyToCase(r.Context(), s.User, n, oms.CaseMessage{Body: strings.TrimSpace(r.PostFormValue("body")),
				Internal: r.PostFormValue("internal") != "", FromCustomer: r.PostFormValue("from_customer") != ""})
		})
}

func (c *Console) caseUpdate(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.formAction(w, r, s, "update", "/cases/"+n+"?done=case", oms.PermServiceWrite,
		func(st int, p page) { c.showCase(w, r, s, st, p) },
		func() error {
			st, as := oms.CaseStatus(r.PostFormValue("status")), strings.TrimSpace(r.PostFormValue("assignee"))
			return c.act.UpdateCase(r.Context(), s.User, n, oms.CaseChange{Status: &st, Assignee: &as})
		})
}

// waited is how long a case has waited for staff: to the first response,
// or until now.
func waited(cs oms.Case, now time.Time) time.Duration {
	if cs.FirstResponseSeconds != nil {
		return time.Duration(*cs.FirstResponseSeconds) * time.Second
	}
	return now.Sub(cs.CreatedAt)
}

// span writes a duration as people read it: 45 s, 12 min, 3 h 5 min, 2 d 4 h.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return itoa(int64(max(d, 0)/time.Second)) + " s"
	case d < time.Hour:
		return itoa(int64(d/time.Minute)) + " min"
	case d < 24*time.Hour:
		return itoa(int64(d/time.Hour)) + " h " + itoa(int64(d%time.Hour/time.Minute)) + " min"
	}
	return itoa(int64(d/(24*time.Hour))) + " d " + itoa(int64(d%(24*time.Hour)/time.Hour)) + " h"
}

// seconds is span of a number of seconds.
func seconds(s *int64) string {
	if s == nil {
		return ""
	}
	return span(time.Duration(*s) * time.Second)
}

// ReturnConditions are the conditions a received unit may be recorded in.
func (p page) ReturnConditions() []string { return oms.ReturnConditions }

func (c *Console) customerCase(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id := r.PathValue("id")
	var opened *oms.Case
	show := func(st int, p page) { c.showCustomer(w, r, s, st, p) }
	c.formAction(w, r, s, "case", "", oms.PermServiceWrite, show, func() error {
		var err error
		opened, err = c.act.OpenCase(r.Context(), s.User, oms.CaseRequest{Customer: id, Subject: strings.TrimSpace(r.PostFormValue("subject")),
			Message: strings.TrimSpace(r.PostFormValue("message")), FromCustomer: r.PostFormValue("from_customer") != "",
			Assignee: r.PostFormValue("assignee")})
		return err
	}, func() string { return "/cases/" + itoa(opened.Number) + "?done=opened" })
}

// Dispositions are what may become of a received unit: restock, scrap.
func (p page) Dispositions() []string { return oms.Dispositions }
