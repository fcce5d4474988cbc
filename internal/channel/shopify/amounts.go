package shopify

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// amounts reads the order's money in the draft's currency, recording each
// bad amount as a problem named by its JSON path.
type amounts struct {
	code string // the draft's currency
	// presentment says to read *_set.presentment_money; otherwise the
	// payload has no presentment amounts and shop_money is read.
	presentment bool
	// plainOK says an unsuffixed (shop-currency) amount is in code too.
	plainOK bool
	p       *oms.Problems
}

// get returns the amount of a field sent as plain (e.g. "price") and set
// (its "price_set"), preferring the set. present is false when the field is
// absent; a plain amount in another currency than the draft's is a problem.
func (a *amounts) get(path string, plain *string, set *moneySet) (v int64, present bool) {
	if bag, side := a.pick(set); bag != nil {
		return a.bag(path+"_set."+side, bag), true
	}
	if plain == nil {
		return 0, false
	}
	if !a.plainOK {
		a.p.Add(path+"_set", "is required: the plain amount is in the shop currency, not in %s", a.code)
		return 0, true
	}
	return a.parse(path, *plain), true
}

// pick returns the side of set to read and its name, or nil.
func (a *amounts) pick(set *moneySet) (*moneyBag, string) {
	switch {
	case set == nil:
		return nil, ""
	case a.presentment && set.PresentmentMoney != nil:
		return set.PresentmentMoney, "presentment_money"
	case (!a.presentment || a.plainOK) && set.ShopMoney != nil:
		return set.ShopMoney, "shop_money"
	}
	return nil, ""
}

// bag parses an {amount, currency_code} object found at path.
func (a *amounts) bag(path string, b *moneyBag) int64 {
	if b.CurrencyCode != "" && b.CurrencyCode != a.code {
		a.p.Add(path+".currency_code", "must be %s, the order's currency", a.code)
		return 0
	}
	if b.Amount == nil {
		a.p.Add(path+".amount", "is required")
		return 0
	}
	return a.parse(path+".amount", *b.Amount)
}

// parse converts a decimal string to minor units of the draft's currency.
func (a *amounts) parse(path, s string) int64 {
	v, err := money.Parse(s, a.code)
	switch {
	case err != nil:
		a.p.Add(path, "%v", err)
		return 0
	case v < 0 || v > oms.MaxAmount:
		a.p.Add(path, "must be between 0 and %s", money.Format(oms.MaxAmount, a.code))
		return 0
	}
	return v
}

// duty returns the amount of a line's duty, which some payloads send as a
// price_set and others as shop_money/presentment_money on the duty itself.
func (a *amounts) duty(path string, d *duty) int64 {
	if bag, side := a.pick(d.PriceSet); bag != nil {
		return a.bag(path+".price_set."+side, bag)
	}
	bag, side := a.pick(&moneySet{ShopMoney: d.ShopMoney, PresentmentMoney: d.PresentmentMoney})
	if bag == nil {
		a.p.Add(path+".price_set", "is required: the duty has no amount in %s", a.code)
		return 0
	}
	return a.bag(path+"."+side, bag)
}

// taxes returns the sum of tax lines found under path.
func (a *amounts) taxes(path string, lines []taxLine) int64 {
	return a.sum(path, "price", len(lines), func(i int) (*string, *moneySet) {
		return lines[i].Price, lines[i].PriceSet
	})
}

// allocations returns the sum of discount allocations found under path.
func (a *amounts) allocations(path string, allocs []discountAllocation) int64 {
	return a.sum(path, "amount", len(allocs), func(i int) (*string, *moneySet) {
		return allocs[i].Amount, allocs[i].AmountSet
	})
}

// sum adds up the amount field of each of the n elements of the list at
// path, element i's read by amount; each is required.
func (a *amounts) sum(path, field string, n int, amount func(i int) (*string, *moneySet)) int64 {
	var sum int64
	for i := range n {
		at := payload.Elem(path, i) + "." + field
		plain, set := amount(i)
		v, ok := a.get(at, plain, set)
		if !ok {
			a.p.Add(at, "is required")
		}
		payload.Add(a.p, at, &sum, v)
	}
	return sum
}
