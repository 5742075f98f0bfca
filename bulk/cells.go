package bulk

import (
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A leaf is how the values of one column's Go type become cells and JSON
// and back. It is chosen once per column (leafFor), so writing a row
// branches on nothing but the value.
type leaf struct {
	// text reports whether the cells are text, which spreadsheet formula
	// escaping applies to (numbers and booleans need none).
	text bool
	// cell appends the CSV cell of v to dst; nothing when v is absent
	// (nil, an empty string, a zero date), which is an empty cell.
	cell func(dst []byte, v reflect.Value) []byte
	// json appends the JSON of v (null when nil).
	json func(dst []byte, v reflect.Value) []byte
	// parse sets v, settable, from a non-empty cell; the error says what
	// the cell must be, without quoting it.
	parse func(cell string, v reflect.Value) error
}

var (
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	textAppender    = reflect.TypeFor[encoding.TextAppender]()
	isZeroer        = reflect.TypeFor[interface{ IsZero() bool }]()
	timeType        = reflect.TypeFor[time.Time]()
)

// Messages of cells that do not parse.
var (
	errBool    = errors.New("must be true or false")
	errInteger = errors.New("must be an integer in range")
	errNumber  = errors.New("must be a number")
	errTime    = errors.New("must be a time in RFC 3339 format (2025-01-31T09:30:00Z)")
	errInvalid = errors.New("is not valid")
)

// leafFor returns the leaf of type t: pointers are nil or their element;
// strings, booleans and numbers are written as JSON writes them (numbers
// and booleans bare in both forms); time.Time as RFC 3339; other types by
// their own JSON, a JSON string becoming the bare text of its cell.
func leafFor(t reflect.Type) leaf {
	switch {
	case t.Kind() == reflect.Pointer:
		return pointerLeaf(t, leafFor(t.Elem()))
	case t == timeType:
		return timeLeaf
	case t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) ||
		t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		return jsonLeaf(t)
	}
	switch t.Kind() {
	case reflect.String:
		return stringLeaf
	case reflect.Bool:
		return boolLeaf
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intLeaf
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return uintLeaf
	case reflect.Float32, reflect.Float64:
		return floatLeaf
	}
	return jsonLeaf(t)
}

// pointerLeaf is the leaf of pointer type t to a value of leaf elem.
func pointerLeaf(t reflect.Type, elem leaf) leaf {
	return leaf{
		text: elem.text,
		cell: func(dst []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return dst
			}
			return elem.cell(dst, v.Elem())
		},
		json: func(dst []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(dst, "null"...)
			}
			return elem.json(dst, v.Elem())
		},
		parse: func(cell string, v reflect.Value) error {
			p := reflect.New(t.Elem())
			if err := elem.parse(cell, p.Elem()); err != nil {
				return err
			}
			v.Set(p)
			return nil
		},
	}
}

var stringLeaf = leaf{
	text: true,
	cell: func(dst []byte, v reflect.Value) []byte { return append(dst, v.String()...) },
	json: func(dst []byte, v reflect.Value) []byte { return appendJSONString(dst, v.String()) },
	parse: func(cell string, v reflect.Value) error {
		v.SetString(cell)
		return nil
	},
}

var boolLeaf = leaf{
	cell: func(dst []byte, v reflect.Value) []byte { return strconv.AppendBool(dst, v.Bool()) },
	json: func(dst []byte, v reflect.Value) []byte { return strconv.AppendBool(dst, v.Bool()) },
	parse: func(cell string, v reflect.Value) error {
		switch cell {
		case "true", "false":
			v.SetBool(cell == "true")
			return nil
		}
		return errBool
	},
}

var intLeaf = leaf{
	cell: func(dst []byte, v reflect.Value) []byte { return strconv.AppendInt(dst, v.Int(), 10) },
	json: func(dst []byte, v reflect.Value) []byte { return strconv.AppendInt(dst, v.Int(), 10) },
	parse: func(cell string, v reflect.Value) error {
		n, err := strconv.ParseInt(cell, 10, v.Type().Bits())
		if err != nil {
			return errInteger
		}
		v.SetInt(n)
		return nil
	},
}

var uintLeaf = leaf{
	cell: func(dst []byte, v reflect.Value) []byte { return strconv.AppendUint(dst, v.Uint(), 10) },
	json: func(dst []byte, v reflect.Value) []byte { return strconv.AppendUint(dst, v.Uint(), 10) },
	parse: func(cell string, v reflect.Value) error {
		n, err := strconv.ParseUint(cell, 10, v.Type().Bits())
		if err != nil {
			return errInteger
		}
		v.SetUint(n)
		return nil
	},
}

var floatLeaf = leaf{
	cell: func(dst []byte, v reflect.Value) []byte { return appendFloat(dst, v.Float(), floatBits(v)) },
	json: func(dst []byte, v reflect.Value) []byte { return appendFloat(dst, v.Float(), floatBits(v)) },
	parse: func(cell string, v reflect.Value) error {
		f, err := strconv.ParseFloat(cell, v.Type().Bits())
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return errNumber
		}
		v.SetFloat(f)
		return nil
	},
}

// floatBits is the size of the float v, read from its kind, which is
// cheaper than its type.
func floatBits(v reflect.Value) int {
	if v.Kind() == reflect.Float32 {
		return 32
	}
	return 64
}

