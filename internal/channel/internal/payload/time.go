package payload

import (
	"time"

	"github.com/omshq/oms"
)

// RequiredTime parses the ISO 8601 time with offset at path and returns it
// in UTC. An empty one is a problem "is required"; one that does not parse,
// or falls outside the years 2000 to 9999, is a problem whose message shows
// example, a time as the channel writes it. After a problem it returns the
// zero time.
func RequiredTime(p *oms.Problems, path, s, example string) time.Time {
	if s == "" {
		p.Add(path, "is required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.UTC().Year() < 2000 || t.UTC().Year() > 9999 {
		p.Add(path, "must be an ISO 8601 time between the years 2000 and 9999, such as %s", example)
		return time.Time{}
	}
	return t.UTC()
}
