package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// setupSites adds to the seeded database a store in Boston that ships and
// takes pickups, places east in New York and west in Los Angeles, and
// returns a draft shipping to Boston.
func setupSites(t *testing.T, db *store.DB) {
	t.Helper()
	for _, l := range []oms.Location{
		{Code: "east", Name: "East", Kind: "warehouse", CanShip: true, Priority: 1, Active: true, Latitude: ptr(40.71), Longitude: ptr(-74.0)},
		{Code: "west", Name: "West", Kind: "warehouse", CanShip: true, Priority: 2, Active: true, Latitude: ptr(34.05), Longitude: ptr(-118.24)},
		{Code: "bos", Name: "Boston store", Kind: "store", CanShip: true, CanPickup: true, Priority: 3, Active: true, Latitude: ptr(42.36), Longitude: ptr(-71.06)},
	} {
		must(t, put(db.PutLocation(ctx, &l, oms.System("test"))))
	}
}

func toBoston(channel, ext string, lines ...oms.LineDraft) *oms.OrderDraft {
	d := draft(channel, ext, lines...)
	d.ShipTo = &oms.Address{Line1: "1 Beacon St", City: "Boston", Country: "US", Latitude: ptr(42.35), Longitude: ptr(-71.07)}
	return d
}

func locations(o *oms.Order) []string {
	var out []string
	for _, a := range o.Allocations {
		if !slices.Contains(out, a.Location) {
			out = append(out, a.Location)
		}
	}
	slices.Sort(out)
	return out
}

func verdict(t *testing.T, d oms.Sourcing, code string) oms.SiteVerdict {
	t.Helper()
	for _, v := range d.Sites {
		if v.Location == code {
			return v
		}
	}
	t.Fatalf("no verdict for %s in %+v", code, d.Sites)
	return oms.SiteVerdict{}
}

func TestSourcingInPlacement(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		setupSites(t, db)
		receive(t, db, "A", "east", 10)
		receive(t, db, "A", "west", 10)
		receive(t, db, "B", "west", 10)
		receive(t, db, "A", "bos", 1)

		// One shipment from far-away west beats two from nearer locations.
		o, _, err := db.PlaceOrder(ctx, toBoston("web", "s1", line("A", 2), line("B", 1)), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[west]" {
			t.Errorf("order A+B sourced from %v, want [west]", got)
		}
		d, err := db.OrderSourcing(ctx, o.Number)
		must(t, err)
		if v := verdict(t, d, "west"); !v.Chosen || v.Allocated != 3 {
			t.Errorf("west verdict = %+v", v)
		}
		if v := verdict(t, d, "east"); v.Chosen || v.Reason == "" {
			t.Errorf("east verdict = %+v", v)
		}
		// Nearest wins between single locations: Boston has 1, New York 10.
		o, _, err = db.PlaceOrder(ctx, toBoston("web", "s2", line("A", 1)), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[bos]" {
			t.Errorf("1 A to Boston from %v, want [bos]", got)
		}
		o, _, err = db.PlaceOrder(ctx, toBoston("web", "s3", line("A", 1)), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[east]" {
			t.Errorf("next A to Boston from %v, want [east] (Boston is empty)", got)
		}
	})
}

func TestPickupOrders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		setupSites(t, db)
		receive(t, db, "A", "east", 10)
		receive(t, db, "A", "bos", 2)

		d := draft("b2b", "p1", line("A", 3))
		d.PickupLocation = "bos"
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[bos]" || o.Lines[0].Open != 1 || o.PickupLocation != "bos" {
			t.Errorf("pickup order: from %v, open %d, pickup %q", got, o.Lines[0].Open, o.PickupLocation)
		}
		// A rejecting channel refuses what the pickup store cannot fill, even
		// though a warehouse could.
		d = draft("web", "p2", line("A", 1))
		d.PickupLocation = "bos"
		_, _, err = db.PlaceOrder(ctx, d, oms.System("test"))
		wantCode(t, err, oms.EOUTOFSTOCK)
		// Pickup where there is no pickup is refused, naming the field.
		d = draft("web", "p3", line("A", 1))
		d.PickupLocation = "east"
		_, _, err = db.PlaceOrder(ctx, d, oms.System("test"))
		if e := wantCode(t, err, oms.EINVALID); e.Fields[0].Field != "pickup_location" {
			t.Errorf("fields = %+v", e.Fields)
		}
		got, err := db.Order(ctx, o.ID)
		must(t, err)
		if got.PickupLocation != "bos" {
			t.Errorf("stored pickup = %q", got.PickupLocation)
		}
	})
}

func TestSourcingRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		setupSites(t, db)
		receive(t, db, "A", "east", 3)
		receive(t, db, "A", "west", 3)
		// Cheap orders are not split: 4 units worth 40.00 under a 100.00 threshold.
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "b2b", Name: "B2B", Kind: "api", Currency: "USD",
			BackorderPolicy: oms.BackorderAccept, NoSplitBelow: 10_000}, oms.System("test"))))
		o, _, err := db.PlaceOrder(ctx, toBoston("b2b", "r1", line("A", 4)), oms.System("test"))
		must(t, err)
		if got := locations(o); len(got) != 1 || o.Lines[0].Open != 1 {
			t.Errorf("cheap order split over %v with %d open", got, o.Lines[0].Open)
		}
		// An inactive location, or one serving other channels, is never used.
		must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Name: "East", Kind: "warehouse", CanShip: true,
			Priority: 1, Active: false}, oms.System("test"))))
		must(t, put(db.PutLocation(ctx, &oms.Location{Code: "west", Name: "West", Kind: "warehouse", CanShip: true,
			Priority: 2, Active: true, Channels: []string{"b2b"}}, oms.System("test"))))
		_, _, err = db.PlaceOrder(ctx, draft("web", "r2", line("A", 1)), oms.System("test"))
		wantCode(t, err, oms.EOUTOFSTOCK)
		sim, err := db.SimulateSourcing(ctx, draft("web", "sim", line("A", 1)))
		must(t, err)
		if v := verdict(t, sim, "east"); v.Eligible || v.Reason != "inactive" {
			t.Errorf("east = %+v", v)
		}
		if v := verdict(t, sim, "west"); v.Eligible || v.Reason != "does not serve channel web" {
			t.Errorf("west = %+v", v)
		}
	})
}

func TestSimulateSourcingWritesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		setupSites(t, db)
		receive(t, db, "A", "east", 5)
		before, err := db.Counts(ctx)
		must(t, err)
		d, err := db.SimulateSourcing(ctx, toBoston("web", "x", line("A", 2)))
		must(t, err)
		if len(d.Placements) != 1 || d.Placements[0].Location != "east" || d.Summary == "" {
			t.Errorf("simulation = %+v", d)
		}
		_, err = db.SimulateSourcing(ctx, draft("web", "x", line("ZZ", 1)))
		wantCode(t, err, oms.EINVALID)
		after, err := db.Counts(ctx)
		must(t, err)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("simulation wrote rows: %v → %v", before, after)
		}
	})
}

// TestPostalCentroids places a ship-to address without coordinates by its
// postal code once centroids are loaded.
func TestPostalCentroids(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		setupSites(t, db)
		receive(t, db, "A", "east", 10)
		receive(t, db, "A", "west", 10)
		toNYC := func(ext string) *oms.OrderDraft {
			d := draft("web", ext, line("A", 1))
			d.ShipTo = &oms.Address{Line1: "350 5th Ave", City: "New York", PostalCode: "10118", Country: "US"}
			return d
		}
		// Without centroids the address sits at the middle of the country,
		// nearer Los Angeles.
		o, _, err := db.PlaceOrder(ctx, toNYC("c1"), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[west]" {
			t.Errorf("without centroids: %v", got)
		}
		must(t, db.PutPostalCentroids(ctx, []oms.PostalCentroid{
			{Country: "US", PostalCode: "101", Latitude: 40.75, Longitude: -73.99},
			{Country: "US", PostalCode: "900", Latitude: 33.97, Longitude: -118.25},
		}, oms.System("test")))
		o, _, err = db.PlaceOrder(ctx, toNYC("c2"), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[east]" {
			t.Errorf("with the 101 centroid: %v", got)
		}
		err = db.PutPostalCentroids(ctx, []oms.PostalCentroid{{Country: "usa", PostalCode: "", Latitude: 99}}, oms.System("test"))
		if e := wantCode(t, err, oms.EINVALID); len(e.Fields) != 3 {
			t.Errorf("fields = %+v", e.Fields)
		}
	})
}
