package reports

import (
	"reflect"
	"testing"
)

func sampleDelta() *rollupDelta {
	d := newDelta()
	d.sales[salesKey{day: 20_000, channel: 1, item: 7, location: -1, currency: "EUR"}] = salesVals{1, 2, 0, 0, 0, 0, 1999, -5, 28: 1 << 40}
	d.sales[salesKey{day: 20_001, channel: 2, currency: "JPY"}] = salesVals{19: 1}
	d.sales[salesKey{day: 20_002, channel: 2, currency: "USD"}] = salesVals{} // zero rows are left out
	d.cycles[cycleKey{day: 20_000, channel: 1, location: 3, kind: "s", hours: 54}] = -2
	d.returns[returnKey{day: 19_999, channel: 1, item: 7, reason: "damaged"}] = 3
	return d
}

func TestDeltaEncoding(t *testing.T) {
	d := sampleDelta()
	b := d.encode()
	got, err := decodeDelta(b)
	if err != nil {
		t.Fatal(err)
	}
	delete(d.sales, salesKey{day: 20_002, channel: 2, currency: "USD"})
	if !reflect.DeepEqual(got, d) {
		t.Errorf("decoded %+v\nwant %+v", got, d)
	}
	// Every truncation, and every trailing byte, is refused.
	for i := range len(b) {
		if _, err := decodeDelta(b[:i]); err == nil {
			t.Errorf("decoded the first %d of %d bytes", i, len(b))
		}
	}
	if _, err := decodeDelta(append(b, 0)); err == nil {
		t.Error("decoded a trailing byte")
	}
	if b := newDelta().encode(); b != nil {
		t.Errorf("an empty delta encodes to %x", b)
	}
}

func FuzzDecodeDelta(f *testing.F) {
	f.Add(sampleDelta().encode())
	f.Add([]byte{deltaFormat, 0, 0, 0})
	f.Add([]byte{deltaFormat, 1, 0x30, 0x30, 0x30, 0x30, 0, 0, 0, 0}) // a sales row with no measure
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeDelta(b)
		if err != nil {
			return
		}
		again, err := decodeDelta(d.encode())
		if err != nil && !d.empty() {
			t.Fatalf("re-encoding %x fails: %v", b, err)
		}
		if err == nil && !reflect.DeepEqual(again, d) {
			t.Fatalf("%x: decoded %+v, then %+v", b, d, again)
		}
	})
}
