package address

import (
	"strings"
	"unicode"
)

// cityWords are the abbreviations found in city names, expanded before two
// names are compared so that "St. Louis" meets "Saint Louis" and "Ft Worth"
// meets "Fort Worth".
var cityWords = map[string]string{
	"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT", "MTN": "MOUNTAIN",
	"PT": "POINT", "N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST",
	"HTS": "HEIGHTS", "SPGS": "SPRINGS", "SPG": "SPRING", "JCT": "JUNCTION",
	"CTR": "CENTER", "VLG": "VILLAGE", "LK": "LAKE", "BCH": "BEACH", "TWP": "TOWNSHIP",
	"IS": "ISLAND", "CY": "CITY", "VLY": "VALLEY",
}

// cityKey reduces a city name to what identifies it: upper case, apostrophes
// and periods dropped, abbreviations expanded, and every space and other
// punctuation removed, so "White Water", "Whitewater" and "WHITE-WATER"
// share one key.
func cityKey(name string) string {
	var key, word strings.Builder
	key.Grow(len(name) + 8)
	flush := func() {
		if word.Len() == 0 {
			return
		}
		w := word.String()
		if full, ok := cityWords[w]; ok {
			w = full
		}
		key.WriteString(w)
		word.Reset()
	}
	for _, r := range name {
		switch {
		case r == '\'' || r == '.' || r == '’':
			// O'Fallon is OFALLON; "St." is ST.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(unicode.ToUpper(r))
		default:
			flush()
		}
	}
	flush()
	return key.String()
}

// withinOneEdit reports whether a and b differ by at most one inserted,
// deleted or replaced letter.
func withinOneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(b) {
		return true
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

// minCorrectable is the shortest key a one-letter correction is tried on:
// in shorter names one letter is too much of the name.
const minCorrectable = 6

// matchCity finds the place whose city is the given key: an exact key
// match, else (corrected true) one a single letter away.
func matchCity(places []place, key string) (p place, corrected, ok bool) {
	for _, p := range places {
		if p.key == key {
			return p, false, true
		}
	}
	if len(key) < minCorrectable {
		return place{}, false, false
	}
	for _, p := range places {
		if withinOneEdit(p.key, key) {
			return p, true, true
		}
	}
	return place{}, false, false
}
