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

func sampleStockDelta() *stockRolls {
	s := newStockRolls()
	s.add(stockMove{item: 7, location: 2, kind: "receive", delta: 10, onHandAfter: 10, at: dayTime(20_000), cost: 250})
	s.add(stockMove{item: 7, location: 2, kind: "reserve", reservedDelta: 4, onHandAfter: 10, reservedAfter: 4, at: dayTime(20_001), cost: 250})
	s.add(stockMove{item: 7, location: 2, kind: "ship", delta: -4, reservedDelta: -4, onHandAfter: 6, at: dayTime(20_001), cost: 300})
	s.add(stockMove{item: 9, location: 1, kind: "reserve", reservedDelta: 1, onHandAfter: 1, reservedAfter: 1, at: dayTime(20_001)})
	return s
}

func TestStockDeltaEncoding(t *testing.T) {
	want := sampleStockDelta()
	b := want.encode()
	got := newStockRolls()
	if err := got.addEncoded(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.rows, want.rows) {
		t.Errorf("decoded %v\nwant %v", got.rows, want.rows)
	}
	first, _ := monthSpan(20_000)
	if m := got.rows[stockKey{7, 2, spanMonth, first}]; len(got.rows) != 4 || m == nil ||
		m.net != 6 || m.shipped != 4 || m.cogs != 1200 || m.onHand != 6 || m.cost != 300 {
		t.Errorf("%d rows, item 7's month %+v", len(got.rows), m)
	}
	// Every truncation, and every trailing byte, is refused.
	for i := range len(b) {
		if err := newStockRolls().addEncoded(b[:i]); err == nil {
			t.Errorf("decoded the first %d of %d bytes", i, len(b))
		}
	}
	if err := newStockRolls().addEncoded(append(b, 0)); err == nil {
		t.Error("decoded a trailing byte")
	}
	// Added twice, the sums double and the levels are the later delta's.
	later := newStockRolls()
	later.add(stockMove{item: 9, location: 1, kind: "release", reservedDelta: -1, onHandAfter: 1, at: dayTime(20_001), cost: 5})
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(got.addEncoded(b))
	must(got.addEncoded(later.encode()))
	r := got.rows[stockKey{7, 2, spanDay, 20_001}]
	if r.shipped != 8 || r.cogs != 2400 || r.net != -8 || r.onHand != 6 || r.cost != 300 {
		t.Errorf("item 7 on day 20,001: %+v", r)
	}
	if r := got.rows[stockKey{9, 1, spanDay, 20_001}]; r.reserved != 0 || r.cost != 5 || r.onHand != 1 {
		t.Errorf("item 9 after its release: %+v", r)
	}
}

func FuzzDecodeStockDelta(f *testing.F) {
	f.Add(sampleStockDelta().encode())
	f.Add([]byte{stockDeltaFormat, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		d := newStockRolls()
		if err := d.addEncoded(b); err != nil {
			return
		}
		again := newStockRolls()
		if err := again.addEncoded(d.encode()); err != nil {
			t.Fatalf("re-encoding %x fails: %v", b, err)
		}
		if !reflect.DeepEqual(again.rows, d.rows) {
			t.Fatalf("%x: decoded %v, then %v", b, d.rows, again.rows)
		}
	})
}
