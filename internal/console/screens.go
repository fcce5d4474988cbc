package console

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/act"
)

// The home, inventory and fulfillment screens.

// homeData is the home page: today's figures by channel, the orders
// waiting, stock-outs and 30 days of orders and sales.
type homeData struct {
	Figures   bool   // the user reads the figures (reports, not bound)
	Currency  string // the figures' currency; "" when no base currency is set
	Today     []channelDay
	Total     channelDay
	Waiting   []waitingOrders
	Late      []act.LateAt // open fulfillments older than lateAfter, by location
	StockOuts []oms.Stock
	MoreOuts  bool
	Chart     chartData
	Notes     []string
}

type channelDay struct {
	Channel                          string
	Orders, Units, NetSales, Returns int64
}

// waitingOrders is a count of the orders waiting in one state, with the
// filtered list it links to; More when there are more than counted.
type waitingOrders struct {
	Label, Href string
	Count       int
	More        bool
}

// chartData is the daily series the chart draws: days (YYYY-MM-DD), orders
// and net sales in major units.
type chartData struct {
	Days   []string  `json:"days"`
	Orders []int64   `json:"orders"`
	Sales  []float64 `json:"sales"`
}

// lateAfter is how long a fulfillment may wait to ship before it is late.
const lateAfter = 48 * time.Hour

// waitingLimit is how many orders in a state the home page counts, at most.
const waitingLimit = 100

func (c *Console) homePage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	ctx, u := r.Context(), s.User
	p := u.Principal()
	var d homeData
	if u.Role.Allows(oms.PermOrderRead) {
		for _, st := range []struct {
			status oms.Status
			label  string
		}{{oms.StatusOnHold, "On hold"}, {oms.StatusBackordered, "Backordered"}, {oms.StatusPending, "Not yet allocated"}} {
			os, next, err := c.act.WaitingOrders(ctx, u, st.status, waitingLimit)
			if err != nil {
				c.fault(w, r, &s, err)
				return
			}
			d.Waiting = append(d.Waiting, waitingOrders{Label: st.label, Href: "/orders?status=" + string(st.status), Count: len(os), More: next > 0})
		}
	}
	if u.Role.Allows(oms.PermFulfillRead) {
		late, err := c.act.LateToShip(ctx, u, c.opt.Now().Add(-lateAfter), fulfillLimit)
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		d.Late = late
	}
	if u.Role.Allows(oms.PermInventoryRead) {
		outs, next, err := c.act.ListStock(ctx, u, oms.StockFilter{LowStock: true, Below: 0, Limit: 20})
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		d.StockOuts, d.MoreOuts = outs, next != ""
	}
	if u.Role.Allows(oms.PermReportRead) && !p.Bound() && c.svc.Reports != nil {
		d.Figures = true
		now := c.opt.Now().UTC()
		today := oms.DayOf(now)
		rep, err := c.act.SalesReport(ctx, oms.ReportQuery{Range: oms.Range{From: today, To: today.AddDate(0, 0, 1)}, Period: oms.PeriodDay, By: "channel"})
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		d.Currency, d.Notes = rep.Currency, rep.Notes
		col := columns(rep)
		for _, row := range rep.Rows {
			cd := channelDay{Channel: cellText(row, col["channel"]), Orders: cellInt(row, col["orders"]), Units: cellInt(row, col["units"]),
				NetSales: cellInt(row, col["net_sales"]), Returns: cellInt(row, col["returns"])}
			d.Today = append(d.Today, cd)
			d.Total.Orders += cd.Orders
			d.Total.Units += cd.Units
			d.Total.NetSales += cd.NetSales
			d.Total.Returns += cd.Returns
		}
		from := today.AddDate(0, 0, -29)
		rep, err = c.act.SalesReport(ctx, oms.ReportQuery{Range: oms.Range{From: from, To: today.AddDate(0, 0, 1)}, Period: oms.PeriodDay})
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		col = columns(rep)
		byDay := make(map[string]oms.ReportRow, len(rep.Rows))
		for _, row := range rep.Rows {
			byDay[cellText(row, col["period"])] = row
		}
		for day := from; !day.After(today); day = day.AddDate(0, 0, 1) {
			k := day.Format(time.DateOnly)
			row := byDay[k]
			d.Chart.Days = append(d.Chart.Days, k)
			d.Chart.Orders = append(d.Chart.Orders, cellInt(row, col["orders"]))
			d.Chart.Sales = append(d.Chart.Sales, float64(cellInt(row, col["net_sales"]))/100)
		}
	}
	c.render(w, r, http.StatusOK, "home", page{Session: &s, Title: "Home", Home: d})
}

