package csvorders

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/omshq/oms"
)

// Position is where an order is in the file: the first and last lines of its
// rows, 1-based, the header being line 1.
type Position struct {
	FirstLine, LastLine int
}

// Reader reads orders from a CSV file, one order per call to Next.
type Reader struct {
	csv    *csv.Reader
	col    map[string]int // column name → field index
	width  int            // fields in the header
	ahead  *record        // the first row of the next order, already read
	orphan int            // line of an unreadable row just before ahead, or 0
	seen   map[string]int // order ids read so far → first line
	err    error          // io.EOF or a read error: every later Next returns it
}

// record is one row of the file.
type record struct {
	fields      []string // trimmed values
	lines       []int    // the line each field starts on
	first, last int      // the lines the row spans
	bad         string   // why the row cannot be read; "" when it can
	badField    string   // the field to name for bad
	id          string   // its order_id
}

// maxRows is how many rows of one order are kept: one more than an order may
// have, to say it has too many.
const maxRows = oms.MaxLines + 1

// NewReader reads the header row of a CSV order file and returns a Reader for
// its orders. It returns an EINVALID error naming "header" when the file is
// empty or its header cannot be read, names an unknown column, names one
// twice or lacks a required one; and a wrapped error when r fails.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a row of the wrong width is reported by Next
	header, err := cr.Read()
	var perr *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, oms.Invalid("header", "line 1: the file is empty; it must start with a header row naming the columns")
	case errors.As(err, &perr):
		return nil, oms.Invalid("header", "line %d: the header row cannot be read as CSV: %v", perr.Line, perr.Err)
	case err != nil:
		return nil, fmt.Errorf("csvorders: reading the header: %w", err)
	}
	line, _ := cr.FieldPos(0)
	col, err := readHeader(header, line)
	if err != nil {
		return nil, err
	}
	return &Reader{csv: cr, col: col, width: len(header), seen: make(map[string]int)}, nil
}

// readHeader maps each column name of the header to its field index.
func readHeader(header []string, line int) (map[string]int, error) {
	known := make(map[string]bool, len(columns))
	for _, c := range columns {
		known[c.name] = true
	}
	var p oms.Problems
	col := make(map[string]int, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch _, dup := col[name]; {
		case !known[name]:
			p.Add("header", "line %d: unknown column %s; the columns are %s", line, quote(h), columnNames())
		case dup:
			p.Add("header", "line %d: column %s is named twice", line, quote(name))
		default:
			col[name] = i
		}
	}
	for _, c := range columns {
		if _, ok := col[c.name]; c.required && !ok {
			p.Add("header", "line %d: the required column %s is missing", line, c.name)
		}
	}
	return col, p.Err()
}

func columnNames() string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// Next returns the next order with the lines it spans. An order that is not
// valid is an EINVALID error naming each problem (see the package
// documentation), returned with its Position; the following call goes on
// with the next order. At the end of the file Next returns io.EOF; if the
// underlying reader fails, it returns that error, wrapped. After either,
// every call returns the same error.
func (r *Reader) Next() (*oms.Ingested, Position, error) {
	if r.err != nil {
		return nil, Position{}, r.err
	}
	g, err := r.group()
	if err != nil {
		r.err = err
		return nil, Position{}, err
	}
	pos := Position{g.first, g.last}
	in, err := r.build(g)
	if g.id != "" {
		if _, ok := r.seen[g.id]; !ok {
			r.seen[g.id] = g.first
		}
	}
	return in, pos, err
}

// group is the rows of one order.
type group struct {
	id          string
	rows        []*record // the first maxRows rows
	extra       int       // rows beyond those
	first, last int
	orphan      int // line of an unreadable row just before the order, or 0
}

func (g *group) add(rec *record) {
	if g.id == "" && rec.bad == "" {
		g.id = rec.id
	}
	if len(g.rows) == 0 {
		g.first = rec.first
	}
	g.last = max(g.last, rec.last)
	if len(g.rows) < maxRows {
		g.rows = append(g.rows, rec)
	} else {
		g.extra++
	}
}

// group reads the rows of the next order: rows up to the next readable row
// with another order_id, which is kept for the call after.
func (r *Reader) group() (*group, error) {
	rec := r.ahead
	if rec == nil {
		var err error
		if rec, err = r.read(); err != nil {
			return nil, err
		}
	}
	g := &group{orphan: r.orphan}
	r.ahead, r.orphan = nil, 0
	for {
		g.add(rec)
		lastBad := 0 // the line of rec if it cannot be read
		if rec.bad != "" {
			lastBad = rec.first
		}
		var err error
		rec, err = r.read()
		switch {
		case err == io.EOF:
			return g, nil
		case err != nil:
			return nil, err
		case rec.bad == "" && g.id != "" && rec.id != g.id:
			r.ahead, r.orphan = rec, lastBad
			return g, nil
		}
	}
}

// read returns the next row that is not blank, io.EOF at the end, or a read
// error. A row that cannot be read is returned with bad set.
func (r *Reader) read() (*record, error) {
	for {
		fields, err := r.csv.Read()
		var perr *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case errors.As(err, &perr):
			return &record{first: perr.StartLine, last: perr.Line, badField: fmt.Sprintf("row[%d]", perr.StartLine),
				bad: "cannot be read as CSV: " + perr.Err.Error()}, nil
		case err != nil:
			return nil, fmt.Errorf("csvorders: %w", err)
		}
		if rec := r.record(fields); rec != nil {
			return rec, nil
		}
	}
}

// record makes a row of the fields just read, or returns nil for a blank row.
func (r *Reader) record(fields []string) *record {
	rec := &record{fields: fields, lines: make([]int, len(fields))}
	blank := true
	for i := range fields {
		rec.lines[i], _ = r.csv.FieldPos(i)
		rec.last = rec.lines[i] + strings.Count(fields[i], "\n")
		fields[i] = clean(fields[i])
		blank = blank && fields[i] == ""
	}
	if blank {
		return nil
	}
	rec.first = rec.lines[0]
	if len(fields) != r.width {
		rec.badField = fmt.Sprintf("row[%d]", rec.first)
		rec.bad = fmt.Sprintf("has %d fields but the header has %d", len(fields), r.width)
		return rec
	}
	rec.id = fields[r.col[colOrderID]]
	if rec.id == "" {
		rec.badField = field(rec.line(r, colOrderID), colOrderID)
		rec.bad = "order_id is required"
	}
	return rec
}

// clean trims a value and turns each line break inside it (a quoted value
// typed over several lines), with the spaces around it, into one space.
func clean(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "\n") {
		return v
	}
	var parts []string
	for part := range strings.SplitSeq(v, "\n") {
		if part = strings.TrimSpace(part); part != "" {
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, " ")
}

// value returns the row's value in the named column, "" when the header
// lacks it.
func (rec *record) value(r *Reader, name string) string {
	if i, ok := r.col[name]; ok {
		return rec.fields[i]
	}
	return ""
}

// line returns the line on which the row's field in the named column starts,
// or the row's first line when the header lacks the column.
func (rec *record) line(r *Reader, name string) int {
	if i, ok := r.col[name]; ok {
		return rec.lines[i]
	}
	return rec.first
}

// field names a value in the file: row[7].quantity.
func field(line int, column string) string {
	return "row[" + strconv.Itoa(line) + "]." + column
}

// quote quotes s for a message, cut short (on a character boundary) if long.
func quote(s string) string {
	if n := 40; len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return strconv.Quote(s)
}
