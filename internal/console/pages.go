package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if _, err := c.act.Session(r.Context(), ck.Value); err == nil {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	c.render(w, r, http.StatusOK, "login", page{Title: "Sign in",
		Login: loginData{Next: safeNext(r.URL.Query().Get("next")), CSRF: c.loginToken(w, r)}})
}

// login signs a user in: the form's CSRF token must match its cookie.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(loginCookie)
	if err != nil || !c.validPost(r, ck.Value) {
		c.forbidden(w, r, nil, "The sign-in form has expired. Reload the page and sign in again.")
		return
	}
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	s, err := c.act.SignIn(r.Context(), email, r.PostFormValue("password"), clientAddress(r))
	if err != nil {
		status := http.StatusUnauthorized
		if errors.Is(err, oms.ErrSignInThrottled) {
			status = http.StatusTooManyRequests
		} else if oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			c.fault(w, r, nil, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		c.render(w, r, status, "login", page{Title: "Sign in", FormError: errMessage(err),
			Login: loginData{Email: email, Next: next, CSRF: c.loginToken(w, r)}})
		return
	}
	c.setCookie(w, r, loginCookie, "", -1)
	c.setCookie(w, r, sessionCookie, s.Token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if err := c.act.SignOut(r.Context(), s.Token); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	c.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (c *Console) logoutEverywhere(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if err := c.act.SignOutEverywhere(r.Context(), s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	c.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// ordersData is the orders list: the search and filters, a page of orders
// and the cursor of the next.
type ordersData struct {
	Q, Status, Channel string
	Orders             []oms.Order
	Next               string
	Statuses           []oms.Status
	Channels           []oms.Channel
	Paged              bool // not the first page
}

// ordersPageSize is how many orders a page lists.
const ordersPageSize = 50

func (c *Console) ordersPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	q := r.URL.Query()
	d := ordersData{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Channel: q.Get("channel"), Statuses: oms.Statuses}
	p := page{Session: &s, Title: "Orders", Form: "search", Errors: map[string]string{}}
	if !s.User.Role.Allows(oms.PermOrderRead) {
		c.forbidden(w, r, &s, "Your role does not read orders.")
		return
	}
	f := oms.OrderFilter{Status: oms.Status(d.Status), Channel: d.Channel, Query: d.Q, Limit: ordersPageSize}
	if d.Status != "" && !slices.Contains(oms.Statuses, f.Status) {
		p.Errors["status"] = "is not an order status"
	}
	if d.Q != "" {
		if _, err := oms.ParseSearch(d.Q); err != nil {
			errs, _ := fieldErrors(err)
			p.Errors["q"] = errs["q"]
		} else if !s.User.Principal().SeesCustomers() && (strings.Contains(d.Q, "@") || strings.HasPrefix(d.Q, "+")) {
			p.Errors["q"] = "your role searches by order number, external id or tracking number only"
		}
	}
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			p.Errors["after"] = "is not a page of this list"
			p.FormError = "There is no such page of this list: start again from the first page."
		}
		f.After, d.Paged = n, true
	}
	var err error
	if d.Channels, err = c.act.Channels(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	status := http.StatusOK
	if len(p.Errors) == 0 {
		var next int64
		d.Orders, next, err = c.act.ListOrders(r.Context(), s.User, f)
		if err != nil && oms.ErrorCode(err) != oms.EINVALID {
			c.fault(w, r, &s, err)
			return
		} else if err != nil {
			p.Errors, p.FormError = fieldErrors(err)
			status = http.StatusUnprocessableEntity
		}
		if next > 0 {
			d.Next = itoa(next)
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	p.Orders = d
	c.render(w, r, status, "orders", p)
}

// flashes are what an action says when it went through, by the key its
// redirect names.
var flashes = map[string]string{
	"hold":      "The order is on hold.",
	"release":   "The order's holds are released.",
	"cancel":    "The units are cancelled and their stock released.",
	"note":      "Your note is added.",
	"ship":      "The fulfillment is shipped.",
	"ready":     "The fulfillment is ready for pickup.",
	"collected": "The pickup is collected.",

	"reply":   "Your message is added to the case.",
	"case":    "The case is updated.",
	"return":  "The return is started.",
	"approve": "The return is approved.",
	"reject":  "The return is rejected.",
	"receive": "The units are received.",
	"close":   "The return is closed and refunded.",
	"opened":  "The case is opened.",
}

func (c *Console) orderPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showOrder(w, r, s, http.StatusOK, page{Flash: flashes[r.URL.Query().Get("done")]})
}

// showOrder renders the order page, with p's form problems if any.
func (c *Console) showOrder(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermOrderRead) {
		c.forbidden(w, r, &s, "Your role does not read orders.")
		return
	}
	v, err := c.act.Order(r.Context(), s.User, r.PathValue("number"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Order = &s, "Order "+v.Order.Number, v
	if err := c.orderExtras(r.Context(), s.User, &p); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	slices.Reverse(p.Order.Timeline) // newest first
	c.render(w, r, status, "order", p)
}

// orderAction runs an action of the order page that needs perm, then goes
// back to the order (saying what was done), or shows the page again with
// the problems next to the form's inputs.
func (c *Console) orderAction(w http.ResponseWriter, r *http.Request, s oms.Session, form, done string, perm oms.Permission,
	number string, act func() error, then ...func()) {
	if !s.User.Role.Allows(perm) {
		c.forbidden(w, r, &s, "Your role may not do this.")
		return
	}
	err := act()
	if err == nil && len(then) > 0 {
		then[0]() // the action shows its own answer
		return
	}
	if err == nil {
		http.Redirect(w, r, "/orders/"+number+"?done="+done, http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.ENOTFOUND:
		c.fault(w, r, &s, err)
		return
	case oms.ESTALE:
		r.SetPathValue("number", number)
		c.showOrder(w, r, s, http.StatusConflict, page{Form: form, Conflict: true, Values: r.PostForm})
		return
	case oms.EINVALID, oms.ECONFLICT, oms.EOUTOFSTOCK, oms.EFORBIDDEN, oms.EVERSION:
		errs, formErr := fieldErrors(err)
		r.SetPathValue("number", number)
		c.showOrder(w, r, s, http.StatusUnprocessableEntity, page{Form: form, Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

// version is the order version the form was shown at.
func version(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

func (c *Console) hold(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.orderAction(w, r, s, "hold", "hold", oms.PermOrderHold, n, func() error {
		return c.act.PlaceHold(r.Context(), s.User, n, version(r), oms.HoldType(r.PostFormValue("type")), strings.TrimSpace(r.PostFormValue("reason")))
	})
}

func (c *Console) release(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.orderAction(w, r, s, "release", "release", oms.PermOrderHold, n, func() error {
		return c.act.ReleaseHolds(r.Context(), s.User, n, version(r))
	})
}

func (c *Console) cancel(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	form := "cancel-" + r.PostFormValue("line")
	c.orderAction(w, r, s, form, "cancel", oms.PermOrderCancel, n, func() error {
		qty, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("quantity")), 10, 64)
		if err != nil || qty <= 0 {
			return oms.Invalid("quantity", "must be a whole number of units, 1 or more")
		}
		return c.act.CancelLine(r.Context(), s.User, n, version(r), oms.CancelLine{LineID: r.PostFormValue("line"), Quantity: qty},
			strings.TrimSpace(r.PostFormValue("reason")))
	})
}

func (c *Console) note(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.orderAction(w, r, s, "note", "note", oms.PermServiceWrite, n, func() error {
		return c.act.AddNote(r.Context(), s.User, n, strings.TrimSpace(r.PostFormValue("body")))
	})
}

// orderOfFulfillment is the order number of a fulfillment id (1001-F1).
func orderOfFulfillment(id string) string {
	if i := strings.LastIndex(id, "-F"); i > 0 {
		return id[:i]
	}
	return id
}

func (c *Console) moveAction(w http.ResponseWriter, r *http.Request, s oms.Session, form string, m oms.FulfillmentMove) {
	id := r.PathValue("id")
	c.orderAction(w, r, s, form+"-"+id, form, oms.PermFulfillWrite, orderOfFulfillment(id), func() error {
		_, err := c.act.MoveFulfillment(r.Context(), s.User, id, m)
		return err
	})
}

func (c *Console) ship(w http.ResponseWriter, r *http.Request, s oms.Session) {
	t := oms.Tracking{Carrier: strings.TrimSpace(r.PostFormValue("carrier")), Service: strings.TrimSpace(r.PostFormValue("service")),
		TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking_number")), TrackingURL: strings.TrimSpace(r.PostFormValue("tracking_url"))}
	c.moveAction(w, r, s, "ship", oms.FulfillmentMove{To: oms.FulfillmentShipped, Tracking: t})
}

func (c *Console) ready(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.moveAction(w, r, s, "ready", oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
}

func (c *Console) collected(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.moveAction(w, r, s, "collected", oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
}