// columns maps a report's column names to their indexes.
func columns(rep *oms.Report) map[string]int {
	m := make(map[string]int, len(rep.Columns))
	for i, c := range rep.Columns {
		m[c.Name] = i
	}
	return m
}

func cellInt(row oms.ReportRow, i int) int64 {
	if i < len(row.Values) {
		if v, ok := row.Values[i].(int64); ok {
			return v
		}
	}
	return 0
}

func cellText(row oms.ReportRow, i int) string {
	if i < len(row.Values) {
		if v, ok := row.Values[i].(string); ok {
			return v
		}
	}
	return ""
}

// stockData is the inventory list: items × locations, a page at a time.
type stockData struct {
	Prefix, Location string
	Locations        []oms.Location
	Rows             []stockRow
	Next             string
	Paged            bool
}

// stockRow is one balance of a SKU at a location, with what is due there.
type stockRow struct {
	oms.Balance
	First    bool // the SKU's first row
	Span     int  // the SKU's rows, on its first
	Incoming int64
	ETA      time.Time
}

const stockPageSize = 50

// visibleLocations are the locations the user may see.
func (c *Console) visibleLocations(r *http.Request, u oms.User) ([]oms.Location, error) {
	ls, err := c.act.Locations(r.Context())
	p := u.Principal()
	return slices.DeleteFunc(ls, func(l oms.Location) bool { return !p.CanSeeLocation(l.Code) }), err
}

