package demo

import (
	"fmt"
	"math/rand/v2"
)

// areaCodes lists real area codes of each state in zips.tsv, so a
// customer's phone number has an area code of its state.
var areaCodes = map[string][]int{
	"AL": {205, 251, 256, 334}, "AK": {907}, "AZ": {480, 520, 602, 928},
	"AR": {479, 501, 870}, "CA": {213, 415, 619, 916}, "CO": {303, 719, 970},
	"CT": {203, 860}, "DE": {302}, "DC": {202}, "FL": {305, 407, 813, 904},
	"GA": {404, 706, 912}, "HI": {808}, "ID": {208}, "IL": {217, 312, 309, 630},
	"IN": {317, 260, 812, 574}, "IA": {319, 515, 563}, "KS": {316, 785, 913},
	"KY": {502, 859, 270}, "LA": {225, 504, 318, 337}, "ME": {207},
	"MD": {301, 410, 443}, "MA": {413, 508, 617}, "MI": {313, 517, 616, 734},
	"MN": {218, 612, 651, 507}, "MS": {601, 228, 662}, "MO": {314, 417, 816, 573},
	"MT": {406}, "NE": {402, 308}, "NV": {702, 775}, "NH": {603},
	"NJ": {201, 609, 973}, "NM": {505, 575}, "NY": {212, 585, 716, 518},
	"NC": {704, 919, 828}, "ND": {701}, "OH": {216, 419, 513, 614},
	"OK": {405, 918}, "OR": {503, 541, 971}, "PA": {215, 412, 717, 610},
	"RI": {401}, "SC": {803, 843, 864}, "SD": {605}, "TN": {615, 901, 865, 423},
	"TX": {214, 512, 713, 210}, "UT": {801, 385, 435}, "VT": {802},
	"VA": {804, 703, 757, 434}, "WA": {206, 509, 253, 360}, "WV": {304},
	"WI": {414, 608, 920, 715}, "WY": {307},
}

// phoneAttempts bounds the search for an unused number before giving up.
const phoneAttempts = 200

// phones hands out distinct phone numbers in the 555-0100 to 555-0199
// range, which the North American Numbering Plan reserves for fiction: the
// numbers look real and pass validation (libphonenumber accepts them) but
// never ring a real person. That gives 100 numbers per area code, about
// 15,000 in all, enough for any demo.
type phones struct {
	used map[string]bool
}

func newPhones() *phones { return &phones{used: make(map[string]bool)} }

// next returns an unused E.164 number, preferring the state's area codes.
func (p *phones) next(rng *rand.Rand, state string) (string, error) {
	codes := areaCodes[state]
	for i := range phoneAttempts {
		if len(codes) == 0 || i >= phoneAttempts/2 {
			// The state's numbers are taken (or it has none): borrow any area
			// code rather than fail a large demo.
			codes = allAreaCodes
		}
		n := fictional(codes[rng.IntN(len(codes))], rng.IntN(100))
		if !p.used[n] {
			p.used[n] = true
			return n, nil
		}
	}
	return "", fmt.Errorf("demo: no unused phone number left for %s", state)
}

// fictional formats area code ac with line 555-01nn in E.164.
func fictional(ac, nn int) string { return fmt.Sprintf("+1%03d55501%02d", ac, nn) }

// allAreaCodes is every area code of areaCodes, in a fixed order so
// generation stays deterministic (map iteration is not).
var allAreaCodes = func() []int {
	var out []int
	for _, p := range places {
		out = append(out, areaCodes[p.State]...)
	}
	seen := map[int]bool{}
	uniq := out[:0]
	for _, c := range out {
		if !seen[c] {
			seen[c] = true
			uniq = append(uniq, c)
		}
	}
	return uniq
}()