var timeLeaf = leaf{
	text: true,
	cell: func(dst []byte, v reflect.Value) []byte {
		t, _ := reflect.TypeAssert[time.Time](v) // unlike Interface, no copy on the heap
		if t.IsZero() {
			return dst
		}
		return t.AppendFormat(dst, time.RFC3339Nano)
	},
	json: func(dst []byte, v reflect.Value) []byte {
		t, _ := reflect.TypeAssert[time.Time](v)
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	},
	parse: func(cell string, v reflect.Value) error {
		t, err := time.Parse(time.RFC3339, cell)
		if err != nil {
			return errTime
		}
		v.Set(reflect.ValueOf(t))
		return nil
	},
}

// jsonLeaf is the leaf of a type written by its own JSON (crm.Date): a
// type whose JSON is a string has that string as its cell; any other,
// its JSON text. The zero value (by its IsZero method, or a nil map or
// slice) is absent.
//
// A type that encoding/json writes as its text (an encoding.TextMarshaler
// without a JSON marshaller of its own) and that appends its text
// (encoding.TextAppender, as crm.Date) is written without encoding/json,
// which would cost an export two allocating round trips per cell: its
// text is its cell, and, quoted, its JSON, unless the text holds what
// encoding/json would change (invalid UTF-8; in JSON, characters it
// escapes), which takes the way through encoding/json.
func jsonLeaf(t reflect.Type) leaf {
	zero, _ := json.Marshal(reflect.Zero(t).Interface())
	str := len(zero) > 0 && zero[0] == '"'
	zeroer := t.Implements(isZeroer)
	absent := func(v reflect.Value) bool {
		if zeroer {
			z, _ := asInterface[interface{ IsZero() bool }](v)
			return z.IsZero()
		}
		switch v.Kind() {
		case reflect.Map, reflect.Slice, reflect.Interface:
			return v.IsNil()
		}
		return false
	}
	appends := t.Implements(textAppender) && t.Implements(textMarshaler) &&
		!t.Implements(jsonMarshaler) && !reflect.PointerTo(t).Implements(jsonMarshaler)
	return leaf{
		text: str,
		cell: func(dst []byte, v reflect.Value) []byte {
			if absent(v) {
				return dst
			}
			if appends {
				a, _ := asInterface[encoding.TextAppender](v)
				start := len(dst)
				text, err := a.AppendText(dst)
				if err != nil {
					return dst
				}
				if utf8.Valid(text[start:]) {
					return text
				}
				dst = text[:start]
			}
			b, err := json.Marshal(v.Interface())
			if err != nil {
				return dst
			}
			if !str {
				return append(dst, b...)
			}
			var s string
			if json.Unmarshal(b, &s) != nil {
				return dst
			}
			return append(dst, s...)
		},
		json: func(dst []byte, v reflect.Value) []byte {
			if appends {
				a, _ := asInterface[encoding.TextAppender](v)
				start := len(dst)
				text, err := a.AppendText(append(dst, '"'))
				if err == nil && plainJSON(text[start+1:]) {
					return append(text, '"')
				}
				dst = text[:start]
			}
			b, err := json.Marshal(v.Interface())
			if err != nil {
				return append(dst, "null"...)
			}
			return append(dst, b...)
		},
		parse: func(cell string, v reflect.Value) error {
			raw := []byte(cell)
			if str {
				raw = appendJSONString(nil, cell)
			}
			if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
				return cellError(err)
			}
			return nil
		},
	}
}

// methods returns v as the interface I, through a pointer to v when v is
// addressable: a pointer is boxed as it is, where v itself would be
// copied to the heap.
func asInterface[I any](v reflect.Value) (I, bool) {
	if v.CanAddr() {
		return reflect.TypeAssert[I](v.Addr())
	}
	return reflect.TypeAssert[I](v)
}

// plainJSON reports whether s is a JSON string's content as encoding/json
// writes it unchanged: printable ASCII but for quotes, backslashes and
// the HTML characters it escapes.
func plainJSON(s []byte) bool {
	for _, b := range s {
		if b < 0x20 || b > 0x7e || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
			return false
		}
	}
	return true
}

// cellError is the message of a value its type's decoder refused: the
// project's decoders (crm.Date) write theirs to be shown, encoding/json's
// own quote the input and are replaced.
func cellError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &se), errors.As(err, &te):
		return errInvalid
	case errors.As(err, &pe):
		return errTime
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// appendFloat appends f as encoding/json writes it: the shortest
// representation, in exponent form only below 1e-6 or from 1e21.
func appendFloat(dst []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' { // clean up e-09 to e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it apart from HTML characters: quotes, backslashes, control
// characters, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// escapeFormula defuses the text cell dst[start:] if a spreadsheet would
// run it as a formula: a cell beginning with =, +, -, @, tab or carriage
// return gets a single quote in front, as OWASP recommends. So that
// unescapeFormula can undo exactly that, a cell that begins with quotes
// followed by one of those characters gets one more quote too.
func escapeFormula(dst []byte, start int) []byte {
	if !startsFormula(dst[start:]) {
		return dst
	}
	dst = append(dst, 0)
	copy(dst[start+1:], dst[start:])
	dst[start] = '\''
	return dst
}

// unescapeFormula undoes escapeFormula: it drops the first character of a
// cell that is a quote followed by what escapeFormula escapes.
func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && startsFormula(s[1:]) {
		return s[1:]
	}
	return s
}

// startsFormula reports whether s, after any leading single quotes,
// begins with a formula character.
func startsFormula[S ~string | ~[]byte](s S) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i == len(s) {
		return false
	}
	// The first characters that make a spreadsheet read a cell as a
	// formula (OWASP, "CSV Injection").
	switch s[i] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
