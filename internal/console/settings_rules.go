package console

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/money"
)

// Tax rules, exchange rates, screening rules and return settings:
// settings:read (returns:read for the return settings) to see,
// catalog:write to change, as in the API's route table.

func (c *Console) taxRulesPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showTaxRules(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showTaxRules(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermSettingsRead) {
		c.forbidden(w, r, &s, "Your role does not read settings.")
		return
	}
	var d settingsData
	var err error
	if d.TaxRules, err = c.act.TaxRules(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Tax rules", d
	c.renderSettings(w, r, status, "settings_tax", p)
}

// putTaxRuleForm creates or replaces the rule of a country (and region).
func (c *Console) putTaxRuleForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "tax", "/settings/tax-rules?done=tax", func() error {
		rule := oms.TaxRule{Country: strings.ToUpper(strings.TrimSpace(r.PostFormValue("country"))),
			Region: strings.ToUpper(strings.TrimSpace(r.PostFormValue("region"))), Rate: strings.TrimSpace(r.PostFormValue("rate")),
			Name: strings.TrimSpace(r.PostFormValue("name")), Inclusive: r.PostFormValue("inclusive") == "on",
			ReplacesCountry: r.PostFormValue("replaces_country") == "on"}
		return c.act.PutTaxRule(r.Context(), s.User, &rule)
	}, func(status int, p page) { c.showTaxRules(w, r, s, status, p) })
}

func (c *Console) deleteTaxRuleForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "untax", "/settings/tax-rules?done=untaxed", func() error {
		return c.act.DeleteTaxRule(r.Context(), s.User, r.PathValue("key"))
	}, func(status int, p page) { c.showTaxRules(w, r, s, status, p) })
}

// Exchange rates.

func (c *Console) fxPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showRates(w, r, s, http.StatusOK, page{}, nil)
}

// showRates lists the rates in force on ?date= (today by default), and
// what an import just did.
func (c *Console) showRates(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, imported *oms.FXImport) {
	if !s.User.Role.Allows(oms.PermSettingsRead) {
		c.forbidden(w, r, &s, "Your role does not read settings.")
		return
	}
	d := settingsData{Imported: imported}
	day := fx.Day(c.opt.Now())
	if imported != nil {
		day, _ = time.Parse(time.DateOnly, imported.LastDay)
	} else if v := r.URL.Query().Get("date"); v != "" {
		var pr oms.Problems
		if day, _ = oms.ParseDay(&pr, "date", v); pr.Err() != nil {
			errs, _ := fieldErrors(pr.Err())
			p.Form, p.Errors, p.Values, status = "date", errs, r.URL.Query(), http.StatusUnprocessableEntity
			day = fx.Day(c.opt.Now())
		}
	}
	d.RatesDay = day.Format(time.DateOnly)
	set, err := c.act.RatesOn(r.Context(), day)
	switch {
	case oms.ErrorCode(err) == oms.ENOTFOUND:
		d.NoRates = errMessage(err)
	case err != nil:
		c.fault(w, r, &s, err)
		return
	default:
		d.RatesDate = set.Date.Format(time.DateOnly)
		for cur, v := range set.Rates {
			d.Rates = append(d.Rates, rateRow{Currency: cur, Rate: v.String()})
		}
		slices.SortFunc(d.Rates, func(a, b rateRow) int { return strings.Compare(a.Currency, b.Currency) })
	}
	p.Session, p.Title, p.Settings = &s, "Exchange rates", d
	c.renderSettings(w, r, status, "settings_fx", p)
}

// importRatesForm imports an uploaded ECB reference-rate file (eurofxref
// daily, 90-day or full history), as POST /v1/fx-rates does its body.
func (c *Console) importRatesForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermCatalogWrite) {
		c.forbidden(w, r, &s, "Your role may not import exchange rates.")
		return
	}
	show := func(status int, p page) { c.showRates(w, r, s, status, p, nil) }
	res, err := func() (oms.FXImport, error) {
		f, _, err := r.FormFile("file")
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return oms.FXImport{}, oms.Invalid("file", "is over %d MiB", maxRatesFile>>20)
			}
			return oms.FXImport{}, oms.Invalid("file", "is required: the ECB's eurofxref XML file")
		}
		defer f.Close()
		body, err := io.ReadAll(f)
		if err != nil {
			return oms.FXImport{}, oms.Invalid("file", "could not be read")
		}
		rates, err := fx.ParseECB(bytes.NewReader(body))
		if err != nil {
			return oms.FXImport{}, fileProblem(err)
		}
		return c.act.ImportRates(r.Context(), s.User, rates)
	}()
	if err != nil {
		c.refused(w, r, s, "fx", err, show)
		return
	}
	c.showRates(w, r, s, http.StatusOK, page{Flash: "The rates are imported."}, &res)
}

