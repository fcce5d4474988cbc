package oms

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// What placed the two ends of a distance, from the most exact to the
// roughest.
const (
	BasisCoordinates = "coordinates" // both ends by their own coordinates
	BasisPostalCode  = "postal_code" // the destination at its postal code's centroid
	BasisCountry     = "country"     // an end at its country's centroid
)

// distance is how far a site is from the request's destination.
type distance struct {
	km    float64 // NaN when either end cannot be placed
	basis string  // the roughest placing of either end
	note  string  // for an approximate figure, where it is measured from and why
}

// distance is the great-circle distance from the site to the destination,
// each end placed by its coordinates or, failing those, by a centroid.
func (req SourcingRequest) distance(site Site) distance {
	d := distance{km: math.NaN()}
	from, to := site.Point, req.ShipTo
	var centroids, missing []string
	if from == nil {
		c, ok := countryCentroid(site.Country)
		if !ok {
			return d
		}
		from = &c
		centroids = append(centroids, site.Country)
		missing = append(missing, "location "+site.Code)
	}
	basis := BasisCoordinates
	switch {
	case to == nil:
		c, ok := countryCentroid(req.ShipCountry)
		if !ok {
			return d
		}
		to = &c
		centroids = append([]string{req.ShipCountry}, centroids...)
		missing = append([]string{req.destination()}, missing...)
	case req.ShipToBasis == BasisPostalCode:
		basis = BasisPostalCode
		centroids = append([]string{"its postal code"}, centroids...)
		missing = append([]string{req.destination()}, missing...)
	}
	if site.Point == nil || req.ShipTo == nil {
		basis = BasisCountry
	}
	d.km, d.basis = haversine(*from, *to), basis
	if len(centroids) > 0 {
		what := "the centroid of "
		if len(centroids) > 1 {
			what = "the centroids of "
		}
		d.note = fmt.Sprintf("from %s%s; no coordinates for %s", what, strings.Join(centroids, " and "), strings.Join(missing, " or "))
	}
	return d
}

// destination names where the request's units go, for an explanation.
func (req SourcingRequest) destination() string {
	if req.transferTo != "" {
		return "store " + req.transferTo
	}
	return "the address"
}

// away says how far the site is from the destination: to 0.1 km when both
// ends have coordinates, else "about" a whole figure and why.
func (req SourcingRequest) away(site Site, dist float64) string {
	d := req.distance(site)
	if d.note == "" {
		return km(dist, 1) + " away"
	}
	return fmt.Sprintf("about %s away (%s)", km(dist, 0), d.note)
}

// haversine is the great-circle distance in km.
func haversine(a, b Point) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// km writes a distance with the decimals and thousands separated: "2,070.5 km".
func km(d float64, decimals int) string {
	s := strconv.FormatFloat(d, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String() + " km"
}

// units is "1 unit" or "n units".
func units(n int64) string { return count(n, "unit", "units") }

// shipments is "1 shipment" or "n shipments".
func shipments(n int) string { return count(int64(n), "shipment", "shipments") }

// wait is "1 unit waits" or "n units wait".
func wait(n int64) string {
	if n == 1 {
		return "1 unit waits"
	}
	return units(n) + " wait"
}

func count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
