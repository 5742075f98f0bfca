package address

import (
	"strings"
	"unicode"
)

// streetTokens splits a street line the way Publication 28 writes it: upper
// case, periods and apostrophes dropped, other punctuation a space, except
// the hyphen of "123-45" and the slash of "1/2"; "#" is a token of its own.
func streetTokens(s string) []string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, r := range s {
		switch {
		case r == '.' || r == '\'' || r == '’':
		case r == '#':
			b.WriteString(" # ")
		case r == '-' || r == '/' || r == '&' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// normalizeStreet returns a US street line in Publication 28 form and the
// secondary unit it carried ("APT 4B"), if any.
func normalizeStreet(line string) (street, unit string) {
	t := streetTokens(line)
	if box, ok := poBox(t); ok {
		return box, ""
	}
	if i, u, ok := findUnit(t); ok {
		t, unit = t[:i], u
	}
	var out []string
	name := t
	if len(name) > 0 && hasDigit(name[0]) {
		out = append(out, name[0])
		name = name[1:]
		if len(name) > 0 && isFraction(name[0]) {
			out = append(out, name[0])
			name = name[1:]
		}
	}
	var post, suffix string
	if n := len(name); n >= 2 {
		if d, ok := directionals[name[n-1]]; ok {
			post, name = d, name[:n-1]
		}
	}
	if n := len(name); n >= 2 {
		if s, ok := suffixes[name[n-1]]; ok {
			suffix, name = s, name[:n-1]
		}
	}
	// A directional is abbreviated only when a name follows it: in
	// "NORTH ST" it is the name.
	if len(name) >= 2 {
		if d, ok := directionals[name[0]]; ok {
			out = append(out, d)
			name = name[1:]
		}
	}
	out = append(out, name...)
	if suffix != "" {
		out = append(out, suffix)
	}
	if post != "" {
		out = append(out, post)
	}
	return strings.Join(out, " "), unit
}

// findUnit finds the secondary unit at the end of a street line's tokens:
// it starts at a designator after the number and at least one word of the
// street name. It returns where the unit starts and the unit in standard
// form.
func findUnit(t []string) (start int, unit string, ok bool) {
	for i := 2; i < len(t); i++ {
		d, isDesignator := designators[t[i]]
		if !isDesignator {
			continue
		}
		rest := t[i+1:]
		if len(rest) > 0 && rest[0] == "#" {
			rest = rest[1:]
		}
		switch d.rangeKind {
		case rangeAny:
			ok = len(rest) > 0
		case rangeNumber:
			ok = len(rest) > 0 && (hasDigit(rest[0]) || len(rest[0]) == 1)
		case rangeNone:
			_, afterSuffix := suffixes[t[i-1]]
			_, afterDirectional := directionals[t[i-1]]
			ok = len(rest) == 0 && (afterSuffix || afterDirectional)
		}
		if ok {
			return i, strings.Join(append([]string{d.abbr}, rest...), " "), true
		}
	}
	return 0, "", false
}

// normalizeUnit puts a unit given on its own in standard form: a known
// designator abbreviated, else "#" before the bare number.
func normalizeUnit(s string) string {
	t := streetTokens(s)
	if len(t) == 0 {
		return ""
	}
	if d, ok := designators[t[0]]; ok {
		rest := t[1:]
		if len(rest) > 0 && rest[0] == "#" {
			rest = rest[1:]
		}
		return strings.Join(append([]string{d.abbr}, rest...), " ")
	}
	return "# " + strings.Join(t, " ")
}

// poBox writes "P.O. Box 12", "Post Office Box 12" and "POB 12" as Publication
// 28's "PO BOX 12".
func poBox(t []string) (string, bool) {
	for _, prefix := range [][]string{{"PO", "BOX"}, {"P", "O", "BOX"}, {"POST", "OFFICE", "BOX"}, {"POB"}} {
		if len(t) > len(prefix) && equalTokens(t[:len(prefix)], prefix) {
			return "PO BOX " + strings.Join(t[len(prefix):], " "), true
		}
	}
	return "", false
}

func equalTokens(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// isFraction reports whether s is the "1/2" of "123 1/2 MAIN ST".
func isFraction(s string) bool {
	num, den, ok := strings.Cut(s, "/")
	return ok && num != "" && den != "" && strings.Trim(num+den, "0123456789") == ""
}
