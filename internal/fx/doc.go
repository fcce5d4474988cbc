// Package fx reads euro foreign-exchange reference rates and converts amounts
// between currencies with them, exactly.
//
// ParseECB reads the European Central Bank's reference-rate XML, both the
// daily file (eurofxref-daily.xml, one day) and the history files
// (eurofxref-hist.xml, eurofxref-hist-90d.xml, many days), into Rates quoted
// as 1 EUR = rate × foreign unit. A rate is kept exactly as the Decimal the
// ECB wrote ("0.88195", "147.20"), never rounded to binary. SetOn picks the
// rates of one day, carrying the last published day forward over weekends
// and TARGET holidays, when the ECB publishes nothing.
//
// Convert turns an amount in minor units of one currency into minor units of
// another through the euro (from → EUR → to), computing with exact rationals
// and rounding once, half to even, to the target currency's minor unit.
//
// ToBase converts an order's totals into a base currency, each amount on its
// own, and records the rate as RateText writes it: the quotient of the two
// ECB quotes it comes from ("0.88195/1.1612"), exact and explainable.
// MaxAge bounds how old the rates in force on a day may be.
//
// The ECB publishes these rates "for information purposes only" and
// discourages using them for transactions (reference §5): they serve to show
// and compare amounts in another currency, not to decide what a customer is
// charged. oms records the rate it used, with its RateSet.Date, beside every
// converted amount, so that the figure can be explained later and is never
// recomputed with another day's rate.
//
// Errors are *oms.Error values with code EINVALID naming the bad field, and
// ENOTFOUND from SetOn when no rates are known for the day.
package fx
