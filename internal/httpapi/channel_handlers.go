package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type skuMappingList struct {
	Mappings []oms.SKUMapping `json:"mappings"`
}

// skuMappingRequest maps a listing SKU: to one oms SKU, unit for unit (the
// common case), or to components — a bundle, or a pack of several units.
// A request gives one form or the other; the answer always lists components.
type skuMappingRequest struct {
	// SKU is the one oms SKU the listing is: the same as one component of
	// quantity 1.
	SKU        string             `json:"sku,omitempty"`
	Components []oms.SKUComponent `json:"components,omitempty"`
}

// components returns what the request maps the listing SKU to, recording
// a request with neither form or both.
func (req *skuMappingRequest) components(p *oms.Problems) []oms.SKUComponent {
	switch {
	case req.SKU != "" && req.Components != nil:
		p.Add("sku", "give sku or components, not both")
	case req.SKU != "":
		return []oms.SKUComponent{{SKU: req.SKU, Quantity: 1}}
	case req.Components == nil:
		p.Add("sku", "is required: the oms SKU the listing SKU is (or components, for a bundle)")
	}
	return req.Components
}

func (s *Server) listSKUMappings(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.svc.Channels.SKUMappings(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, skuMappingList{Mappings: answer.NonNil(ms)})
}

func (s *Server) putSKUMapping(w http.ResponseWriter, r *http.Request) error {
	var req skuMappingRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	m := oms.SKUMapping{Channel: r.PathValue("code"), ListingSKU: r.PathValue("listing_sku"), Components: req.components(&p)}
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.svc.Channels.PutSKUMapping(r.Context(), m, handle.Viewer(r)); err != nil {
		if req.SKU != "" {
			return renameField(err, "components[0].sku", "sku") // as the request named it
		}
		return err
	}
	return answer.JSON(w, http.StatusOK, m)
}

func (s *Server) deleteSKUMapping(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Channels.DeleteSKUMapping(r.Context(), r.PathValue("code"), r.PathValue("listing_sku"), handle.Viewer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// renameField returns err with its field from renamed to, when it is a
// validation error naming it.
func renameField(err error, from, to string) error {
	var e *oms.Error
	if !errors.As(err, &e) || !slices.ContainsFunc(e.Fields, func(f oms.FieldError) bool { return f.Field == from }) {
		return err
	}
	out := *e
	out.Fields = slices.Clone(e.Fields)
	for i := range out.Fields {
		if out.Fields[i].Field == from {
			out.Fields[i].Field = to
		}
	}
	return &out
}

// maxFeedPage bounds a page of the availability feed: larger than other
// lists' pages, as a connector reads the whole feed at once.
const maxFeedPage = 5000

// availability serves the channel's availability feed: JSON pages in SKU
// order, each next_cursor a SKUCursor, or with Accept: text/csv the whole
// feed as CSV (sku, available), the same entries in the same order.
func (s *Server) availability(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, 1000, maxFeedPage)
	if err != nil {
		return err
	}
	var p oms.Problems
	code, after := r.PathValue("code"), paging.SKUAfter(q, &p)
	if err := p.Err(); err != nil {
		return err
	}
	if !answer.WantsCSV(r) {
		page, err := s.svc.Inventory.ChannelAvailability(r.Context(), code, after, limit)
		if err != nil {
			return err
		}
		if page.NextCursor != nil {
			page.NextCursor = paging.SKUCursor(*page.NextCursor)
		}
		return answer.JSON(w, http.StatusOK, page)
	}
	// CSV: page after page, streamed; a failure once rows went out breaks
	// the connection off (see csvStream).
	page, err := s.svc.Inventory.ChannelAvailability(r.Context(), code, after, maxFeedPage)
	if err != nil {
		return err
	}
	out := answer.CSV(w, code+"-availability.csv", []string{"sku", "available"})
	for {
		for _, it := range page.Items {
			if err := out.Write([]string{it.SKU, strconv.FormatInt(it.Available, 10)}); err != nil {
				return out.Close(s.log, r, err)
			}
		}
		if page.NextCursor == nil {
			return out.Close(s.log, r, nil)
		}
		if page, err = s.svc.Inventory.ChannelAvailability(r.Context(), code, *page.NextCursor, maxFeedPage); err != nil {
			return out.Close(s.log, r, err)
		}
	}
}

type payloadList struct {
	Payloads []oms.Payload `json:"payloads"`
}

func (s *Server) orderPayloads(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Channels.OrderPayloads(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, payloadList{Payloads: answer.NonNil(ps)})
}

type eventPage struct {
	Events     []oms.Event `json:"events"`
	NextCursor *string     `json:"next_cursor"`
}

// maxEventPage bounds a page of the event stream.
const maxEventPage = 1000

// events serves the event stream: every event after the cursor, oldest
// first, optionally of one type — for a connector that follows changes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, 100, maxEventPage)
	if err != nil {
		return err
	}
	es, err := s.svc.EventLog.Events(r.Context(), handle.Viewer(r), q.Get("after"), q.Get("type"), limit)
	if err != nil {
		return err
	}
	page := eventPage{Events: answer.NonNil(authz.EventsFor(handle.Viewer(r), es))}
	if len(es) > 0 {
		page.NextCursor = &es[len(es)-1].ID
	} else if after := q.Get("after"); after != "" {
		// At the end of the stream the client keeps its place: asking again
		// with the same cursor gets what comes next.
		page.NextCursor = &after
	}
	return answer.JSON(w, http.StatusOK, page)
}
