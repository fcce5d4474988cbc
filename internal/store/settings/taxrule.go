package settings

import (
	"context"
	"fmt"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/tax"
)

const (
	selectTaxRules = `
SELECT country, region, rate, inclusive, replaces_country, name, created_at, updated_at
FROM tax_rules ORDER BY country, region`
	insertTaxRule = `
INSERT INTO tax_rules (country, region, rate, inclusive, replaces_country, name, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
ON CONFLICT (country, region) DO NOTHING
RETURNING created_at`
	updateTaxRule = `
UPDATE tax_rules SET rate = $3, inclusive = $4, replaces_country = $5, name = $6, updated_at = $7
WHERE country = $1 AND region = $2
RETURNING created_at`
	deleteTaxRule = `DELETE FROM tax_rules WHERE country = $1 AND region = $2`
)

// TaxRules returns every tax rule, by country and region.
func (st *Settings) TaxRules(ctx context.Context) ([]oms.TaxRule, error) {
	var out []oms.TaxRule
	err := st.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		out, err = allTaxRules(ctx, tx)
		return err
	})
	return out, err
}

// TaxRule returns the rule with the key ("DE", "CA-QC"), or ENOTFOUND.
func (st *Settings) TaxRule(ctx context.Context, key string) (oms.TaxRule, error) {
	rules, err := st.TaxRules(ctx)
	if err != nil {
		return oms.TaxRule{}, err
	}
	for _, r := range rules {
		if r.Key == key {
			return r, nil
		}
	}
	return oms.TaxRule{}, sqldb.NotFound("no tax rule has key %q", key)
}

func allTaxRules(ctx context.Context, tx *sqldb.Tx) ([]oms.TaxRule, error) {
	rows, err := tx.QueryContext(ctx, selectTaxRules)
	if err != nil {
		return nil, fmt.Errorf("tax rules: %w", err)
	}
	defer rows.Close()
	var out []oms.TaxRule
	for rows.Next() {
		var r oms.TaxRule
		if err := rows.Scan(&r.Country, &r.Region, &r.Rate, &r.Inclusive, &r.ReplacesCountry, &r.Name,
			&r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, err
		}
		r.Key = taxKey(r.Country, r.Region)
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// TaxRulesIn returns the rules order placement computes tax with, from the
// cache or read in tx.
func (st *Settings) TaxRulesIn(ctx context.Context, tx *sqldb.Tx) (tax.Rules, error) {
	return st.taxRules.Get(func() (tax.Rules, error) {
		stored, err := allTaxRules(ctx, tx)
		if err != nil {
			return nil, err
		}
		rules := make(tax.Rules, 0, len(stored))
		for _, s := range stored {
			r, err := taxRule(s)
			if err != nil {
				return nil, fmt.Errorf("tax rule %s: %w", s.Key, err)
			}
			rules = append(rules, r)
		}
		return rules, nil
	})
}

func taxKey(country, region string) string {
	if region == "" {
		return country
	}
	return country + "-" + region
}

// ParseTaxKey splits a rule key — a country ("DE") or a country and a
// region ("US-CA") — and checks both: the country must be an ISO 3166-1
// alpha-2 code, the region 1 to 3 capital letters or digits. It returns an
// EINVALID error naming "country" or "region".
func ParseTaxKey(key string) (country, region string, err error) {
	country, region, dash := strings.Cut(key, "-")
	var p oms.Problems
	if !oms.ValidCountry(country) {
		p.Add("country", "%q is not an ISO 3166-1 alpha-2 country code such as DE", clipText(country))
	}
	if dash && !validRegion(region) {
		p.Add("region", "%q is not an ISO 3166-2 subdivision code such as CA (for US-CA): 1 to 3 capital letters or digits", clipText(region))
	}
	return country, region, p.Err()
}

// PutTaxRule creates or replaces the rule for its country and region, and
// reports whether it was created. It returns EINVALID naming the bad field —
// country, region, rate, replaces_country, name — and naming inclusive when
// the country's other rules differ in it (the rules of one country are
// charged together, so they all include tax in prices or all do not).
func (st *Settings) PutTaxRule(ctx context.Context, r *oms.TaxRule, by oms.Principal) (bool, error) {
	actor := by.Actor()
	rule, err := taxRule(*r)
	if err != nil {
		return false, err
	}
	if _, _, err := ParseTaxKey(taxKey(r.Country, r.Region)); err != nil {
		return false, err
	}
	if err := rule.Validate(); err != nil {
		return false, err
	}
	r.Key, r.Rate = taxKey(r.Country, r.Region), rule.Rate.String()
	var created bool
	err = st.db.Update(ctx, func(tx *sqldb.Tx) error {
		others, err := allTaxRules(ctx, tx)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.Country == r.Country && o.Region != r.Region && o.Inclusive != r.Inclusive {
				return oms.Invalid("inclusive", "must be %t, as for %s: the rules of %s are charged together", o.Inclusive, o.Key, r.Country)
			}
		}
		args := []any{r.Country, r.Region, r.Rate, r.Inclusive, r.ReplacesCountry, r.Name, tx.Now()}
		if created, err = tx.Upsert(ctx, insertTaxRule, updateTaxRule, args, &r.CreatedAt); err != nil {
			return err
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), tx.Now()
		return tx.AddEvent(ctx, oms.EventTaxRuleSaved, r.Key, "", actor, r)
	})
	st.taxRules.Forget()
	return created, err
}

// DeleteTaxRule deletes the rule with the key; orders placed from then on
// are no longer taxed by it. It returns ENOTFOUND when there is none.
func (st *Settings) DeleteTaxRule(ctx context.Context, key string, by oms.Principal) error {
	actor := by.Actor()
	country, region, err := ParseTaxKey(key)
	if err != nil {
		return sqldb.NotFound("no tax rule has key %q", key)
	}
	err = st.db.Update(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, deleteTaxRule, country, region)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return sqldb.NotFound("no tax rule has key %q", key)
		}
		return tx.AddEvent(ctx, oms.EventTaxRuleDeleted, key, "", actor, oms.TaxRuleDeleted{Key: key})
	})
	st.taxRules.Forget()
	return err
}

// validRegion reports whether s is 1 to 3 capital letters or digits, as
// ISO 3166-2 subdivision codes are after their country.
func validRegion(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// clipText shortens text quoted in an error message.
func clipText(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// taxRule returns the rule as the tax package computes with it.
func taxRule(r oms.TaxRule) (tax.Rule, error) {
	rate, err := tax.ParseRate(r.Rate)
	return tax.Rule{Country: r.Country, Region: r.Region, Rate: rate, Inclusive: r.Inclusive,
		ReplacesCountry: r.ReplacesCountry, Name: r.Name}, err
}
