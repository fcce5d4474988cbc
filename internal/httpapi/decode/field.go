package decode

import (
	"net/http"
	"time"

	"github.com/omshq/oms"
)

// RotationOverlap reads a secret rotation's body into req — optional, with
// its expires_in_seconds in *in — and returns how long the replaced secret
// keeps working: def when absent, 0 to most.
func RotationOverlap(r *http.Request, req any, in *Int, def, most time.Duration) (time.Duration, error) {
	if _, err := Optional(r, req, "keep the replaced secret working for the default time"); err != nil {
		return 0, err
	}
	if !in.Set() {
		return def, nil
	}
	var p oms.Problems
	n := in.Value(&p, "expires_in_seconds", false)
	if most := int64(most / time.Second); len(p) == 0 && (n < 0 || n > most) {
		p.Add("expires_in_seconds", "must be from 0 to %d (7 days)", most)
	}
	return time.Duration(n) * time.Second, p.Err()
}

// ParseTime reads an optional RFC 3339 time within the date bounds,
// recording a problem under field.
func ParseTime(p *oms.Problems, field, v string) *time.Time {
	if v == "" {
		return nil
	}
	t, ok := oms.ParseTime(p, field, v)
	if !ok {
		return nil
	}
	t = t.Truncate(time.Microsecond)
	return &t
}
