package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// maxRatesBody bounds the body of POST /v1/fx-rates: the ECB's whole
// history since 1999 (eurofxref-hist.xml) is about 8 MiB.
const maxRatesBody = 16 << 20

// ecbDocument is the body of POST /v1/fx-rates: the ECB's reference-rate
// XML, the daily file (eurofxref-daily.xml) or a history file
// (eurofxref-hist.xml, eurofxref-hist-90d.xml).
type ecbDocument struct{}

func (ecbDocument) mediaType() string { return "application/xml" }

// ratesResponse is the answer of GET /v1/fx-rates.
type ratesResponse struct {
	Date     string `json:"date"`      // the day asked for, YYYY-MM-DD
	RateDate string `json:"rate_date"` // the ECB reference day whose rates are in force that day
	Base     string `json:"base"`      // always EUR
	// Rates are the units of each currency that 1 EUR is worth, as the ECB
	// wrote them.
	Rates map[string]string `json:"rates"`
}

func (s *Server) importRates(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", tooLarge.Limit)
		}
		return oms.Errorf(oms.EINVALID, "the request body could not be read")
	}
	rates, err := fx.ParseECB(bytes.NewReader(body))
	if err != nil {
		return err
	}
	res, err := s.fx.ImportRates(r.Context(), rates, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, res)
}

func (s *Server) getRates(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	var p oms.Problems
	day := dateParam(&p, q.Get("date"))
	if err := p.Err(); err != nil {
		return err
	}
	set, err := s.fx.RatesOn(r.Context(), day)
	if err != nil {
		return err
	}
	out := ratesResponse{Date: day.Format(time.DateOnly), RateDate: set.Date.Format(time.DateOnly), Base: "EUR",
		Rates: make(map[string]string, len(set.Rates))}
	for c, v := range set.Rates {
		out.Rates[c] = v.String()
	}
	return answer.JSON(w, http.StatusOK, out)
}

func (s *Server) convertAmount(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	var p oms.Problems
	amount, err := strconv.ParseInt(q.Get("amount"), 10, 64)
	switch {
	case q.Get("amount") == "":
		p.Add("amount", "is required: an integer of minor units of from, such as 10000 for 100.00 USD")
	case err != nil:
		p.Add("amount", "%q is not an integer of minor units of from, such as 10000 for 100.00 USD", q.Get("amount"))
	}
	day := dateParam(&p, q.Get("date"))
	if err := p.Err(); err != nil {
		return err
	}
	c, err := s.svc.Admin.Convert(r.Context(), amount, q.Get("from"), q.Get("to"), day)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

// dateParam reads the date query parameter, YYYY-MM-DD within the date
// bounds; empty is today (UTC). A bad date is a problem named "date".
func dateParam(p *oms.Problems, v string) time.Time {
	if v == "" {
		return fx.Day(time.Now())
	}
	d, _ := oms.ParseDay(p, "date", v)
	return d
}

func (s *Server) getCurrencySettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.svc.Admin.CurrencySettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

func (s *Server) putCurrencySettings(w http.ResponseWriter, r *http.Request) error {
	var set oms.CurrencySettings
	if err := decode.Whole(r, &set); err != nil {
		return err
	}
	if err := s.svc.Admin.PutCurrencySettings(r.Context(), set, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}
