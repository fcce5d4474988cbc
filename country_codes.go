package oms

// iso3166 holds every officially assigned ISO 3166-1 alpha-2 code (249 of
// them), space-separated. User-assigned codes (AA, QM–QZ, XA–XZ, ZZ; so also
// XK, which some use for Kosovo) and reserved ones (EU, UK) are not countries
// here.
const iso3166 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW"

// ValidCountry reports whether code is an officially assigned ISO 3166-1
// alpha-2 country code, written in capitals: "DE" is, "de", "XX" and "UK"
// are not.
func ValidCountry(code string) bool {
	if len(code) != 2 || !isLetters(code) {
		return false
	}
	for i := 0; i+2 <= len(iso3166); i += 3 { // "AD " is three bytes
		if iso3166[i:i+2] == code {
			return true
		}
	}
	return false
}
