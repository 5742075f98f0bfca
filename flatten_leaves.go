package crm

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The JSON values of the types Flatten walks as leaves, as
// json.Unmarshal into an any reads them back.

// timeTree is the string of a time.Time's MarshalJSON, without marshalling
// the value through an interface.
func timeTree(v reflect.Value, _ int) (any, bool) {
	if !v.CanInterface() {
		return nil, false
	}
	t, _ := reflect.TypeAssert[time.Time](v)
	b, err := t.MarshalJSON()
	if err != nil {
		return nil, false
	}
	return string(b[1 : len(b)-1]), true
}

// marshalJSONTree decodes the output of v's MarshalJSON.
func marshalJSONTree(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, true
	}
	if !v.CanInterface() {
		return nil, false
	}
	b, err := v.Interface().(json.Marshaler).MarshalJSON()
	if err != nil {
		return nil, false
	}
	return decodeJSON(b)
}

// marshalTextTree is the string of v's MarshalText.
func marshalTextTree(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, true
	}
	if !v.CanInterface() {
		return nil, false
	}
	b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return nil, false
	}
	return decodedString(string(b)), true
}

// decodeJSON decodes b into an any, a plain string or number directly.
func decodeJSON(b []byte) (any, bool) {
	if s, ok := plainJSONString(b); ok {
		return s, true
	}
	if isJSONNumber(b) {
		f, err := strconv.ParseFloat(string(b), 64)
		return f, err == nil
	}
	var t any
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, false
	}
	return t, true
}

// plainJSONString returns the content of b when b is a JSON string that
// needs no unescaping (no backslash, no control character, valid UTF-8).
func plainJSONString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// isJSONNumber reports whether b is a JSON number (RFC 8259 section 6).
func isJSONNumber(b []byte) bool {
	digits := func(i int) int {
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i
	}
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(i + 1)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(b)
}

// decodedString is s as encoding/json writes then reads it: each byte that
// is not valid UTF-8 becomes U+FFFD.
func decodedString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// float64Tree is a float64 as its JSON reads back: itself, NaN and
// infinities having no JSON.
func float64Tree(v reflect.Value, _ int) (any, bool) {
	f := v.Float()
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// float32Tree is a float32 as its JSON (its shortest float32 digits) reads
// back into a float64.
func float32Tree(v reflect.Value, _ int) (any, bool) {
	f := v.Float()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	f, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
	return f, err == nil
}
