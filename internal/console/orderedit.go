package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/figures"
	"github.com/omshq/oms/money"
)

// The order page's remaining actions: edit the order (its quantities, a
// line more, lines off, the ship-to) at the version the page showed,
// refund or credit goodwill, and send its waiting units to sourcing again.
// Each calls the store as the API's handler does (see package act).

// editData is what the edit page and the order page's extra actions show.
type editData struct {
	Refunds  *oms.OrderRefunds // what was refunded and what is left; nil for those who may not see it
	Waiting  int64             // units waiting for stock: sourcing again may place them
	Rejected bool              // a location rejected units of the order
	Lines    []oms.Line        // the lines an edit may change (not wholly shipped or cancelled)
	ShipTo   oms.Address       // the ship-to the edit form starts from
}

// orderExtras adds to the order page what its refund and sourcing actions
// need.
func (c *Console) orderExtras(ctx context.Context, u oms.User, p *page) error {
	o := p.Order.Order
	for _, l := range o.Lines {
		p.Edit.Waiting += l.Open
	}
	for _, f := range p.Order.Fulfillments {
		p.Edit.Rejected = p.Edit.Rejected || f.RejectReason != ""
	}
	if u.Role.Allows(oms.PermRefundWrite) && u.Role.Allows(oms.PermReturnRead) {
		rs, err := c.svc.Returns.Refunds(ctx, o.ID)
		if err != nil {
			return err
		}
		p.Edit.Refunds = rs
	}
	return nil
}

// editable are the lines an edit may still change: those with units not
// shipped or cancelled.
func editable(o *oms.Order) []oms.Line {
	var out []oms.Line
	for _, l := range o.Lines {
		if l.Open+l.Allocated > 0 {
			out = append(out, l)
		}
	}
	return out
}

func (c *Console) editPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showEdit(w, r, s, http.StatusOK, page{})
}

