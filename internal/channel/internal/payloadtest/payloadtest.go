package payloadtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

// fixtures is testdata/channels as seen from an adapter's package directory,
// where go test runs the adapter's tests.
const fixtures = "../../../testdata/channels/"

// Fixture returns the named file of testdata/channels.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Mutate returns the JSON object body changed by edit. It is decoded with
// UseNumber so that ids above 2^53 survive exactly.
func Mutate(t testing.TB, body []byte, edit func(o map[string]any)) []byte {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var o map[string]any
	if err := d.Decode(&o); err != nil {
		t.Fatal(err)
	}
	edit(o)
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Replace returns s with the first old replaced by with, failing the test
// if s has no old (the edit would silently test nothing).
func Replace(t testing.TB, s, old, with string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("the payload has no %q", old)
	}
	return strings.Replace(s, old, with, 1)
}

// HasNote reports whether one of the order's notes contains part.
func HasNote(in *oms.Ingested, part string) bool {
	return slices.ContainsFunc(in.Notes, func(n string) bool { return strings.Contains(n, part) })
}

// WantFields fails the test unless err is EINVALID naming exactly fields,
// in that order.
func WantFields(t testing.TB, err error, fields ...string) {
	t.Helper()
	if got := invalid(t, err); !slices.Equal(got, fields) {
		t.Errorf("fields = %q, want %q (%v)", got, fields, err)
	}
}

// WantFieldsAmong fails the test unless err is EINVALID naming each of
// fields, among any others.
func WantFieldsAmong(t testing.TB, err error, fields ...string) {
	t.Helper()
	got := invalid(t, err)
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Errorf("fields %q lack %q", got, f)
		}
	}
}

// invalid returns the fields err names, failing the test at once unless
// err is EINVALID.
func invalid(t testing.TB, err error) []string {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != oms.EINVALID {
		t.Fatalf("error = %v, want EINVALID", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	return got
}

// Placeable checks what the store will do with an adapter's output: the
// draft validates once given a channel, becomes an order, and its totals
// agree with those the channel stated — or, for an order whose tax oms
// computes, none are stated. It returns the order.
func Placeable(t testing.TB, in *oms.Ingested) *oms.Order {
	t.Helper()
	d := in.Draft
	d.Channel = "x"
	if err := d.Validate(); err != nil {
		t.Fatalf("%s: Validate: %v", d.ExternalID, err)
	}
	o, err := d.NewOrder(time.Now())
	if err != nil {
		t.Fatalf("%s: NewOrder: %v", d.ExternalID, err)
	}
	if notes := reconcile(in, o.Totals); len(notes) != 0 {
		t.Errorf("%s: Reconcile: %q", d.ExternalID, notes)
	}
	return o
}

// reconcile is what the store checks of an order's totals: nothing when the
// tax is oms's to compute (and then nothing may be stated), else Reconcile.
func reconcile(in *oms.Ingested, computed oms.Totals) []string {
	if in.Draft.ComputeTax {
		if in.Stated != (oms.Totals{}) {
			return []string{"totals are stated for an order whose tax oms computes"}
		}
		return nil
	}
	return in.Reconcile(computed)
}

// WantTimes fails the test unless the order was placed at placed, in UTC,
// and the channel's version of it is of updated.
func WantTimes(t testing.TB, in *oms.Ingested, placed, updated time.Time) {
	t.Helper()
	if d := in.Draft; !d.PlacedAt.Equal(placed) || d.PlacedAt.Location() != time.UTC {
		t.Errorf("PlacedAt = %v, want %v in UTC", d.PlacedAt, placed)
	}
	if !in.UpdatedAt.Equal(updated) {
		t.Errorf("UpdatedAt = %v, want %v", in.UpdatedAt, updated)
	}
}
