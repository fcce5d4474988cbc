package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type supplyRequest struct {
	SKU       string     `json:"sku"`
	Location  string     `json:"location"`
	Kind      string     `json:"kind"` // purchase_order or transfer
	Reference string     `json:"reference,omitempty"`
	Quantity  decode.Int `json:"quantity"`
	ETA       string     `json:"eta"` // RFC 3339
}

type supplyList struct {
	Supply     []oms.Supply `json:"supply"`
	NextCursor *string      `json:"next_cursor"` // null on the last page
}

type receiveRequest struct {
	Quantity decode.Int `json:"quantity,omitempty"` // omit to receive everything still due
}

func (s *Server) createSupply(w http.ResponseWriter, r *http.Request) error {
	var req supplyRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	sup := oms.Supply{SKU: req.SKU, Location: req.Location, Kind: req.Kind, Reference: req.Reference,
		Quantity: req.Quantity.Value(&p, "quantity", true)}
	if eta := decode.ParseTime(&p, "eta", req.ETA); eta != nil {
		sup.ETA = *eta
	}
	if err := decode.InvalidWith(p, sup.Validate); err != nil {
		return err
	}
	if err := handle.Viewer(r).WorkAt("location", sup.Location); err != nil {
		return err
	}
	if err := s.svc.Inventory.CreateSupply(r.Context(), &sup, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, sup)
}

func supplyID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, oms.Errorf(oms.ENOTFOUND, "supply %q does not exist", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) getSupply(w http.ResponseWriter, r *http.Request) error {
	id, err := supplyID(r)
	if err != nil {
		return err
	}
	sup, err := s.svc.Inventory.Supply(r.Context(), id)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, sup)
}

func (s *Server) listSupply(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	st := q.Get("status")
	if st != "" && !slices.Contains(oms.SupplyStatuses, st) {
		return oms.Invalid("status", "must be one of %s", strings.Join(oms.SupplyStatuses, ", "))
	}
	f := oms.SupplyFilter{SKU: q.Get("sku"), Location: q.Get("location"), Status: st, After: after, Limit: limit + 1}
	list, err := s.svc.Inventory.ListSupply(r.Context(), handle.Viewer(r), f)
	if err != nil {
		return err
	}
	page, next := paging.Of(list, limit, func(s oms.Supply) int64 { return s.ID })
	return answer.JSON(w, http.StatusOK, supplyList{Supply: page, NextCursor: next})
}

func (s *Server) receiveSupply(w http.ResponseWriter, r *http.Request) error {
	id, err := supplyID(r)
	if err != nil {
		return err
	}
	var req receiveRequest
	if _, err := decode.Optional(r, &req, "receive everything still due"); err != nil {
		return err
	}
	var p oms.Problems
	qty := req.Quantity.Value(&p, "quantity", false)
	if req.Quantity.Set() && qty < 1 {
		p.Add("quantity", "must be at least 1")
	}
	if err := p.Err(); err != nil {
		return err
	}
	sup, err := s.svc.Inventory.ReceiveSupply(r.Context(), id, qty, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, sup)
}

func (s *Server) getATP(w http.ResponseWriter, r *http.Request) error {
	atp, err := s.svc.Inventory.AvailableToPromise(r.Context(), r.PathValue("sku"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, atp)
}

type transferRequest struct {
	SKU       string     `json:"sku"`
	From      string     `json:"from"`
	To        string     `json:"to"`
	Quantity  decode.Int `json:"quantity"`
	ETA       string     `json:"eta"` // RFC 3339: when it should arrive
	Reference string     `json:"reference,omitempty"`
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) error {
	var req transferRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	t := oms.Transfer{SKU: req.SKU, From: req.From, To: req.To, Reference: req.Reference,
		Quantity: req.Quantity.Value(&p, "quantity", true)}
	if eta := decode.ParseTime(&p, "eta", req.ETA); eta != nil {
		t.ETA = *eta
	}
	if err := decode.InvalidWith(p, t.Validate); err != nil {
		return err
	}
	// A bound key sends stock from its locations, to anywhere.
	if err := handle.Viewer(r).WorkAt("from", t.From); err != nil {
		return err
	}
	sup, err := s.svc.Inventory.CreateTransfer(r.Context(), t, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, sup)
}

func (s *Server) getFulfillmentSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.svc.Fulfillments.FulfillmentSettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

func (s *Server) putFulfillmentSettings(w http.ResponseWriter, r *http.Request) error {
	var set oms.FulfillmentSettings
	if err := decode.Whole(r, &set); err != nil {
		return err
	}
	if err := s.svc.Fulfillments.PutFulfillmentSettings(r.Context(), set, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

type centroidsRequest struct {
	Centroids []oms.PostalCentroid `json:"centroids"`
}

func (s *Server) putCentroids(w http.ResponseWriter, r *http.Request) error {
	var req centroidsRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	if err := s.svc.Admin.PutPostalCentroids(r.Context(), req.Centroids, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, req)
}
