package fx

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/omshq/oms"
)

// Rate is one reference rate: on Date, 1 unit of Base is worth Rate units of
// Currency.
type Rate struct {
	Date     time.Time // the reference day, at midnight UTC
	Base     string    // always "EUR" for ECB rates
	Currency string    // ISO 4217 code, such as "USD"
	Rate     Decimal   // as the ECB wrote it; always positive
}

// envelope binds the ECB document, namespaces included: the gesmes envelope,
// and the eurofxref vocabulary that is the default namespace of the three
// nested Cube elements. A Cube in another namespace is not a rate.
type envelope struct {
	XMLName xml.Name `xml:"http://www.gesmes.org/xml/2002-08-01 Envelope"`
	Cube    struct {
		Days []struct {
			Time  string `xml:"time,attr"`
			Rates []struct {
				Currency string `xml:"currency,attr"`
				Rate     string `xml:"rate,attr"`
			} `xml:"http://www.ecb.int/vocabulary/2002-08-01/eurofxref Cube"`
		} `xml:"http://www.ecb.int/vocabulary/2002-08-01/eurofxref Cube"`
	} `xml:"http://www.ecb.int/vocabulary/2002-08-01/eurofxref Cube"`
}

// ParseECB reads an ECB reference-rate document (the daily file or a history
// file) and returns its rates in document order: day by day as the file lists
// them (the history files list the newest day first), and within a day in the
// file's currency order.
//
// It returns an EINVALID error with field "body" when the XML is malformed,
// is not an ECB envelope or holds no rates, and otherwise one naming each bad
// attribute by its position, such as "Cube.Cube[0].Cube[3].rate": a day that
// is not YYYY-MM-DD, is outside the date bounds (oms.FirstDate to
// oms.LastDate) or appears twice, a currency that is not three capital
// letters or appears twice in a day, a rate that is not a decimal or is not
// above zero. The set of currencies is not fixed: the ECB adds and drops some.
func ParseECB(r io.Reader) ([]Rate, error) {
	var env envelope
	if err := xml.NewDecoder(r).Decode(&env); err != nil {
		return nil, oms.Invalid("body", "is not an ECB reference-rate document: %v", err)
	}
	var p oms.Problems
	var out []Rate
	days := make(map[time.Time]bool)
	for i, day := range env.Cube.Days {
		at := fmt.Sprintf("Cube.Cube[%d]", i)
		date, err := time.Parse(time.DateOnly, day.Time)
		if err != nil {
			p.Add(at+".time", "%q is not a date written YYYY-MM-DD", clip(day.Time))
			continue
		}
		if !oms.InDateBounds(date) {
			p.Add(at+".time", "%s is not from %s to %s", day.Time, oms.FirstDate, oms.LastDate)
			continue
		}
		if days[date] {
			p.Add(at+".time", "%s appears twice", day.Time)
			continue
		}
		days[date] = true
		seen := make(map[string]bool)
		for j, c := range day.Rates {
			at := fmt.Sprintf("%s.Cube[%d]", at, j)
			if !isCode(c.Currency) {
				p.Add(at+".currency", "%q is not a currency code of three capital letters", clip(c.Currency))
				continue
			}
			if c.Currency == "EUR" {
				p.Add(at+".currency", "EUR is the rates' base: a rate of EUR to EUR is 1, never given")
				continue
			}
			if seen[c.Currency] {
				p.Add(at+".currency", "%s appears twice on %s", c.Currency, day.Time)
				continue
			}
			seen[c.Currency] = true
			d, ok := ParseDecimal(c.Rate)
			switch {
			case !ok:
				p.Add(at+".rate", "%s rate %q on %s is not a decimal number", c.Currency, clip(c.Rate), day.Time)
			case d.Sign() <= 0:
				p.Add(at+".rate", "%s rate %s on %s must be above zero", c.Currency, c.Rate, day.Time)
			default:
				out = append(out, Rate{Date: date, Base: "EUR", Currency: c.Currency, Rate: d})
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, oms.Invalid("body", "holds no rates: no Cube with a time and currency rates")
	}
	return out, nil
}

// isCode reports whether s is three ASCII capital letters.
func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// clip shortens text quoted in an error message, not splitting a character.
func clip(s string) string {
	n := 32
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
