package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/act"
	"github.com/omshq/oms/money"
)

// The returns screens, and the customers' return page.

// returnsData is the returns queue.
type returnsData struct {
	Status   string
	Returns  []oms.Return
	Statuses []oms.ReturnStatus
	Next     string
	Paged    bool
}

func (c *Console) returnsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermReturnRead) {
		c.forbidden(w, r, &s, "Your role does not read returns.")
		return
	}
	q := r.URL.Query()
	d := returnsData{Status: q.Get("status"), Statuses: oms.ReturnStatuses}
	p := page{Session: &s, Title: "Returns", Form: "filter", Errors: map[string]string{}}
	status := http.StatusOK
	a := after(r)
	if d.Status != "" && !oms.ReturnStatus(d.Status).Valid() {
		p.Errors["status"] = "is not a return status"
	}
	if a < 0 {
		p.FormError = "There is no such page of this list: start again from the first page."
	}
	if len(p.Errors) > 0 || p.FormError != "" {
		status = http.StatusUnprocessableEntity
	} else {
		rs, err := c.act.ListReturns(r.Context(), s.User, oms.ReturnFilter{Status: oms.ReturnStatus(d.Status), After: a, Limit: customersPageSize + 1})
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		if len(rs) > customersPageSize {
			rs = rs[:customersPageSize]
			d.Next = itoa(rs[len(rs)-1].Number)
		}
		d.Returns, d.Paged = rs, a > 0
	}
	p.Returns = d
	c.render(w, r, status, "returns", p)
}

func (c *Console) returnPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showReturn(w, r, s, http.StatusOK, page{Flash: flashes[r.URL.Query().Get("done")]})
}