func (c *Console) inventoryPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermInventoryRead) {
		c.forbidden(w, r, &s, "Your role does not read inventory.")
		return
	}
	q := r.URL.Query()
	d := stockData{Prefix: strings.TrimSpace(q.Get("sku")), Location: q.Get("location"), Paged: q.Get("after") != ""}
	p := page{Session: &s, Title: "Inventory", Form: "stock", Errors: map[string]string{}}
	var err error
	if d.Locations, err = c.visibleLocations(r, s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if d.Location != "" && !slices.ContainsFunc(d.Locations, func(l oms.Location) bool { return l.Code == d.Location }) {
		p.Errors["location"] = "is not a location you can see"
	}
	status := http.StatusOK
	if len(p.Errors) == 0 {
		stock, next, err := c.act.ListStock(r.Context(), s.User, oms.StockFilter{SKUPrefix: d.Prefix, Location: d.Location, After: q.Get("after"), Limit: stockPageSize})
		switch {
		case oms.ErrorCode(err) == oms.EINVALID:
			p.Errors, p.FormError = fieldErrors(err)
			if v, ok := p.Errors["sku_prefix"]; ok {
				p.Errors["sku"] = v
			}
			if _, ok := p.Errors["after"]; ok {
				p.FormError = "There is no such page of this list: start again from the first page."
			}
			status = http.StatusUnprocessableEntity
		case err != nil:
			c.fault(w, r, &s, err)
			return
		}
		d.Next = next
		due, err := c.dueBySKU(r, s.User, stock)
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		for _, st := range stock {
			bs := st.Locations
			if len(bs) == 0 {
				bs = []oms.Balance{{SKU: st.SKU}}
			}
			for i, b := range bs {
				b.SKU = st.SKU
				row := stockRow{Balance: b, First: i == 0, Span: len(bs)}
				if x, ok := due[st.SKU+"\x00"+b.Location]; ok {
					row.Incoming, row.ETA = x.Quantity-x.Received, x.ETA
				}
				d.Rows = append(d.Rows, row)
			}
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	p.Stock = d
	c.render(w, r, status, "inventory", p)
}

// dueBySKU sums the open supply of the page's SKUs by SKU and location,
// with the earliest ETA: one query.
func (c *Console) dueBySKU(r *http.Request, u oms.User, stock []oms.Stock) (map[string]oms.Supply, error) {
	out := make(map[string]oms.Supply)
	if len(stock) == 0 {
		return out, nil
	}
	skus := make([]string, len(stock))
	for i, st := range stock {
		skus[i] = st.SKU
	}
	sup, err := c.act.SupplyDue(r.Context(), u, skus)
	for _, s := range sup {
		k := s.SKU + "\x00" + s.Location
		x, ok := out[k]
		if !ok {
			x = oms.Supply{SKU: s.SKU, Location: s.Location, ETA: s.ETA}
		}
		x.Quantity += s.Quantity
		x.Received += s.Received
		out[k] = x
	}
	return out, err
}

// itemData is an item's page: its balances, the ledger, its supply, and
// the adjustment and transfer forms.
type itemData struct {
	Item      *oms.Item
	Stock     oms.Stock
	Rows      []stockRow
	Ledger    []oms.LedgerEntry
	Older     int64 // the ledger's next page: entries before this id
	Paged     bool
	Supply    []oms.Supply
	Locations []oms.Location
	Reasons   []string
}

const ledgerPageSize = 50

var stockFlashes = map[string]string{
	"adjust":   "The stock is adjusted.",
	"transfer": "The transfer is on its way.",
	"receive":  "The units are received into stock.",
	"supply":   "The purchase order is recorded.",
}

func (c *Console) itemPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showItem(w, r, s, http.StatusOK, page{Flash: stockFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showItem(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermInventoryRead) {
		c.forbidden(w, r, &s, "Your role does not read inventory.")
		return
	}
	ctx, sku := r.Context(), r.PathValue("sku")
	var d itemData
	var err error
	if d.Item, err = c.act.Item(ctx, sku); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if d.Stock, err = c.act.Stock(ctx, s.User, sku); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	d.Paged = before > 0
	if d.Ledger, err = c.act.Ledger(ctx, s.User, sku, before, ledgerPageSize+1); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if len(d.Ledger) > ledgerPageSize {
		d.Ledger = d.Ledger[:ledgerPageSize]
		d.Older = d.Ledger[ledgerPageSize-1].ID
	}
	if d.Supply, err = c.act.Supply(ctx, s.User, sku, "open", 100); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	due, _ := c.dueBySKU(r, s.User, nil)
	for _, x := range d.Supply {
		k := x.SKU + "\x00" + x.Location
		y, ok := due[k]
		if !ok {
			y.ETA = x.ETA
		}
		y.Quantity += x.Quantity - x.Received
		due[k] = y
	}
	for _, b := range d.Stock.Locations {
		row := stockRow{Balance: b}
		if x, ok := due[sku+"\x00"+b.Location]; ok {
			row.Incoming, row.ETA = x.Quantity, x.ETA
		}
		d.Rows = append(d.Rows, row)
	}
	if d.Locations, err = c.visibleLocations(r, s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d.Reasons = oms.AdjustReasons
	p.Session, p.Title, p.Item = &s, d.Item.SKU, d
	c.render(w, r, status, "item", p)
}

// stockAction runs a form of the item page that needs inventory:write,
// then goes back to the page (saying what was done) or shows it again with
// the problems next to the inputs.
func (c *Console) stockAction(w http.ResponseWriter, r *http.Request, s oms.Session, form, back string, act func() error,
	show func(status int, p page)) {
	if !s.User.Role.Allows(oms.PermInventoryWrite) {
		c.forbidden(w, r, &s, "Your role may not change stock.")
		return
	}
	err := act()
	if err == nil {
		http.Redirect(w, r, back+"done="+form, http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT, oms.EOUTOFSTOCK, oms.EFORBIDDEN:
		errs, formErr := fieldErrors(err)
		show(http.StatusUnprocessableEntity, page{Form: form, Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

// quantity parses a whole number input, naming it when it is not one.
func quantity(r *http.Request, field string, p *oms.Problems, optional bool) int64 {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" && optional {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.Add(field, "must be a whole number")
	}
	return n
}

// eta parses a date input (YYYY-MM-DD).
func eta(r *http.Request, p *oms.Problems) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(r.PostFormValue("eta")))
	if err != nil {
		p.Add("eta", "must be a date (YYYY-MM-DD)")
	}
	return t
}

func (c *Console) adjustStock(w http.ResponseWriter, r *http.Request, s oms.Session) {
	sku := r.PathValue("sku")
	c.stockAction(w, r, s, "adjust", "/inventory/"+sku+"?", func() error {
		var p oms.Problems
		a := oms.Adjustment{SKU: sku, Location: r.PostFormValue("location"), Reason: r.PostFormValue("reason"),
			Reference: strings.TrimSpace(r.PostFormValue("reference"))}
		n := quantity(r, "quantity", &p, false)
		if r.PostFormValue("mode") == "set" {
			a.SetOnHand = &n
		} else {
			a.Delta = &n
		}
		if err := p.Err(); err != nil {
			return err
		}
		_, err := c.act.Adjust(r.Context(), s.User, a)
		return err
	}, func(status int, p page) { c.showItem(w, r, s, status, p) })
}

func (c *Console) transferStock(w http.ResponseWriter, r *http.Request, s oms.Session) {
	sku := r.PathValue("sku")
	c.stockAction(w, r, s, "transfer", "/inventory/"+sku+"?", func() error {
		var p oms.Problems
		t := oms.Transfer{SKU: sku, From: r.PostFormValue("from"), To: r.PostFormValue("to"),
			Quantity: quantity(r, "quantity", &p, false), ETA: eta(r, &p), Reference: strings.TrimSpace(r.PostFormValue("reference"))}
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.Transfer(r.Context(), s.User, t)
	}, func(status int, p page) { c.showItem(w, r, s, status, p) })
}

// supplyData is the supply list: purchase orders and transfers due.
type supplyData struct {
	Status    string
	Statuses  []string
	Supply    []oms.Supply
	Locations []oms.Location
}

func (c *Console) supplyPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showSupply(w, r, s, http.StatusOK, page{Flash: stockFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showSupply(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermInventoryRead) {
		c.forbidden(w, r, &s, "Your role does not read inventory.")
		return
	}
	d := supplyData{Status: cmp.Or(r.URL.Query().Get("status"), "open"), Statuses: oms.SupplyStatuses}
	if d.Status == "any" {
		d.Status = ""
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	if d.Status != "" && !slices.Contains(oms.SupplyStatuses, d.Status) {
		p.Errors["status"], p.Form, status = "is not a supply status", "filter", http.StatusUnprocessableEntity
	} else {
		var err error
		if d.Supply, err = c.act.Supply(r.Context(), s.User, "", d.Status, 200); err != nil {
			c.fault(w, r, &s, err)
			return
		}
	}
	var err error
	if d.Locations, err = c.visibleLocations(r, s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Supply = &s, "Supply", d
	c.render(w, r, status, "supply", p)
}

func (c *Console) addSupply(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.stockAction(w, r, s, "supply", "/supply?", func() error {
		var p oms.Problems
		sup := &oms.Supply{SKU: strings.TrimSpace(r.PostFormValue("sku")), Location: r.PostFormValue("location"), Kind: "purchase_order",
			Quantity: quantity(r, "quantity", &p, false), ETA: eta(r, &p), Reference: strings.TrimSpace(r.PostFormValue("reference"))}
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.CreateSupply(r.Context(), s.User, sup)
	}, func(status int, p page) { c.showSupply(w, r, s, status, p) })
}

func (c *Console) receive(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := "/supply?"
	if sku := r.PostFormValue("sku"); sku != "" {
		back = "/inventory/" + sku + "?"
		r.SetPathValue("sku", sku)
	}
	c.stockAction(w, r, s, "receive-"+r.PathValue("id"), back, func() error {
		var p oms.Problems
		n := quantity(r, "quantity", &p, true)
		if n < 0 {
			p.Add("quantity", "must be at least 1, or empty for everything still due")
		}
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.ReceiveSupply(r.Context(), s.User, id, n)
	}, func(status int, p page) {
		if r.PostFormValue("sku") != "" {
			c.showItem(w, r, s, status, p)
		} else {
			c.showSupply(w, r, s, status, p)
		}
	})
}

// fulfillData is a location's fulfillment screen.
type fulfillData struct {
	Location  string
	Locations []oms.Location
	Open      []oms.Fulfillment // to pick, pack and ship
	Pickups   []oms.Fulfillment // waiting at the counter
	Expired   []oms.Fulfillment // pickups cancelled (expired or cancelled)
	PickList  []oms.PickItem
	Expiry    int       // pickup expiry in days, 0: never
	Now       time.Time // for the pickups' expiry
}

// Expires is when a pickup ready since t is cancelled, zero without expiry.
func (d fulfillData) Expires(f oms.Fulfillment) time.Time {
	if d.Expiry <= 0 {
		return time.Time{}
	}
	return f.UpdatedAt.AddDate(0, 0, d.Expiry)
}

var fulfillFlashes = map[string]string{
	"pack":      "The fulfillment is packed.",
	"ship":      "The fulfillment is shipped.",
	"ready":     "The pickup is ready at the counter.",
	"collected": "The pickup is collected.",
}

const fulfillLimit = 200

func (c *Console) fulfillmentPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showFulfillment(w, r, s, r.URL.Query().Get("location"), http.StatusOK, page{Flash: fulfillFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showFulfillment(w http.ResponseWriter, r *http.Request, s oms.Session, loc string, status int, p page) {
	if !s.User.Role.Allows(oms.PermFulfillRead) {
		c.forbidden(w, r, &s, "Your role does not read fulfillments.")
		return
	}
	ctx := r.Context()
	d := fulfillData{Location: loc, Now: c.opt.Now()}
	var err error
	if d.Locations, err = c.visibleLocations(r, s.User); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if d.Location == "" && len(d.Locations) > 0 {
		d.Location = d.Locations[0].Code
	}
	p.Session, p.Title = &s, "Fulfillment"
	if d.Location != "" {
		all, err := c.act.LocationFulfillments(ctx, s.User, d.Location, nil, fulfillLimit)
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		for _, f := range all {
			if f.Status == oms.FulfillmentReadyForPickup {
				d.Pickups = append(d.Pickups, f)
			} else {
				d.Open = append(d.Open, f)
			}
		}
		gone, err := c.act.LocationFulfillments(ctx, s.User, d.Location, []oms.FulfillmentStatus{oms.FulfillmentCancelled}, 20)
		if err != nil {
			c.fault(w, r, &s, err)
			return
		}
		d.Expired = slices.DeleteFunc(gone, func(f oms.Fulfillment) bool { return !f.Pickup })
		if d.PickList, err = c.act.PickList(ctx, s.User, d.Location, fulfillLimit); err != nil {
			c.fault(w, r, &s, err)
			return
		}
		if set, err := c.act.FulfillmentSettings(ctx); err == nil {
			d.Expiry = set.PickupExpiryDays
		}
	}
	p.Fulfill = d
	c.render(w, r, status, "fulfillment", p)
}

// fulfillmentMove packs, ships (with carrier and tracking), readies or
// hands over a fulfillment from the location's screen, and goes back to it.
func (c *Console) fulfillmentMove(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id, move, loc := r.PathValue("id"), r.PathValue("move"), r.PostFormValue("location")
	m := oms.FulfillmentMove{}
	switch move {
	case "pack":
		m.To = oms.FulfillmentPacked
	case "ship":
		m.To = oms.FulfillmentShipped
		m.Tracking = oms.Tracking{Carrier: strings.TrimSpace(r.PostFormValue("carrier")), Service: strings.TrimSpace(r.PostFormValue("service")),
			TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking_number")), TrackingURL: strings.TrimSpace(r.PostFormValue("tracking_url"))}
	case "ready":
		m.To = oms.FulfillmentReadyForPickup
	case "collected":
		m.To = oms.FulfillmentPickedUp
	default:
		c.fault(w, r, &s, oms.Errorf(oms.ENOTFOUND, "there is no such action"))
		return
	}
	if !s.User.Role.Allows(oms.PermFulfillWrite) {
		c.forbidden(w, r, &s, "Your role may not move fulfillments.")
		return
	}
	_, err := c.act.MoveFulfillment(r.Context(), s.User, id, m)
	if err == nil {
		http.Redirect(w, r, "/fulfillment?location="+urlQuery(loc)+"&done="+move, http.StatusSeeOther)
		return
	}
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT, oms.EFORBIDDEN, oms.ESTALE:
		errs, formErr := fieldErrors(err)
		c.showFulfillment(w, r, s, loc, http.StatusUnprocessableEntity, page{Form: move + "-" + id, Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}