// showEdit renders the edit form over the order as it is now, with p's
// problems and values if the edit was refused.
func (c *Console) showEdit(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermOrderEdit) {
		c.forbidden(w, r, &s, "Your role may not edit orders.")
		return
	}
	v, err := c.act.Order(r.Context(), s.User, r.PathValue("number"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Order = &s, "Edit order "+v.Order.Number, v
	if p.Form == "" {
		p.Form = "edit"
	}
	p.Edit.Lines = editable(v.Order)
	if v.Order.ShipTo != nil {
		p.Edit.ShipTo = *v.Order.ShipTo
	}
	c.render(w, r, status, "orderedit", p)
}

// editForm reads the edit form into operations, in the form's order, and
// names the input each operation came from (to show its problems next to
// it).
func editForm(o *oms.Order, f url.Values, showsShipTo bool) ([]oms.EditOp, []string, error) {
	var ops []oms.EditOp
	var inputs []string
	var p oms.Problems
	for _, l := range editable(o) {
		if f.Get("remove-"+l.ID) != "" {
			ops = append(ops, oms.EditOp{Kind: oms.EditRemoveLine, LineID: l.ID})
			inputs = append(inputs, "qty-"+l.ID)
			continue
		}
		v := strings.TrimSpace(f.Get("qty-" + l.ID))
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			p.Add("qty-"+l.ID, "must be a whole number of units")
			continue
		}
		if n != l.Quantity {
			ops = append(ops, oms.EditOp{Kind: oms.EditQuantity, LineID: l.ID, Quantity: n})
			inputs = append(inputs, "qty-"+l.ID)
		}
	}
	if sku := strings.TrimSpace(f.Get("add_sku")); sku != "" || strings.TrimSpace(f.Get("add_quantity")) != "" || strings.TrimSpace(f.Get("add_unit_price")) != "" {
		op := oms.EditOp{Kind: oms.EditAddLine, Line: oms.LineDraft{SKU: sku}}
		n, err := strconv.ParseInt(strings.TrimSpace(f.Get("add_quantity")), 10, 64)
		if err != nil {
			p.Add("add_quantity", "must be a whole number of units")
		}
		op.Line.Quantity, op.Quantity = n, n
		price, err := money.Parse(strings.TrimSpace(f.Get("add_unit_price")), o.Currency)
		if err != nil {
			p.Add("add_unit_price", "must be an amount in %s, such as 12.50", o.Currency)
		}
		op.Line.UnitPrice = price
		ops = append(ops, op)
		inputs = append(inputs, "add")
	}
	if showsShipTo && o.ShipTo != nil {
		a := oms.Address{Name: strings.TrimSpace(f.Get("ship_name")), Line1: strings.TrimSpace(f.Get("ship_line1")),
			Line2: strings.TrimSpace(f.Get("ship_line2")), City: strings.TrimSpace(f.Get("ship_city")),
			Region: strings.TrimSpace(f.Get("ship_region")), PostalCode: strings.TrimSpace(f.Get("ship_postal_code")),
			Country: strings.ToUpper(strings.TrimSpace(f.Get("ship_country"))), Phone: strings.TrimSpace(f.Get("ship_phone"))}
		cur := *o.ShipTo
		cur.Latitude, cur.Longitude = nil, nil
		if f.Has("ship_line1") && a != cur {
			ops = append(ops, oms.EditOp{Kind: oms.EditShipTo, ShipTo: &a})
			inputs = append(inputs, "ship")
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if len(ops) == 0 {
		return nil, nil, oms.Errorf(oms.EINVALID, "Nothing is changed: change a quantity, add a line or change the address.")
	}
	return ops, inputs, nil
}

var opField = regexp.MustCompile(`^operations\[(\d+)\]\.(.*)$`)

// editErrors maps the store's problems with the operations
// (operations[2].quantity) to the inputs they came from.
func editErrors(err error, inputs []string) (map[string]string, string) {
	errs, formErr := fieldErrors(err)
	var e *oms.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return errs, formErr
	}
	out := make(map[string]string)
	var rest []string
	for _, f := range e.Fields {
		name := f.Field
		if m := opField.FindStringSubmatch(f.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			field := m[2]
			if i < len(inputs) {
				switch in := inputs[i]; {
				case in == "add":
					name = "add_" + strings.TrimPrefix(field, "line.")
				case in == "ship":
					name = "ship_" + field[strings.LastIndexByte(field, '.')+1:]
					if field == "ship_to" {
						name = "ship_line1"
					}
				default:
					name = in
				}
			}
		}
		if name == "" || strings.HasPrefix(name, "operations") {
			rest = append(rest, f.Message)
			continue
		}
		if out[name] != "" {
			out[name] += "; "
		}
		out[name] += f.Message
	}
	if len(rest) > 0 {
		formErr = strings.Join(append([]string{e.Message}, rest...), " ")
	} else {
		formErr = ""
	}
	return out, formErr
}

// editOrder applies the edit form at the version the page showed: when the
// order changed meanwhile, the form comes back over the order as it is
// now, saying someone changed it, with a reload link — nothing is changed.
func (c *Console) editOrder(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	if !s.User.Role.Allows(oms.PermOrderEdit) {
		c.forbidden(w, r, &s, "Your role may not edit orders.")
		return
	}
	ctx := r.Context()
	v, err := c.act.Order(ctx, s.User, n)
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	ops, inputs, err := editForm(v.Order, r.PostForm, s.User.Principal().SeesShipTo())
	if err == nil {
		_, _, err = c.act.EditOrderAt(ctx, s.User, n, version(r), ops)
	}
	if err == nil {
		http.Redirect(w, r, "/orders/"+v.Order.Number+"?done=edit", http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.ESTALE:
		c.showEdit(w, r, s, http.StatusConflict, page{Form: "edit", Conflict: true})
		return
	case oms.EINVALID, oms.ECONFLICT, oms.EOUTOFSTOCK, oms.EFORBIDDEN, oms.EVERSION:
		errs, formErr := editErrors(err, inputs)
		c.showEdit(w, r, s, http.StatusUnprocessableEntity, page{Form: "edit", Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

// refund records a manual refund or a goodwill credit (appeasement) of an
// amount in the order's currency.
func (c *Console) refund(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.orderAction(w, r, s, "refund", "refund", oms.PermRefundWrite, n, func() error {
		ctx := r.Context()
		if err := c.act.AuthorizeOrder(ctx, s.User, n); err != nil {
			return err
		}
		o, err := c.svc.Orders.Order(ctx, n)
		if err != nil {
			return err
		}
		req := oms.RefundRequest{Kind: r.PostFormValue("kind"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
			PaymentReference: strings.TrimSpace(r.PostFormValue("payment_reference"))}
		amt, err := money.Parse(strings.TrimSpace(r.PostFormValue("amount")), o.Currency)
		if err != nil || amt < 1 {
			return oms.Invalid("amount", "must be an amount in %s, such as 12.50", o.Currency)
		}
		rs, err := c.svc.Returns.Refunds(ctx, o.ID)
		if err != nil {
			return err
		}
		if amt > rs.Left {
			return oms.Invalid("amount", "must be at most %s, what is left of the order's total after its refunds", figures.Amount(rs.Left, o.Currency))
		}
		req.Amount = amt
		_, err = c.act.RefundOrder(ctx, s.User, n, req)
		return err
	})
}

// resource sends the order's waiting units to sourcing again.
func (c *Console) resource(w http.ResponseWriter, r *http.Request, s oms.Session) {
	n := r.PathValue("number")
	c.orderAction(w, r, s, "source", "source", oms.PermOrderEdit, n, func() error {
		_, err := c.act.ResourceOrder(r.Context(), s.User, n, version(r))
		return err
	})
}

// Picked reports whether the checkbox name with the value is ticked: as it
// was posted when the form was refused, else ticked.
func (p page) Picked(form, name, value string) bool {
	if p.Form != form || p.Values == nil {
		return true
	}
	return slices.Contains(p.Values[name], value)
}

// editInput is one input of the edit form's address.
type editInput struct {
	Name, Label, Value, Err string
}

func init() {
	// editField is an input of the edit form: what was posted when the
	// form was refused, else the order's value.
	funcs["editField"] = func(p page, name, label, cur string) editInput {
		in := editInput{Name: name, Label: label, Value: cur, Err: p.Err("edit", name)}
		if p.Form == "edit" && p.Values != nil && p.Values.Has(name) {
			in.Value = p.Values.Get(name)
		}
		return in
	}
}