// fileProblem names the file input in a problem of the document: the
// problems of its parts (Cube.Cube[0].time) are the file's.
func fileProblem(err error) error {
	var e *oms.Error
	if !errors.As(err, &e) {
		return err
	}
	var msgs []string
	for _, f := range e.Fields {
		msg := f.Message
		if f.Field != "body" {
			msg = f.Field + ": " + msg
		}
		msgs = append(msgs, msg)
	}
	return oms.Invalid("file", "%s", strings.Join(msgs, "; "))
}

// Screening.

func (c *Console) screeningPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showScreening(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showScreening(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermSettingsRead) {
		c.forbidden(w, r, &s, "Your role does not read settings.")
		return
	}
	var d settingsData
	var err error
	if d.Screening, err = c.act.Screening(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Screening", d
	c.renderSettings(w, r, status, "settings_screening", p)
}

func (c *Console) putScreeningForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "screening", "/settings/screening?done=screening", func() error {
		var p oms.Problems
		sc := oms.Screening{MaxTotal: amounts(&p, "max_total", r.PostFormValue("max_total")),
			BillingMustMatch: r.PostFormValue("billing_must_match") == "on", CheckAddress: r.PostFormValue("check_address") == "on",
			MaxOrdersPerEmail: wholeNumber(&p, r, "max_orders_per_email"), MaxOrdersPerAddress: wholeNumber(&p, r, "max_orders_per_address"),
			WindowMinutes: wholeNumber(&p, r, "window_minutes")}
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.PutScreening(r.Context(), s.User, sc)
	}, func(status int, p page) {
		moveProblems(p.Errors, "max_total", isCurrency)
		c.showScreening(w, r, s, status, p)
	})
}

// amounts reads amounts by currency, one a line: "USD 5000.00".
func amounts(p *oms.Problems, field, v string) map[string]int64 {
	out := map[string]int64{}
	for _, line := range strings.Split(v, "\n") {
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		cur := strings.ToUpper(fs[0])
		if _, ok := money.Lookup(cur); !ok || len(fs) != 2 {
			p.Add(field, "%q: write a currency and an amount, such as USD 5000.00", strings.TrimSpace(line))
			continue
		}
		n, err := money.Parse(fs[1], cur)
		if err != nil {
			p.Add(field, "%q: %s is not an amount of %s", strings.TrimSpace(line), fs[1], cur)
			continue
		}
		out[cur] = n
	}
	return out
}

// wholeNumber reads a whole number input; empty is 0.
func wholeNumber(p *oms.Problems, r *http.Request, name string) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.Add(name, "must be a whole number")
	}
	return n
}

// Return settings.

func (c *Console) returnSettingsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showReturnSettings(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showReturnSettings(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermReturnRead) {
		c.forbidden(w, r, &s, "Your role does not read returns.")
		return
	}
	d := settingsData{FeeKinds: oms.FeeKinds}
	var err error
	if d.Returns, err = c.act.ReturnSettings(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Return settings", d
	c.renderSettings(w, r, status, "settings_returns", p)
}

func (c *Console) putReturnSettingsForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "returns", "/settings/returns?done=returns", func() error {
		var p oms.Problems
		rs := oms.ReturnSettings{Reasons: codes(r.PostFormValue("reasons")), ShippingRefund: r.PostFormValue("shipping_refund"),
			RestockingFee:    oms.RestockingFee{Kind: r.PostFormValue("kind")},
			FeeExemptReasons: codes(r.PostFormValue("fee_exempt_reasons")),
			AgentRefundLimit: amounts(&p, "agent_refund_limit", r.PostFormValue("agent_refund_limit")),
			LinkDays:         wholeNumber(&p, r, "link_days")}
		if rs.FeeExemptReasons == nil {
			rs.FeeExemptReasons = []string{}
		}
		if v := strings.TrimSpace(r.PostFormValue("amount")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				p.Add("amount", "must be a whole number: basis points for a percent fee (1000 = 10%%), minor units for a fixed one")
			}
			rs.RestockingFee.Amount = n
		}
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.PutReturnSettings(r.Context(), s.User, rs)
	}, func(status int, p page) {
		moveProblems(p.Errors, "agent_refund_limit", isCurrency)
		c.showReturnSettings(w, r, s, status, p)
	})
}
