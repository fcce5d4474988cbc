package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/omshq/oms"
)

// product is a line of goods sold in variants; prices and costs are USD
// cents.
type product struct {
	code, name      string
	cost, price     int64
	variants        []string
	hs, origin      string
	stockLow, stock int64 // units per warehouse at the start: from stockLow to stock
}

var products = []product{
	{"TEE", "Organic Cotton Tee", 620, 2400, []string{"XS", "S", "M", "L", "XL", "2XL", "BLK-M", "BLK-L"}, "610910", "PT", 40, 220},
	{"HOOD", "Fleece Hoodie", 1850, 6400, []string{"S", "M", "L", "XL", "GRY-S", "GRY-M", "GRY-L", "GRY-XL"}, "611020", "PT", 20, 120},
	{"BEANIE", "Merino Beanie", 900, 3200, []string{"CHR", "NAV", "RST", "OLV", "BLK", "CRM", "MST", "TEA"}, "650500", "GB", 10, 90},
	{"SOCK", "Trail Socks 2-pack", 380, 1600, []string{"S", "M", "L", "XL", "WOOL-S", "WOOL-M", "WOOL-L", "WOOL-XL"}, "611595", "TR", 60, 300},
	{"CAP", "Canvas Cap", 540, 2800, []string{"KHK", "NAV", "BLK", "OLV", "SND", "RED", "GRN", "CRM"}, "650500", "VN", 20, 120},
	{"MUG", "Stoneware Mug", 310, 1800, []string{"WHT", "BLK", "SAGE", "SAND", "BLUE", "RUST", "SET2", "SET4"}, "691200", "PT", 40, 260},
	{"BOTTLE", "Insulated Bottle", 820, 3400, []string{"500-STL", "500-BLK", "500-SAGE", "750-STL", "750-BLK", "750-SAGE", "1L-STL", "1L-BLK"}, "732393", "CN", 30, 200},
	{"KNIFE", "Chef Knife", 2400, 8900, []string{"15CM", "20CM", "23CM", "SANT", "PARING", "BREAD", "SET3", "ROLL"}, "821191", "DE", 5, 60},
	{"BOARD", "Walnut Cutting Board", 1900, 5900, []string{"S", "M", "L", "XL", "ROUND", "SERVE", "MAPLE-M", "MAPLE-L"}, "441990", "US", 10, 80},
	{"CABLE", "USB-C Cable", 180, 1400, []string{"1M-BLK", "1M-WHT", "2M-BLK", "2M-WHT", "3M-BLK", "BRAID-1M", "BRAID-2M", "3PK"}, "854442", "CN", 80, 400},
	{"CHGR", "GaN Charger", 1300, 4500, []string{"30W-US", "45W-US", "65W-US", "100W-US", "30W-EU", "65W-EU", "30W-UK", "65W-UK"}, "850440", "CN", 20, 150},
	{"KB", "Mechanical Keyboard", 4200, 12900, []string{"US-BRN", "US-RED", "US-BLU", "DE-BRN", "DE-RED", "UK-BRN", "TKL-US", "TKL-DE"}, "847160", "CN", 5, 50},
	{"MOUSE", "Wireless Mouse", 1100, 3900, []string{"BLK", "WHT", "GRY", "ERGO-BLK", "ERGO-WHT", "MINI-BLK", "MINI-PNK", "TRAVEL"}, "847160", "CN", 20, 140},
	{"DESK", "Desk Mat", 650, 2900, []string{"S-GRY", "M-GRY", "L-GRY", "S-BLK", "M-BLK", "L-BLK", "FELT-M", "FELT-L"}, "392690", "CN", 20, 130},
	{"LAMP", "Desk Lamp", 2100, 6900, []string{"BLK", "WHT", "BRASS", "OAK", "CLIP-BLK", "CLIP-WHT", "LED-BLK", "LED-WHT"}, "940520", "CN", 8, 70},
	{"NOTE", "Dot Grid Notebook", 240, 1500, []string{"A5-BLK", "A5-NAV", "A5-RED", "A4-BLK", "A4-NAV", "POCKET", "3PK", "SOFT"}, "482010", "IT", 60, 300},
	{"PEN", "Brass Pen", 700, 3200, []string{"BRASS", "COPPER", "STEEL", "BLK", "REFILL-BLK", "REFILL-BLU", "SET", "MINI"}, "960810", "JP", 30, 160},
	{"BAG", "Waxed Tote", 1500, 5800, []string{"OLV", "NAV", "BLK", "TAN", "XL-OLV", "XL-BLK", "MINI-TAN", "MINI-BLK"}, "420292", "GB", 10, 90},
	{"PACK", "Roll-top Backpack", 3300, 11900, []string{"20L-BLK", "20L-OLV", "20L-NAV", "28L-BLK", "28L-OLV", "28L-NAV", "SLING-BLK", "SLING-OLV"}, "420292", "VN", 5, 60},
	{"TOWEL", "Linen Towel", 520, 2200, []string{"WHT", "SAND", "SAGE", "RUST", "CHK", "SET2", "BATH", "HAND"}, "630291", "LT", 30, 180},
	{"CANDLE", "Soy Candle", 430, 2400, []string{"CEDAR", "FIG", "SEA", "PINE", "AMBER", "TEA", "LARGE", "TRAVEL"}, "340600", "US", 30, 180},
	{"PLANT", "Ceramic Planter", 880, 3600, []string{"S-WHT", "M-WHT", "L-WHT", "S-TERRA", "M-TERRA", "L-TERRA", "HANG", "STAND"}, "691390", "PT", 10, 90},
	{"DRILL", "Cordless Drill", 5200, 14900, []string{"KIT", "BARE", "PRO-KIT", "PRO-BARE", "BATT-2AH", "BATT-4AH", "CHARGER", "CASE"}, "846721", "DE", 5, 40},
	{"BIT", "Drill Bit Set", 900, 3400, []string{"HSS-19", "HSS-25", "MASON-5", "WOOD-7", "SDS-5", "MIX-35", "STEP-3", "HEX-10"}, "820750", "DE", 20, 140},
	{"GLOVE", "Work Gloves", 350, 1900, []string{"S", "M", "L", "XL", "WINT-M", "WINT-L", "NITR-M", "NITR-L"}, "611693", "PK", 40, 220},
}

