package oms

// Placement is part of a line to be reserved at a location.
type Placement struct {
	// Line is the index of the line among the order's lines (from 0).
	// Deprecated in the API: read LineID. A simulated order has no line ids,
	// so there Line is the only reference to the draft's line.
	Line     int    `json:"line"`
	LineID   string `json:"line_id,omitempty"` // the line's id, as everywhere else in the API
	Location string `json:"location"`
	Quantity int64  `json:"quantity"`
}

// Plan is where each line's open units are to be reserved, how many stay
// open per line, and which SKUs are short.
type Plan struct {
	Placements []Placement `json:"placements"`
	Open       []int64     `json:"open"`
	Short      []Shortage  `json:"short,omitempty"`
}
