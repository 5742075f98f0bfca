// Package jsonfield decodes JSON objects strictly (an unknown field is an
// error) and, when that fails, names every bad top-level field with a
// message that never quotes the value: what request bodies (httpapi) and
// the rows of a JSON import (bulk) both need.
package jsonfield

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm"
)

// Decode decodes body into v, refusing unknown fields.
func Decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// AddProblems decodes each field of an object on its own, in key order,
// into a new value of type t and adds to p the problem of each that
// fails (see Problem): every bad field named, not only the first.
func AddProblems(p *crm.Problems, fields map[string]json.RawMessage, t reflect.Type) {
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		one, _ := json.Marshal(map[string]json.RawMessage{k: fields[k]})
		err := Decode(one, reflect.New(t).Interface())
		switch {
		case err == nil:
		case !known(k, t):
			p.Add(k, "is not a known field")
		default:
			p.Add(Problem(err, k))
		}
	}
}

// known reports whether key is a field of t: whether it decodes, as
// null, into a value of t.
func known(key string, t reflect.Type) bool {
	one, _ := json.Marshal(map[string]any{key: nil})
	return Decode(one, reflect.New(t).Interface()) == nil
}

// Problem names the field of err, the error of decoding the top-level
// key alone, and says what is wrong in terms of JSON.
func Problem(err error, key string) (field, message string) {
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			key = te.Field
		}
		return key, TypeMessage(te.Type)
	case errors.As(err, &pe):
		return key, "must be a time in RFC 3339 format (2025-01-31T09:30:00Z)"
	case errors.As(err, &se):
		return key, "is not valid"
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		if key != "" {
			name = key + "." + name
		}
		return name, "is not a known field"
	}
	// Errors of the project's own decoders (crm.Money, crm.Date) are
	// written to be shown.
	return key, strings.TrimPrefix(err.Error(), "json: ")
}

// TypeMessage says which JSON type a value of type t needs.
func TypeMessage(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be an integer in range"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.Struct, reflect.Map:
		return "must be an object"
	case reflect.Slice, reflect.Array:
		return "must be an array"
	}
	return "has the wrong type"
}
