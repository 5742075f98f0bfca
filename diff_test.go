package crm

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestRawJSONMatchesMarshal checks RawJSON's direct encodings against
// encoding/json's, and sameJSON against comparing them.
func TestRawJSONMatchesMarshal(t *testing.T) {
	values := []any{nil, true, false, 1, int64(1), float32(1), tNamedStr("a"), Money(150), math.NaN(), math.Inf(1),
		9.999999e20, 1e21, 1e-6, 9.99e-7, -1e-6, 1.5, float64(1 << 60), 100.0}
	for _, s := range randStrings {
		values = append(values, s)
	}
	for _, f := range randFloats {
		values = append(values, f, -f)
	}
	for _, v := range values {
		if got, want := RawJSON(v), refRawJSON(v); !bytes.Equal(got, want) {
			t.Errorf("RawJSON(%#v) = %s, want %s", v, got, want)
		}
	}
	for _, x := range values {
		for _, y := range values {
			if got, want := sameJSON(x, y), bytes.Equal(refRawJSON(x), refRawJSON(y)); got != want {
				t.Errorf("sameJSON(%#v, %#v) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// TestMasksMatchReference compares MaskWords and MaskEmail with their
// first implementations, by rune slices.
func TestMasksMatchReference(t *testing.T) {
	refWords := func(s string) string {
		words := strings.Fields(s)
		for i, w := range words {
			words[i] = string([]rune(w)[:1]) + "***"
		}
		return strings.Join(words, " ")
	}
	refEmail := func(s string) string {
		at := strings.LastIndexByte(s, '@')
		if at < 1 {
			return "***"
		}
		return string([]rune(s[:at])[:1]) + "***" + s[at:]
	}
	for _, s := range slices.Concat(randStrings, []string{"  Ada   King\tLovelace ", "Zoë Ünal", "\xffoo \xc3", "é@x.org", "\xc3@x",
		"@x", "a@b@c", "\u3000x\u00a0y", "ß"}) {
		if got, want := MaskWords(s), refWords(s); got != want {
			t.Errorf("MaskWords(%q) = %q, want %q", s, got, want)
		}
		if got, want := MaskEmail(s), refEmail(s); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", s, got, want)
		}
	}
}
