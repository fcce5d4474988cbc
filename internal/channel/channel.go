// Package channel reads orders in the format of a channel's kind: it picks
// the adapter for the kind (Shopify, Amazon, eBay, WooCommerce, CSV) and,
// for bulk import, splits files into single orders with where each one is.
// Adapters are pure: bytes in, an order draft out.
package channel

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/amazon"
	"github.com/omshq/oms/internal/channel/csvorders"
	"github.com/omshq/oms/internal/channel/ebay"
	"github.com/omshq/oms/internal/channel/shopify"
	"github.com/omshq/oms/internal/channel/woocommerce"
)

// Native reports whether orders of the channel kind arrive in the channel's
// own format, read by an adapter; the other kinds (web, pos, api) send
// oms's own order JSON.
func Native(kind string) bool {
	switch kind {
	case "shopify", "amazon", "ebay", "woocommerce", "csv":
		return true
	}
	return false
}

// Parse reads one order in the format of the channel kind. For Amazon, whose
// API returns an order and its items separately, the body is the envelope
// {"order": <Order>, "order_items": [<OrderItem>…]}; for CSV it is a file
// holding exactly one order. It returns EINVALID naming each bad field, and
// EINVALID on "kind" for a kind without a native format.
func Parse(kind string, body []byte) (*oms.Ingested, error) {
	switch kind {
	case "shopify":
		return shopify.Parse(body)
	case "woocommerce":
		return woocommerce.Parse(body)
	case "ebay":
		return ebay.Parse(body)
	case "amazon":
		return amazon.Parse(body)
	case "csv":
		return parseOneCSV(body)
	}
	return nil, oms.Invalid("kind", "channels of kind %q take oms's own order JSON, not a channel format", kind)
}

func parseOneCSV(body []byte) (*oms.Ingested, error) {
	r, err := csvorders.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	in, _, err := r.Next()
	if errors.Is(err, io.EOF) {
		return nil, oms.Invalid("body", "the CSV holds no order")
	} else if err != nil {
		return nil, err
	}
	if _, _, err := r.Next(); !errors.Is(err, io.EOF) {
		return nil, oms.Invalid("body", "send one order per request; import files of many orders with oms import")
	}
	return in, nil
}

// Record is one order read from a file: the payload as the channel sent it,
// the order the adapter read from it or why it could not, and where it is.
type Record struct {
	File string
	Line int    // the line of the file the order starts on
	ID   string // the channel's order id, when known
	Raw  []byte
	In   *oms.Ingested
	Err  error
}

// Where names the record's place for a person: "file:line".
func (r Record) Where() string { return fmt.Sprintf("%s:%d", r.File, r.Line) }

// File is a file to read orders from.
type File struct {
	Name string
	Data []byte
}

// Read splits the files into orders of the channel kind, calling fn for each
// in file order; it stops at the first error fn returns. A JSON file holds
// one order, an array of orders, a channel's list response ({"orders": […]}),
// or orders one after another (JSON Lines). Amazon files are getOrders
// pages, getOrderItems responses or envelopes, in any mix: orders are paired
// with their items across all the files, and an order whose items no file
// holds is an error. A CSV file is in the documented CSV format.
func Read(kind string, files []File, fn func(Record) error) error {
	switch kind {
	case "csv":
		for _, f := range files {
			if err := readCSV(f, fn); err != nil {
				return err
			}
		}
		return nil
	case "amazon":
		return readAmazon(files, fn)
	case "shopify", "woocommerce", "ebay":
		for _, f := range files {
			if err := readJSON(kind, f, fn); err != nil {
				return err
			}
		}
		return nil
	}
	return oms.Invalid("channel", "channels of kind %q have no file format to import; use a channel of kind csv", kind)
}

func readCSV(f File, fn func(Record) error) error {
	r, err := csvorders.NewReader(bytes.NewReader(f.Data))
	if err != nil {
		return fn(Record{File: f.Name, Line: 1, Err: err})
	}
	for {
		in, pos, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		rec := Record{File: f.Name, Line: pos.FirstLine, In: in, Err: err, Raw: lines(f.Data, pos.FirstLine, pos.LastLine)}
		if in != nil {
			rec.ID = in.Draft.ExternalID
		} else {
			rec.ID = csvOrderID(rec.Raw)
		}
		if pos.FirstLine == 0 { // the file itself could not be read further
			return fn(Record{File: f.Name, Line: 1, Err: err})
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// csvOrderID is the order_id of the first row of an order's CSV, or "".
func csvOrderID(data []byte) string {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return ""
	}
	row, err := r.Read()
	if err != nil {
		return ""
	}
	for i, h := range head {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "order_id") && i < len(row) {
			return strings.TrimSpace(row[i])
		}
	}
	return ""
}

// lines returns the header and lines first to last (1-based) of a CSV file:
// the order's rows as a CSV file of their own.
func lines(data []byte, first, last int) []byte {
	var out bytes.Buffer
	n := 1
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		line := data
		if i >= 0 {
			line = data[:i+1]
		}
		if n == 1 || (n >= first && n <= last) {
			out.Write(line)
			if i < 0 {
				out.WriteByte('\n')
			}
		}
		if i < 0 || n >= last {
			break
		}
		data, n = data[i+1:], n+1
	}
	return out.Bytes()
}

// value is one JSON value of a file and the line it starts on.
type value struct {
	raw  json.RawMessage
	off  int // byte offset in the file
	line int
}

