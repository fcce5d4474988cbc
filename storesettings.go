package oms

import "strings"

// StoreSettings are how the business presents itself to its customers:
// the name on the pages they see without signing in (the return page).
type StoreSettings struct {
	// Name is the store's name; empty: each page shows the name of the
	// channel the customer's order came from.
	Name string `json:"name"`
}

// Validate checks the settings and returns EINVALID naming a bad field.
func (s *StoreSettings) Validate() error {
	var p Problems
	if s.Name != strings.TrimSpace(s.Name) || len(s.Name) > 200 || !printable(s.Name) {
		p.Add("name", "must be printable text of at most 200 bytes without surrounding spaces")
	}
	return p.Err()
}
