// Package money holds the ISO 4217 currency table and converts exactly between
// decimal strings, as channels send them, and amounts in oms.
//
// An amount in oms is always an int64 count of minor units of one currency:
// 1999 USD is $19.99, 1999 JPY is ¥1999 and 1999 KWD is 1.999 dinars. Parse
// turns a channel's "19.99" into 1999 and Format turns 1999 back into "19.99";
// neither rounds, and no float is used anywhere. A decimal string is an
// optional '-', one or more ASCII digits, and optionally a '.' followed by one
// or more ASCII digits. Digits beyond the currency's exponent are accepted only
// when they are zeros, because "1000.00" JPY is exactly 1000 yen but "19.995"
// USD is not a whole number of cents. Add, Sub and Mul report int64 overflow
// instead of wrapping.
//
// Parse errors wrap one of ErrUnknownCurrency, ErrSyntax, ErrPrecision or
// ErrRange (test with errors.Is); their messages name the input and the
// currency and are safe to show a person.
package money
