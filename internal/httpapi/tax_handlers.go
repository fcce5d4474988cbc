package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/store"
)

// taxRuleRequest is the body of PUT /v1/tax-rules/{key}; the key names the
// country and region ("DE", "US-CA", "CA-QC").
type taxRuleRequest struct {
	// Rate is a decimal from 0 to 1 with at most six decimals, as a
	// string: "0.0725" for 7.25 %.
	Rate string `json:"rate"`
	// Inclusive: prices include this tax (VAT), which oms takes out of them
	// when it computes an order's tax; otherwise it adds the tax.
	Inclusive bool `json:"inclusive,omitempty"`
	// ReplacesCountry, on a region's rule: charged instead of the country's
	// rule (Ontario's HST replaces the GST); without it, charged on top of
	// it (Québec's QST with the GST).
	ReplacesCountry bool   `json:"replaces_country,omitempty"`
	Name            string `json:"name,omitempty"` // what receipts call it: "GST", "VAT"
}

type taxRuleList struct {
	Rules []oms.TaxRule `json:"rules"`
}

func (s *Server) listTaxRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.svc.Admin.TaxRules(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, taxRuleList{Rules: answer.NonNil(rules)})
}

func (s *Server) getTaxRule(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.svc.Admin.TaxRule(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, rule)
}

func (s *Server) putTaxRule(w http.ResponseWriter, r *http.Request) error {
	var req taxRuleRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	country, region, err := store.ParseTaxKey(r.PathValue("key"))
	if err != nil {
		return err
	}
	rule := oms.TaxRule{Country: country, Region: region, Rate: req.Rate, Inclusive: req.Inclusive,
		ReplacesCountry: req.ReplacesCountry, Name: req.Name}
	created, err := s.svc.Admin.PutTaxRule(r.Context(), &rule, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, putStatus(created), rule)
}

func (s *Server) deleteTaxRule(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Admin.DeleteTaxRule(r.Context(), r.PathValue("key"), handle.Viewer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
