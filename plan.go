package oms

// Placement is part of a line to be reserved at a location.
type Placement struct {
	Line     int    `json:"line"` // index into the order's lines
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