// values splits a JSON file into its top-level values, the elements of a
// top-level array, or the elements of the array under key (when the object
// has it) — the order bodies of the file.
func values(f File, keys ...string) ([]value, error) {
	if !utf8.Valid(f.Data) {
		return nil, oms.Invalid("body", "the file is not UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(f.Data))
	var out []value
	for {
		start := skipSpace(f.Data, int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return out, oms.Invalid("body", "line %d: the JSON could not be read: %v", lineAt(f.Data, start), err)
		}
		line := lineAt(f.Data, start)
		switch raw[0] {
		case '[':
			out = append(out, elements(f.Data, start, raw)...)
		case '{':
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(raw, &obj); err != nil {
				return out, oms.Invalid("body", "line %d: %v", line, err)
			}
			listed := false
			for _, k := range keys {
				if list, ok := obj[k]; ok && len(list) > 0 && list[0] == '[' {
					off := start + bytes.Index(raw, list)
					out = append(out, elements(f.Data, off, list)...)
					listed = true
					break
				}
			}
			if !listed {
				out = append(out, value{raw, start, line})
			}
		default:
			return out, oms.Invalid("body", "line %d: expected an order object or an array of orders", line)
		}
	}
	return out, nil
}

// elements returns the elements of the JSON array raw, which starts at
// offset off of data.
func elements(data []byte, off int, raw json.RawMessage) []value {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return []value{{raw, off, lineAt(data, off)}}
	}
	out := make([]value, 0, len(elems))
	pos := off
	for _, e := range elems {
		// Unmarshal copies each element verbatim, so it is found in order.
		if i := bytes.Index(data[pos:], e); i >= 0 {
			pos += i
		}
		out = append(out, value{e, pos, lineAt(data, pos)})
		pos += len(e)
	}
	return out
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int) int {
	return bytes.Count(data[:min(off, len(data))], []byte{'\n'}) + 1
}

// readJSON reads the orders of a Shopify, WooCommerce or eBay file.
func readJSON(kind string, f File, fn func(Record) error) error {
	vs, err := values(f, "orders")
	for _, v := range vs {
		body := []byte(v.raw)
		if kind == "shopify" { // the Admin API's single-order answer wraps it
			var wrapped struct {
				Order json.RawMessage `json:"order"`
			}
			if json.Unmarshal(body, &wrapped) == nil && len(wrapped.Order) > 0 && wrapped.Order[0] == '{' {
				body = wrapped.Order
			}
		}
		in, perr := Parse(kind, body)
		rec := Record{File: f.Name, Line: v.line, Raw: body, In: in, Err: perr}
		if in != nil {
			rec.ID = in.Draft.ExternalID
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err != nil {
		return fn(Record{File: f.Name, Line: 1, Err: err})
	}
	return nil
}

// readAmazon pairs the orders of getOrders pages with the items of
// getOrderItems responses across the files; an envelope is an order with
// its items already.
func readAmazon(files []File, fn func(Record) error) error {
	type order struct {
		file string
		line int
		raw  json.RawMessage
		id   string
	}
	var orders []order
	items := map[string][]json.RawMessage{}
	var envelopes []Record
	for _, f := range files {
		vs, err := values(f)
		if err != nil {
			if err := fn(Record{File: f.Name, Line: 1, Err: err}); err != nil {
				return err
			}
		}
		for _, v := range vs {
			var probe struct {
				Payload *struct {
					Orders        json.RawMessage `json:"Orders"`
					AmazonOrderID string          `json:"AmazonOrderId"`
					OrderItems    json.RawMessage `json:"OrderItems"`
				} `json:"payload"`
				Order      json.RawMessage `json:"order"`
				OrderItems json.RawMessage `json:"order_items"`
			}
			if err := json.Unmarshal(v.raw, &probe); err != nil {
				if err := fn(Record{File: f.Name, Line: v.line, Err: oms.Invalid("body", "%v", err)}); err != nil {
					return err
				}
				continue
			}
			switch {
			case probe.Order != nil:
				in, err := amazon.Parse(v.raw)
				rec := Record{File: f.Name, Line: v.line, Raw: v.raw, In: in, Err: err}
				if in != nil {
					rec.ID = in.Draft.ExternalID
				}
				envelopes = append(envelopes, rec)
			case probe.Payload != nil && probe.Payload.Orders != nil:
				list := probe.Payload.Orders
				for _, o := range elements(f.Data, v.off+bytes.Index(v.raw, list), list) {
					var id struct {
						AmazonOrderID string `json:"AmazonOrderId"`
					}
					json.Unmarshal(o.raw, &id)
					orders = append(orders, order{f.Name, o.line, o.raw, id.AmazonOrderID})
				}
			case probe.Payload != nil && probe.Payload.OrderItems != nil:
				id, its, err := amazon.Items(v.raw)
				if err != nil {
					envelopes = append(envelopes, Record{File: f.Name, Line: v.line, Err: err})
					continue
				}
				items[id] = append(items[id], its...)
			default:
				envelopes = append(envelopes, Record{File: f.Name, Line: v.line, Err: oms.Invalid("body",
					"not a getOrders page, a getOrderItems response or an {\"order\", \"order_items\"} envelope")})
			}
		}
	}
	for _, o := range orders {
		rec := Record{File: o.file, Line: o.line, ID: o.id}
		its, ok := items[o.id]
		if !ok {
			rec.Err = oms.Invalid("order_items", "no getOrderItems response for order %s in these files", o.id)
		} else {
			rec.Raw = amazon.Envelope(o.raw, its)
			rec.In, rec.Err = amazon.Parse(rec.Raw)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	for _, rec := range envelopes {
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}
