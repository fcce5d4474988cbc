package oms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

func TestReturnStatusMove(t *testing.T) {
	tests := []struct {
		from, to oms.ReturnStatus
		ok       bool
	}{
		{oms.ReturnRequested, oms.ReturnApproved, true},
		{oms.ReturnRequested, oms.ReturnRejected, true},
		{oms.ReturnApproved, oms.ReturnReceived, true},
		{oms.ReturnReceived, oms.ReturnClosed, true},
		{oms.ReturnRequested, oms.ReturnReceived, false},
		{oms.ReturnRequested, oms.ReturnClosed, false},
		{oms.ReturnApproved, oms.ReturnRejected, false},
		{oms.ReturnReceived, oms.ReturnApproved, false},
		{oms.ReturnClosed, oms.ReturnRequested, false},
		{oms.ReturnRejected, oms.ReturnApproved, false},
		{oms.ReturnApproved, oms.ReturnApproved, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"→"+string(tt.to), func(t *testing.T) {
			err := tt.from.Move(tt.to)
			if (err == nil) != tt.ok {
				t.Fatalf("Move = %v, want ok %v", err, tt.ok)
			}
			if err != nil && oms.ErrorCode(err) != oms.ECONFLICT {
				t.Errorf("code %s", oms.ErrorCode(err))
			}
		})
	}
}

func TestReturnRequestValidate(t *testing.T) {
	returnable := map[string]int64{"1001-1": 2, "1001-2": 0}
	ok := oms.ReturnLine{LineID: "1001-1", Quantity: 1, Reason: "damaged"}
	tests := []struct {
		name  string
		req   oms.ReturnRequest
		field string // "" when valid
	}{
		{"valid", oms.ReturnRequest{Lines: []oms.ReturnLine{ok}}, ""},
		{"valid with condition and exchange", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 2, Reason: "size_fit", Condition: "opened"}},
			Exchange: []oms.ExchangeLine{{SKU: "mug-L", Quantity: 1, UnitPrice: 1500}}}, ""},
		{"no lines", oms.ReturnRequest{}, "lines"},
		{"unknown line", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "9-9", Quantity: 1, Reason: "other"}}}, "lines[0].line_id"},
		{"more than shipped", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 3, Reason: "other"}}}, "lines[0].quantity"},
		{"nothing left", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-2", Quantity: 1, Reason: "other"}}}, "lines[0].quantity"},
		{"zero", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 0, Reason: "other"}}}, "lines[0].quantity"},
		{"twice", oms.ReturnRequest{Lines: []oms.ReturnLine{ok, ok}}, "lines[1].line_id"},
		{"bad reason", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 1, Reason: "bored"}}}, "lines[0].reason"},
		{"bad condition", oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 1, Reason: "other", Condition: "meh"}}}, "lines[0].condition"},
		{"comment too long", oms.ReturnRequest{Lines: []oms.ReturnLine{ok}, Comment: strings.Repeat("x", 2001)}, "comment"},
		{"exchange without sku", oms.ReturnRequest{Lines: []oms.ReturnLine{ok}, Exchange: []oms.ExchangeLine{{Quantity: 1}}}, "exchange[0].sku"},
		{"exchange negative price", oms.ReturnRequest{Lines: []oms.ReturnLine{ok}, Exchange: []oms.ExchangeLine{{SKU: "x", Quantity: 1, UnitPrice: -1}}}, "exchange[0].unit_price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate(oms.DefaultReturnReasons, returnable)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !hasField(err, tt.field) {
				t.Fatalf("error %v does not name %s", err, tt.field)
			}
		})
	}
}

func hasField(err error, field string) bool {
	e, ok := err.(*oms.Error)
	if !ok || e.Code != oms.EINVALID {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestCheckReceipts(t *testing.T) {
	r := &oms.Return{Lines: []oms.ReturnLine{{LineID: "1001-1", Quantity: 2}}}
	tests := []struct {
		name  string
		units []oms.Receipt
		field string
	}{
		{"restock and scrap", []oms.Receipt{{LineID: "1001-1", Quantity: 1, Condition: "new", Disposition: "restock", Location: "wh1"},
			{LineID: "1001-1", Quantity: 1, Condition: "damaged", Disposition: "scrap"}}, ""},
		{"fewer than asked", []oms.Receipt{{LineID: "1001-1", Quantity: 1, Condition: "used", Disposition: "scrap"}}, ""},
		{"none", nil, "units"},
		{"more than on the return", []oms.Receipt{{LineID: "1001-1", Quantity: 2, Condition: "new", Disposition: "scrap"},
			{LineID: "1001-1", Quantity: 1, Condition: "new", Disposition: "scrap"}}, "units[1].quantity"},
		{"line not on the return", []oms.Receipt{{LineID: "1001-2", Quantity: 1, Condition: "new", Disposition: "scrap"}}, "units[0].line_id"},
		{"restock without location", []oms.Receipt{{LineID: "1001-1", Quantity: 1, Condition: "new", Disposition: "restock"}}, "units[0].location"},
		{"unknown disposition", []oms.Receipt{{LineID: "1001-1", Quantity: 1, Condition: "new", Disposition: "sell"}}, "units[0].disposition"},
		{"unknown condition", []oms.Receipt{{LineID: "1001-1", Quantity: 1, Condition: "ok", Disposition: "scrap"}}, "units[0].condition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.CheckReceipts(tt.units)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else if !hasField(err, tt.field) {
				t.Fatalf("error %v does not name %s", err, tt.field)
			}
		})
	}
}

func TestReturnLink(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tok := oms.SignReturnLink(secret, "ord_A", now.Add(time.Hour))
	if id, err := oms.ParseReturnLink(secret, tok, now); err != nil || id != "ord_A" {
		t.Fatalf("parse = %q, %v", id, err)
	}
	other := oms.SignReturnLink(secret, "ord_B", now.Add(time.Hour))
	p, _, _ := strings.Cut(tok, ".")
	_, sigB, _ := strings.Cut(other, ".")
	_, sigA, _ := strings.Cut(tok, ".")
	pB, _, _ := strings.Cut(other, ".")
	for name, bad := range map[string]string{
		"expired":             tok,
		"other order's sig":   p + "." + sigB,
		"other order payload": pB + "." + sigA,
		"other secret":        oms.SignReturnLink([]byte("x"), "ord_A", now.Add(time.Hour)),
		"garbage":             "abc",
		"empty":               "",
		"flipped":             tok[:len(tok)-2] + "AA",
	} {
		at := now
		if name == "expired" {
			at = now.Add(time.Hour)
		}
		if id, err := oms.ParseReturnLink(secret, bad, at); err == nil || oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("%s: parsed %q, %v", name, id, err)
		}
	}
}
