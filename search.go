package oms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search finds orders (and their customers) from one search box. Each order
// has a search document: the words of its number, external id, customer
// name and phone, the part of the email before the @, and tracking numbers
// — lower case, split at anything that is not a letter or digit — with a
// phone's digits and the whole email's letters and digits also as one word
// each. Both engines index exactly these words, so they agree on what
// matches. A query with an @ is an email: one word, matched whole or as the
// start of one.
//
// Results come in tiers, each newest first: exact matches of a whole field
// (order number, external id, tracking number, email, phone, a channel's
// customer id), then orders whose document holds every word of the query,
// then those where the last word is only the start of a word.

// Limits on a search query.
const (
	MaxSearchQuery    = 200 // bytes of q
	MaxSearchWords    = 8   // words a query is split into
	MinSearchPrefix   = 3   // characters the last word needs to match as a prefix
	DefaultSearchSize = 20
	MaxSearchSize     = 100
)

// Match says how a search result matched: the tiers, best first.
type Match string

// The match tiers.
const (
	MatchExact  Match = "exact"  // a whole field equals the query
	MatchWords  Match = "words"  // every word of the query is a word of the order
	MatchPrefix Match = "prefix" // and the last one only starts a word
)

// Matches lists the tiers, best first.
var Matches = []Match{MatchExact, MatchWords, MatchPrefix}

// What a search result is.
const (
	ResultOrder    = "order"
	ResultCustomer = "customer"
)

// ResultTypes lists what a search result may be.
var ResultTypes = []string{ResultOrder, ResultCustomer}

// SearchQuery is a validated search box entry.
type SearchQuery struct {
	Text  string   // trimmed, as typed: for the exact lookups
	Words []string // its search words
}

// ParseSearch validates the search box entry q: 1 to MaxSearchQuery bytes
// of printable text that is not blank. It returns EINVALID naming the field
// "q".
func ParseSearch(q string) (SearchQuery, error) {
	t := strings.TrimSpace(q)
	switch {
	case t == "":
		return SearchQuery{}, Invalid("q", "is required: what to search for")
	case len(q) > MaxSearchQuery:
		return SearchQuery{}, Invalid("q", "must be at most %d bytes", MaxSearchQuery)
	case !utf8.ValidString(q) || !printable(q):
		return SearchQuery{}, Invalid("q", "must be printable text")
	}
	words := SearchWords(t)
	if strings.Contains(t, "@") {
		words = []string{emailWord(t)} // all of it, or as far as typed
	}
	if len(words) > MaxSearchWords {
		words = words[:MaxSearchWords]
	}
	return SearchQuery{Text: t, Words: words}, nil
}

// Identifier reports whether the entry reads as an identifier rather than
// words: one token holding a digit or an @ (an order number, external id,
// tracking number, email). Its exact matches, when there are any, are the
// whole answer: words and prefixes would only add near misses.
func (q SearchQuery) Identifier() bool {
	return !strings.ContainsAny(q.Text, " \t") && strings.ContainsAny(q.Text, "0123456789@")
}

// Prefix reports whether the last word is long enough to match as the
// start of a word.
func (q SearchQuery) Prefix() bool {
	return len(q.Words) > 0 && utf8.RuneCountInString(q.Words[len(q.Words)-1]) >= MinSearchPrefix
}

// SearchWords splits s into search words: runs of letters and digits,
// lower case.
func SearchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// SearchDocument is the search document of an order: its distinct search
// words, space-separated.
func SearchDocument(number, externalID string, c Customer, tracking []string) string {
	local, _, _ := strings.Cut(c.Email, "@")
	fields := append([]string{number, externalID, local, c.Name, c.Phone}, tracking...)
	var words []string
	seen := make(map[string]bool)
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, f := range fields {
		for _, w := range SearchWords(f) {
			add(w)
		}
	}
	add(phoneDigits(c.Phone))
	add(emailWord(c.Email))
	return strings.Join(words, " ")
}

// emailWord is an email address as one word, its letters and digits: the
// words of its domain ("example", "com") would match nearly every order.
func emailWord(email string) string {
	return strings.Join(SearchWords(email), "")
}

// phoneDigits is the digits of a phone number as one word, so that
// "+1 (555) 010-0199" is found as 15550100199.
func phoneDigits(phone string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
}

// SearchResult is one thing a search found: an order or a customer, and how
// it matched.
type SearchResult struct {
	Type     string          `json:"type"` // ResultOrder or ResultCustomer
	Match    Match           `json:"match"`
	Order    *OrderSummary   `json:"order,omitempty"`
	Customer *CustomerRecord `json:"customer,omitempty"`
}