// item is one SKU of the demo catalog.
type item struct {
	sku         string
	cost, price int64
	stockLow    int64
	stock       int64
}

// catalog builds the items: every variant of every product.
func catalog() ([]oms.Item, []item) {
	var out []oms.Item
	var its []item
	for _, p := range products {
		for i, v := range p.variants {
			sku := p.code + "-" + v
			// Variants cost and sell a little differently from one another.
			cost := p.cost + int64(i)*p.cost/40
			price := roundPrice(p.price + int64(i)*p.price/40)
			out = append(out, oms.Item{SKU: sku, Name: p.name + " — " + v, UnitCost: cost, Currency: "USD",
				Barcode: fmt.Sprintf("0%011d", 4_000_000_000+len(out)*7919), HSCode: p.hs, CountryOfOrigin: p.origin})
			its = append(its, item{sku: sku, cost: cost, price: price, stockLow: p.stockLow, stock: p.stock})
		}
	}
	return out, its
}

// roundPrice ends a price in .99 (or .00 for whole currencies' sake).
func roundPrice(cents int64) int64 {
	if cents < 100 {
		return 99
	}
	return cents/100*100 - 1
}

// place is a city orders ship to.
type place struct {
	city, region, postal, country string
	lat, lon                      float64
}

var usPlaces = []place{
	{"New York", "NY", "10001", "US", 40.75, -73.99}, {"Brooklyn", "NY", "11201", "US", 40.69, -73.99},
	{"Boston", "MA", "02108", "US", 42.36, -71.06}, {"Philadelphia", "PA", "19103", "US", 39.95, -75.17},
	{"Washington", "DC", "20001", "US", 38.91, -77.02}, {"Atlanta", "GA", "30303", "US", 33.75, -84.39},
	{"Miami", "FL", "33130", "US", 25.77, -80.20}, {"Chicago", "IL", "60601", "US", 41.89, -87.62},
	{"Detroit", "MI", "48226", "US", 42.33, -83.05}, {"Minneapolis", "MN", "55401", "US", 44.98, -93.27},
	{"Dallas", "TX", "75201", "US", 32.79, -96.80}, {"Austin", "TX", "78701", "US", 30.27, -97.74},
	{"Houston", "TX", "77002", "US", 29.76, -95.37}, {"Denver", "CO", "80202", "US", 39.75, -104.99},
	{"Phoenix", "AZ", "85004", "US", 33.45, -112.07}, {"Salt Lake City", "UT", "84101", "US", 40.76, -111.89},
	{"Las Vegas", "NV", "89101", "US", 36.17, -115.14}, {"Los Angeles", "CA", "90012", "US", 34.05, -118.24},
	{"San Diego", "CA", "92101", "US", 32.72, -117.16}, {"San Francisco", "CA", "94103", "US", 37.77, -122.41},
	{"Oakland", "CA", "94612", "US", 37.80, -122.27}, {"Portland", "OR", "97204", "US", 45.52, -122.68},
	{"Seattle", "WA", "98101", "US", 47.61, -122.33}, {"Nashville", "TN", "37203", "US", 36.16, -86.78},
}

