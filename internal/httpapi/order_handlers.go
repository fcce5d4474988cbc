package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/orderbody"
	"github.com/omshq/oms/internal/httpapi/paging"
)

func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request) error {
	var req orderbody.OrderRequest
	if err := decode.RequestChecked(r, &req, req.Check); err != nil {
		return err
	}
	return s.place(w, r, &req)
}

// place places the order requested and answers with it.
func (s *Server) place(w http.ResponseWriter, r *http.Request, req *orderbody.OrderRequest) error {
	d, err := req.Draft()
	if err != nil {
		return err
	}
	if err := handle.Viewer(r).ActFor("channel", d.Channel); err != nil {
		return err
	}
	o, created, err := s.svc.Orders.PlaceOrder(r.Context(), d, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/orders/"+o.ID)
	return writeOrder(w, r, putStatus(created), o)
}

// writeOrder answers with the order as the request's key may see it (see
// authz.OrderFor), and its ETag.
func writeOrder(w http.ResponseWriter, r *http.Request, status int, o *oms.Order) error {
	w.Header().Set("ETag", etag(o))
	return answer.JSON(w, status, authz.OrderFor(handle.Viewer(r), o))
}

// etag is the order's version as a strong entity tag: "3".
func etag(o *oms.Order) string {
	return `"` + strconv.FormatInt(o.Version, 10) + `"`
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.Orders.Order(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

type orderPage struct {
	Orders     []orderListItem `json:"orders"`
	NextCursor *string         `json:"next_cursor"`
}

// orderListItem is an order as the list shows it: everything but its lines
// and allocations, which come with expand=lines (GET /v1/orders/{id} always
// has them). The list is for finding orders; keeping it light keeps it fast.
type orderListItem struct {
	ID            string           `json:"id"`
	Number        string           `json:"number"`
	Channel       string           `json:"channel"`
	ExternalID    string           `json:"external_id"`
	Status        oms.Status       `json:"status"`
	Currency      string           `json:"currency"`
	Customer      oms.Customer     `json:"customer"`
	ShipTo        *oms.Address     `json:"ship_to,omitempty"`
	TaxesIncluded bool             `json:"taxes_included"`
	Lines         []oms.Line       `json:"lines,omitempty"`       // with expand=lines
	Allocations   []oms.Allocation `json:"allocations,omitempty"` // with expand=lines
	oms.Totals
	PlacedAt  time.Time `json:"placed_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`

	Base *oms.BaseTotals `json:"base,omitempty"` // the totals in the base currency, when recorded
	// AmountsUnknown: the channel sent the order cancelled and without its
	// amounts, which are written as null.
	AmountsUnknown bool `json:"amounts_unknown,omitempty"`
}

func listItem(o *oms.Order) orderListItem {
	it := orderListItem{ID: o.ID, Number: o.Number, Channel: o.Channel, ExternalID: o.ExternalID, Status: o.Status,
		Currency: o.Currency, Customer: o.Customer, ShipTo: o.ShipTo, TaxesIncluded: o.TaxesIncluded,
		Lines: o.Lines, Allocations: o.Allocations, Totals: o.Totals, PlacedAt: o.PlacedAt,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
	it.Base, it.AmountsUnknown = o.Base, o.AmountsUnknown
	return it
}

// MarshalJSON writes the item's fields, with every amount null when the
// order's amounts are unknown, as oms.Order does.
func (it orderListItem) MarshalJSON() ([]byte, error) {
	type plain orderListItem
	if !it.AmountsUnknown {
		return json.Marshal(plain(it))
	}
	var lines any
	if len(it.Lines) > 0 {
		lines = oms.UnknownAmountLines(it.Lines)
	}
	return json.Marshal(struct {
		plain
		Subtotal      *int64          `json:"subtotal"`
		DiscountTotal *int64          `json:"discount_total"`
		ShippingTotal *int64          `json:"shipping_total"`
		TaxTotal      *int64          `json:"tax_total"`
		DutiesTotal   *int64          `json:"duties_total"`
		Total         *int64          `json:"total"`
		Lines         any             `json:"lines,omitempty"`
		Base          *oms.BaseTotals `json:"base,omitempty"`
	}{plain: plain(it), Lines: lines})
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	p := handle.Viewer(r)
	f := oms.OrderFilter{Status: oms.Status(q.Get("status")), Channel: q.Get("channel"), Query: q.Get("q"),
		After: after, Limit: limit, Principal: p, Identifiers: !p.SeesCustomers()}
	switch q.Get("expand") {
	case "":
	case "lines":
		f.WithLines = true
	default:
		return oms.Invalid("expand", "may only be lines")
	}
	if f.Status != "" && !slices.Contains(oms.Statuses, f.Status) {
		return oms.Invalid("status", "must be one of %v", oms.Statuses)
	}
	if q.Has("q") { // as the search box takes it: 1–200 bytes of printable text, not blank
		if _, err := oms.ParseSearch(f.Query); err != nil {
			return err
		}
	}
	if err := authz.SearchableBy(p, f.Query); err != nil {
		return err
	}
	os, next, err := s.svc.Orders.ListOrders(r.Context(), f)
	if err != nil {
		return err
	}
	page := orderPage{Orders: make([]orderListItem, len(os))}
	for i := range os {
		page.Orders[i] = listItem(authz.OrderFor(p, &os[i]))
	}
	if next > 0 {
		page.NextCursor = paging.Cursor(next)
	}
	return answer.JSON(w, http.StatusOK, page)
}

type eventList struct {
	Events []oms.Event `json:"events"`
}

func (s *Server) orderEvents(w http.ResponseWriter, r *http.Request) error {
	es, err := s.svc.Orders.OrderEventsFor(r.Context(), handle.Viewer(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, eventList{Events: answer.NonNil(authz.EventsFor(handle.Viewer(r), es))})
}

type cancelRequest struct {
	Lines  []cancelLineRequest `json:"lines,omitempty"`  // omit to cancel everything not yet shipped; never empty
	Reason string              `json:"reason,omitempty"` // why, one line: kept in the event and shown in the timeline
}

type cancelLineRequest struct {
	LineID   string     `json:"line_id"`
	Quantity decode.Int `json:"quantity"`
}

func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	req, p, err := decodeCancel(r)
	if err != nil {
		return err
	}
	lines := make([]oms.CancelLine, len(req.Lines))
	for i, l := range req.Lines {
		lines[i] = oms.CancelLine{LineID: l.LineID, Quantity: l.Quantity.Value(&p, fmt.Sprintf("lines[%d].quantity", i), true)}
	}
	oms.CheckLine(&p, "reason", req.Reason, oms.MaxCancelReason)
	if err := p.Err(); err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Orders.CancelOrderWithReason(r.Context(), r.PathValue("id"), version, lines, req.Reason, handle.Viewer(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

// decodeCancel reads a cancellation. No body, {} or only a reason cancels
// everything not yet shipped; null is refused, and so are lines given but
// empty or null: a client's empty selection never reads as "all".
func decodeCancel(r *http.Request) (cancelRequest, oms.Problems, error) {
	var req cancelRequest
	body, err := decode.Optional(r, &req, "cancel everything not yet shipped")
	if err != nil {
		return req, nil, err
	}
	var p oms.Problems
	if decode.GivenEmpty(body, "lines") {
		p.Add("lines", "must name at least one line; leave lines out to cancel everything not yet shipped")
	}
	return req, p, nil
}

type apiKeyRequest struct {
	Name string   `json:"name"`
	Role oms.Role `json:"role"`
	// Channels are the codes of the channels a channel key acts for (one
	// or more, required for a channel key); Locations those a warehouse
	// key is bound to (none: every location).
	Channels  []string `json:"channels,omitempty"`
	Locations []string `json:"locations,omitempty"`
}

type apiKeyCreated struct {
	oms.APIKey
	Secret string `json:"secret" secret:"true"` // shown once; only a hash is stored
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	var req apiKeyRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	k, secret, err := s.svc.Keys.CreateAPIKey(r.Context(), req.Name, req.Role, handle.Viewer(r),
		oms.KeyScope{Channels: req.Channels, Locations: req.Locations})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the answer holds a secret
	return answer.JSON(w, http.StatusCreated, apiKeyCreated{APIKey: k, Secret: secret})
}

func (s *Server) orderSourcing(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.Orders.OrderSourcing(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, d)
}

// simulateSourcing takes the body of POST /v1/orders; external_id may be
// left out, as nothing is placed.
func (s *Server) simulateSourcing(w http.ResponseWriter, r *http.Request) error {
	var req orderbody.OrderRequest
	simulation := func() {
		if req.ExternalID == "" {
			req.ExternalID = "simulation"
		}
	}
	err := decode.RequestChecked(r, &req, func() error { simulation(); return req.Check() })
	if err != nil {
		return err
	}
	simulation()
	d, err := req.Draft()
	if err != nil {
		return err
	}
	if err := handle.Viewer(r).ActFor("channel", d.Channel); err != nil {
		return err
	}
	out, err := s.svc.Orders.SimulateSourcing(r.Context(), d)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, out)
}
