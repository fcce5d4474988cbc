package oms

// countryCentroids places a country at roughly its geographic centre, for a
// distance when an address has no coordinates. The figures are approximate
// (a degree or so): enough to tell a domestic shipment from an international
// one and near neighbours from far ones, not to route a van.
var countryCentroids = map[string]Point{
	"AE": {24.0, 54.0}, "AR": {-34.0, -64.0}, "AT": {47.5, 14.5}, "AU": {-25.0, 134.0},
	"BE": {50.6, 4.6}, "BG": {42.7, 25.5}, "BR": {-10.0, -52.0}, "CA": {56.0, -106.0},
	"CH": {46.8, 8.2}, "CL": {-33.0, -71.0}, "CN": {35.0, 103.0}, "CO": {4.0, -73.0},
	"CZ": {49.8, 15.5}, "DE": {51.2, 10.4}, "DK": {56.0, 10.0}, "EE": {58.7, 25.5},
	"EG": {26.8, 30.8}, "ES": {40.2, -3.6}, "FI": {64.0, 26.0}, "FR": {46.6, 2.4},
	"GB": {54.0, -2.5}, "GR": {39.1, 22.0}, "HK": {22.3, 114.2}, "HR": {45.1, 15.2},
	"HU": {47.2, 19.5}, "ID": {-2.5, 118.0}, "IE": {53.4, -8.2}, "IL": {31.0, 35.0},
	"IN": {22.0, 79.0}, "IS": {64.9, -18.6}, "IT": {42.8, 12.6}, "JP": {36.5, 138.0},
	"KR": {36.5, 127.8}, "KW": {29.3, 47.6}, "LT": {55.2, 23.9}, "LU": {49.8, 6.1},
	"LV": {56.9, 24.6}, "MA": {31.8, -7.1}, "MX": {23.6, -102.5}, "MY": {4.2, 102.0},
	"NG": {9.1, 8.7}, "NL": {52.2, 5.3}, "NO": {61.0, 9.0}, "NZ": {-41.5, 172.5},
	"PE": {-9.2, -75.0}, "PH": {12.9, 121.8}, "PK": {30.4, 69.3}, "PL": {52.0, 19.1},
	"PT": {39.6, -8.0}, "QA": {25.3, 51.2}, "RO": {45.9, 25.0}, "RS": {44.0, 20.9},
	"SA": {24.0, 45.0}, "SE": {62.0, 15.0}, "SG": {1.35, 103.8}, "SI": {46.1, 14.8},
	"SK": {48.7, 19.7}, "TH": {15.9, 101.0}, "TR": {39.0, 35.2}, "TW": {23.7, 121.0},
	"UA": {49.0, 31.5}, "US": {39.8, -98.6}, "VN": {16.0, 107.8}, "ZA": {-29.0, 24.7},
}

func countryCentroid(code string) (Point, bool) {
	p, ok := countryCentroids[code]
	return p, ok
}
