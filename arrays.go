package oms

import "encoding/json"

// The types below answer a list that holds nothing as [] and a map as {},
// never null, whichever code path built them (a decision read back from an
// event, an order placed with nothing reserved): the OpenAPI document
// promises arrays and objects, and clients iterate them without a check.

// MarshalJSON writes the decision with its lists as arrays.
func (s Sourcing) MarshalJSON() ([]byte, error) {
	type plain Sourcing
	s.Placements, s.Open, s.Sites = orEmpty(s.Placements), orEmpty(s.Open), orEmpty(s.Sites)
	return json.Marshal(plain(s))
}

// MarshalJSON writes the rules with max_total as an object.
func (s Screening) MarshalJSON() ([]byte, error) {
	type plain Screening
	if s.MaxTotal == nil {
		s.MaxTotal = map[string]int64{}
	}
	return json.Marshal(plain(s))
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
