package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type customerPage struct {
	Customers  []oms.CustomerRecord `json:"customers"`
	NextCursor *string              `json:"next_cursor"`
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	f := oms.CustomerFilter{Query: q.Get("q"), After: after, Limit: limit}
	if len(f.Query) > oms.MaxSearchQuery {
		return oms.Invalid("q", "must be at most %d bytes", oms.MaxSearchQuery)
	}
	cs, next, err := s.svc.Customers.ListCustomers(r.Context(), f)
	if err != nil {
		return err
	}
	page := customerPage{Customers: answer.NonNil(cs)}
	if next > 0 {
		page.NextCursor = paging.Cursor(next)
	}
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := paging.Params(r)
	if err != nil {
		return err
	}
	v, next, err := s.svc.Customers.Customer(r.Context(), r.PathValue("customer"), after, limit)
	if err != nil {
		return err
	}
	if next > 0 {
		v.NextCursor = paging.Cursor(next)
	}
	return answer.JSON(w, http.StatusOK, v)
}

type searchAnswer struct {
	Query   string             `json:"query"`
	Results []oms.SearchResult `json:"results"`
}

// search answers the search box. Customers are among the results only for
// a key that may read customers.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	sq, err := oms.ParseSearch(q.Get("q"))
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, oms.DefaultSearchSize, oms.MaxSearchSize)
	if err != nil {
		return err
	}
	p := handle.Viewer(r)
	if err := authz.SearchableBy(p, sq.Text); err != nil {
		return err
	}
	res, err := s.svc.Orders.Search(r.Context(), sq, oms.SearchOptions{Limit: limit,
		Customers: p.SeesCustomers(), Identifiers: !p.SeesCustomers(), Principal: p})
	if err != nil {
		return err
	}
	for i := range res {
		if o := res[i].Order; o != nil && !p.SeesCustomers() {
			c := *o
			c.Customer = oms.Customer{}
			res[i].Order = &c
		}
	}
	return answer.JSON(w, http.StatusOK, searchAnswer{Query: sq.Text, Results: res})
}