var euPlaces = []place{
	{"Berlin", "", "10115", "DE", 52.53, 13.38}, {"Hamburg", "", "20095", "DE", 53.55, 10.00},
	{"München", "", "80331", "DE", 48.14, 11.57}, {"Köln", "", "50667", "DE", 50.94, 6.96},
	{"Paris", "", "75002", "FR", 48.87, 2.34}, {"Lyon", "", "69002", "FR", 45.76, 4.83},
	{"Amsterdam", "", "1012 AB", "NL", 52.37, 4.89}, {"Wien", "", "1010", "AT", 48.21, 16.37},
}

var gbPlaces = []place{
	{"London", "", "EC1A 1BB", "GB", 51.52, -0.10}, {"Manchester", "", "M1 1AE", "GB", 53.48, -2.24},
	{"Leeds", "", "LS1 4DY", "GB", 53.80, -1.55}, {"Bristol", "", "BS1 4DJ", "GB", 51.45, -2.59},
	{"Edinburgh", "", "EH1 1YZ", "GB", 55.95, -3.19},
}

var (
	firstNames = []string{"Ann", "Ben", "Chloe", "David", "Emma", "Farah", "George", "Hana", "Ivan", "Julia", "Kofi",
		"Lena", "Marco", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wei", "Xena",
		"Yusuf", "Zoe", "Liam", "Mia", "Noah", "Olivia", "Lucas", "Sofia"}
	lastNames = []string{"Lee", "Smith", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Nakamura", "Okafor",
		"Patel", "Silva", "Jensen", "Novak", "Cohen", "Brown", "Khan", "Murphy", "Schmidt", "Martin", "Wong"}
	streets = []string{"Elm St", "Main St", "Oak Ave", "Park Rd", "High St", "Mill Lane", "Church Rd", "Station Rd",
		"Lindenstraße", "Rue de la Paix", "Kerkstraat", "Victoria Rd"}
)

// customer is a shopper of the demo, who may come back.
type customer struct {
	name, email, phone string
	home               place
	street             string
}

// customers makes n shoppers living in the places.
func customers(r *rand.Rand, n int, places []place, domain string) []customer {
	out := make([]customer, n)
	for i := range out {
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		out[i] = customer{
			name:   first + " " + last,
			email:  fmt.Sprintf("%s.%s%d@%s", lower(first), lower(last), i, domain),
			phone:  fmt.Sprintf("+1 555 %04d", r.IntN(10000)),
			home:   places[r.IntN(len(places))],
			street: fmt.Sprintf("%d %s", 1+r.IntN(400), streets[r.IntN(len(streets))]),
		}
	}
	return out
}

// lower folds ASCII letters and drops what an email would not hold.
func lower(s string) string {
	b := make([]byte, 0, len(s))
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		}
	}
	return string(b)
}

func (c customer) address() *oms.Address {
	lat, lon := c.home.lat, c.home.lon
	return &oms.Address{Name: c.name, Line1: c.street, City: c.home.city, Region: c.home.region,
		PostalCode: c.home.postal, Country: c.home.country, Latitude: &lat, Longitude: &lon}
}
