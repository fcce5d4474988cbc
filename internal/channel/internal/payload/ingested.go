package payload

import (
	"fmt"

	"github.com/omshq/oms"
)

// Result returns the order an adapter read, or the EINVALID error listing
// every problem it found: an order with a problem is never handed on.
func Result(in *oms.Ingested, p oms.Problems) (*oms.Ingested, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	return in, nil
}

// Note records something a person should know about the order: what the
// adapter had to decide, or what the draft cannot carry.
func Note(in *oms.Ingested, format string, args ...any) {
	in.Notes = append(in.Notes, fmt.Sprintf(format, args...))
}
