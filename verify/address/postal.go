package address

import (
	"regexp"
	"strings"
)

// postalFormat is how one country writes its postal codes.
type postalFormat struct {
	// pattern matches the code in upper case with spaces and hyphens removed.
	pattern *regexp.Regexp
	// example is shown in the message of a code that does not match.
	example string
	// space is where the normalised code has its space, counted from the
	// end (3 for "K1A 0B1" and "SW1A 1AA"); 0 for none.
	space int
}

// postalFormats are the countries whose postal codes are checked.
var postalFormats = map[string]postalFormat{
	// Canada: A9A 9A9; D, F, I, O, Q, U never appear, W and Z not first.
	"CA": {regexp.MustCompile(`^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$`), "K1A 0B1", 3},
	// United Kingdom: outward code (A9, A99, AA9, AA99, A9A, AA9A) and
	// inward code 9AA, or the Girobank's GIR 0AA.
	"GB": {regexp.MustCompile(`^(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])\d[ABD-HJLNP-UW-Z]{2}|GIR0AA)$`), "SW1A 1AA", 3},
	// Germany: five digits, 01001–99998.
	"DE": {regexp.MustCompile(`^(?:0[1-9]|[1-9]\d)\d{3}$`), "10115", 0},
	// France (with Corsica and the overseas departments): five digits, 01000–98999.
	"FR": {regexp.MustCompile(`^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$`), "75001", 0},
	// Australia: four digits; 0200–0299 and 0800–0999 below 1000.
	"AU": {regexp.MustCompile(`^(?:0[289]\d{2}|[1-9]\d{3})$`), "2000", 0},
}

// check reports whether code has the format f and returns it in
// standard form: upper case with the country's spacing.
func (f postalFormat) check(code string) (string, bool) {
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(code))
	if !f.pattern.MatchString(compact) {
		return code, false
	}
	if f.space > 0 {
		compact = compact[:len(compact)-f.space] + " " + compact[len(compact)-f.space:]
	}
	return compact, true
}

// countryAliases are the names and alpha-3 codes people type for the
// countries with checks.
var countryAliases = map[string]string{
	"USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US",
	"CAN": "CA", "CANADA": "CA",
	"UK": "GB", "GBR": "GB", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB",
	"DEU": "DE", "GERMANY": "DE", "DEUTSCHLAND": "DE",
	"FRA": "FR", "FRANCE": "FR",
	"AUS": "AU", "AUSTRALIA": "AU",
}

// countryCode returns the ISO code of country as entered.
func countryCode(country string) string {
	c := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(country, ".", "")), " "))
	if alias, ok := countryAliases[c]; ok {
		return alias
	}
	return c
}
