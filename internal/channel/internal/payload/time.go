package payload

import (
	"time"

	"github.com/omshq/oms"
)

// RequiredTime parses the ISO 8601 time with offset at path and returns it
// in UTC. An empty one is a problem "is required"; one that does not parse,
// or falls outside 2000-01-01 to oms.LastDate, is a problem whose message shows
// example, a time as the channel writes it. After a problem it returns the
// zero time.
func RequiredTime(p *oms.Problems, path, s, example string) time.Time {
	if s == "" {
		p.Add(path, "is required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.UTC().Year() < 2000 || !oms.InDateBounds(t) {
		p.Add(path, "must be an ISO 8601 time from 2000-01-01 to %s, such as %s", oms.LastDate, example)
		return time.Time{}
	}
	return t.UTC()
}