func (c *Console) showReturn(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermReturnRead) {
		c.forbidden(w, r, &s, "Your role does not read returns.")
		return
	}
	v, err := c.act.ReturnOf(r.Context(), s.User, r.PathValue("id"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Return = &s, "Return "+itoa(v.Return.Number), v
	c.render(w, r, status, "return", p)
}

func (c *Console) returnMove(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id, move := r.PathValue("id"), r.PathValue("move")
	perm := map[string]oms.Permission{"approve": oms.PermReturnWrite, "reject": oms.PermReturnWrite,
		"receive": oms.PermReturnReceive, "close": oms.PermRefundWrite}[move]
	if perm == "" {
		c.fault(w, r, &s, oms.Errorf(oms.ENOTFOUND, "there is no such action on a return"))
		return
	}
	c.formAction(w, r, s, move, "/returns/"+id+"?done="+move, perm,
		func(st int, p page) { c.showReturn(w, r, s, st, p) },
		func() error {
			ctx, u := r.Context(), s.User
			switch move {
			case "approve":
				return c.act.ApproveReturn(ctx, u, id)
			case "reject":
				return c.act.RejectReturn(ctx, u, id)
			case "close":
				return c.act.CloseReturn(ctx, u, id, oms.CloseRequest{PaymentReference: strings.TrimSpace(r.PostFormValue("payment_reference")),
					Reason: strings.TrimSpace(r.PostFormValue("reason"))})
			}
			units, err := c.receipts(r, id, s.User)
			if err != nil {
				return err
			}
			return c.act.ReceiveReturn(ctx, u, id, units)
		})
}

// receipts reads the receive form: for each line of the return, the units
// restocked (at the form's location) and the units scrapped, each in its
// condition.
func (c *Console) receipts(r *http.Request, id string, u oms.User) ([]oms.Receipt, error) {
	v, err := c.act.ReturnOf(r.Context(), u, id)
	if err != nil {
		return nil, err
	}
	var p oms.Problems
	var units []oms.Receipt
	loc := r.PostFormValue("location")
	for _, l := range v.Return.Lines {
		for _, disp := range oms.Dispositions {
			name, cond := disp+"-"+l.LineID, r.PostFormValue("condition-"+disp+"-"+l.LineID)
			n, ok := count(r.PostFormValue(name))
			if !ok {
				p.Add(name, "must be a whole number of units, 0 or more")
				continue
			}
			if n == 0 {
				continue
			}
			rc := oms.Receipt{LineID: l.LineID, Quantity: n, Condition: cond, Disposition: disp}
			if disp == oms.DispositionRestock {
				rc.Location = loc
			}
			units = append(units, rc)
		}
	}
	return units, p.Err()
}

// count reads a number of units: empty is 0.
func count(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// newReturnData is the form that starts a return or an exchange.
type newReturnData struct {
	Order   *oms.Order
	Reasons []string
}

func (c *Console) newReturnPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showNewReturn(w, r, s, http.StatusOK, page{})
}

func (c *Console) showNewReturn(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermReturnWrite) {
		c.forbidden(w, r, &s, "Your role may not start returns.")
		return
	}
	v, err := c.act.Order(r.Context(), s.User, r.PathValue("number"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	set, err := c.act.ReturnSettings(r.Context())
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.NewReturn = &s, "Return of order "+v.Order.Number, newReturnData{Order: v.Order, Reasons: set.Reasons}
	c.render(w, r, status, "newreturn", p)
}

func (c *Console) createReturnForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	var created *oms.Return
	show := func(st int, p page) { c.showNewReturn(w, r, s, st, p) }
	if !s.User.Role.Allows(oms.PermReturnWrite) {
		c.forbidden(w, r, &s, "Your role may not start returns.")
		return
	}
	err := func() error {
		o, err := c.act.Order(r.Context(), s.User, n)
		if err != nil {
			return err
		}
		req, err := returnRequest(r, o.Order, true)
		if err != nil {
			return err
		}
		created, err = c.act.CreateReturn(r.Context(), s.User, n, req)
		return err
	}()
	if err == nil {
		http.Redirect(w, r, "/returns/"+created.ID+"?done=return", http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT:
		errs, formErr := fieldErrors(err)
		show(http.StatusUnprocessableEntity, page{Form: "return", Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

// returnRequest reads the return form: for each line of the order, the
// units to return and why (qty-<line>, reason-<line>); with exchange, a
// replacement line (exchange_sku, exchange_quantity, exchange_price).
func returnRequest(r *http.Request, o *oms.Order, exchange bool) (oms.ReturnRequest, error) {
	var p oms.Problems
	req := oms.ReturnRequest{Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	for _, l := range o.Lines {
		name := "qty-" + l.ID
		n, ok := count(r.PostFormValue(name))
		if !ok {
			p.Add(name, "must be a whole number of units, 0 or more")
			continue
		}
		if n > 0 {
			req.Lines = append(req.Lines, oms.ReturnLine{LineID: l.ID, Quantity: n, Reason: r.PostFormValue("reason-" + l.ID)})
		}
	}
	if len(req.Lines) == 0 && len(p) == 0 {
		p.Add("lines", "choose at least one unit to return")
	}
	if sku := strings.TrimSpace(r.PostFormValue("exchange_sku")); exchange && sku != "" {
		qty, ok := count(r.PostFormValue("exchange_quantity"))
		if !ok || qty == 0 {
			p.Add("exchange_quantity", "must be a whole number of units, 1 or more")
		}
		price, err := money.Parse(strings.TrimSpace(r.PostFormValue("exchange_price")), o.Currency)
		if err != nil || price < 0 {
			p.Add("exchange_price", "must be an amount in %s, such as 12.50", o.Currency)
		}
		req.Exchange = []oms.ExchangeLine{{SKU: sku, Quantity: qty, UnitPrice: price}}
	}
	return req, p.Err()
}

// The customers' return page, at the return link's address: no sign-in;
// the link's token is the credential, and the form carries the CSRF token
// of its own cookie, as the sign-in form does.

func (c *Console) portalPage(w http.ResponseWriter, r *http.Request) {
	c.showPortal(w, r, http.StatusOK, page{})
}

func (c *Console) showPortal(w http.ResponseWriter, r *http.Request, status int, p page) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the address holds the token
	v, err := c.act.ReturnPortal(r.Context(), r.PathValue("token"))
	if err != nil {
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			c.render(w, r, http.StatusNotFound, "error", page{Title: "Link expired",
				Message: "This return link has expired or is not valid. Ask the store for a new one."})
			return
		}
		c.fault(w, r, nil, err)
		return
	}
	if p.Portal.Quote != nil {
		v.Quote = p.Portal.Quote
	}
	p.Title, p.Portal, p.Login.CSRF = "Return items · "+v.Store, v, c.loginToken(w, r)
	c.render(w, r, status, "portal", p)
}

func (c *Console) portalSubmit(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(loginCookie)
	if err != nil || !c.validPost(r, ck.Value) {
		c.render(w, r, http.StatusForbidden, "error", page{Title: "Not allowed",
			Message: "This form has expired. Reload the page and try again."})
		return
	}
	token := r.PathValue("token")
	v, err := c.act.ReturnPortal(r.Context(), token)
	if err != nil {
		c.showPortal(w, r, http.StatusNotFound, page{})
		return
	}
	req, err := returnRequest(r, v.Order, false)
	if err == nil && r.PostFormValue("action") == "quote" {
		q, err := c.act.QuoteReturn(r.Context(), v.Order, req.Lines)
		if err != nil {
			c.fault(w, r, nil, err)
			return
		}
		c.showPortal(w, r, http.StatusOK, page{Form: "return", Values: r.PostForm, Portal: act.PortalView{Quote: &q}})
		return
	}
	if err == nil {
		var ret *oms.Return
		if ret, err = c.act.PortalReturn(r.Context(), token, req); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			c.render(w, r, http.StatusCreated, "portal", page{Title: "Return requested · " + v.Store,
				Portal: act.PortalView{Portal: v.Portal, Store: v.Store, Order: v.Order}, Created: ret})
			return
		}
	}
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT:
		errs, formErr := fieldErrors(err)
		c.showPortal(w, r, http.StatusUnprocessableEntity, page{Form: "return", Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, nil, err)
}

// returnLink makes a return link for the order and shows it once on the
// order's page, to send to the customer.
func (c *Console) returnLink(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	var link *oms.ReturnLink
	c.orderAction(w, r, s, "return-link", "", oms.PermReturnWrite, n, func() error {
		var err error
		link, err = c.act.CreateReturnLink(r.Context(), s.User, n)
		return err
	}, func() {
		scheme := "http"
		if c.secure(r) {
			scheme = "https"
		}
		c.showOrder(w, r, s, http.StatusCreated, page{Link: scheme + "://" + r.Host + "/return/" + link.Token,
			Flash: "Send the customer this return link; it is valid until " + link.ExpiresAt.UTC().Format("2 Jan 2006") + "."})
	})
}
