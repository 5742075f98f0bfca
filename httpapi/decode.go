package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/jsonfield"
)

// Media types of request bodies.
const (
	mediaJSON       = "application/json"
	mediaMergePatch = "application/merge-patch+json"
)

// maxDepth bounds the nesting of request bodies; the deepest schema
// (billing_address.coordinates) needs three levels.
const maxDepth = 10

// Field messages shared by the decoder and the handlers.
const (
	msgServerOwned = "is set by the server and cannot be written"
	msgUnknown     = "is not a known field"
)

// decode reads the JSON object body of r into v, strictly: the Content-Type
// must be application/json (415); the body must fit the limit (413), be
// valid UTF-8, valid JSON, one value, an object, nested at most maxDepth
// levels and without duplicate keys (400); it must not name a server-owned
// field (owned, 400 naming each) or an unknown field (400 naming each with
// its path); values of the wrong type are 400 naming each field.
func decode(r *http.Request, v any, owned ...string) error {
	_, err := decodeWriteOnly(r, v, owned, nil)
	return err
}

// decodeWriteOnly is decode for a body that may also carry write-only
// fields that v does not declare (tax_id): they are taken out of the body
// before decoding and returned raw, so null can be told from absent.
func decodeWriteOnly(r *http.Request, v any, owned, writeOnly []string) (map[string]json.RawMessage, error) {
	body, err := readBody(r, false, mediaJSON)
	if err != nil {
		return nil, err
	}
	return decodeBody(body, v, owned, writeOnly)
}

// decodeOptional is decode for endpoints whose body may be omitted: an
// empty body (with or without Content-Type) leaves v unchanged.
func decodeOptional(r *http.Request, v any, owned ...string) error {
	body, err := readBody(r, true, mediaJSON)
	if err != nil || body == nil {
		return err
	}
	_, err = decodeBody(body, v, owned, nil)
	return err
}

// decodeBody checks the fields of an already read object body, sets the
// write-only ones aside and decodes the rest into v.
func decodeBody(body []byte, v any, owned, writeOnly []string) (map[string]json.RawMessage, error) {
	tree, err := parseTree(body)
	if err != nil {
		return nil, err
	}
	if err := checkFields(reflect.TypeOf(v), tree, owned, writeOnly); err != nil {
		return nil, err
	}
	body, extracted, err := extract(body, writeOnly)
	if err != nil {
		return nil, err
	}
	return extracted, unmarshalStrict(body, v)
}

// extract removes the keys from an object body and returns them raw.
func extract(body []byte, keys []string) ([]byte, map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if len(keys) == 0 {
		return body, out, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, nil, crm.Errorf(crm.CodeInvalid, "The request body must be a JSON object.")
	}
	for _, k := range keys {
		if raw, ok := fields[k]; ok {
			out[k] = raw
			delete(fields, k)
		}
	}
	rest, err := json.Marshal(fields)
	return rest, out, err
}

// readBody checks the Content-Type against types and reads the body, then
// validates it as a single JSON object (see scanJSON). With optional, an
// empty body returns (nil, nil) whatever its Content-Type.
func readBody(r *http.Request, optional bool, types ...string) ([]byte, error) {
	if !optional {
		if err := checkContentType(r, types...); err != nil {
			return nil, err
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, crm.Errorf(crm.CodePayloadTooLarge, "The request body exceeds the limit of %d bytes.", tooLarge.Limit)
		}
		return nil, crm.Errorf(crm.CodeInvalid, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil, nil
		}
		return nil, crm.Errorf(crm.CodeInvalid, "A JSON request body is required.")
	}
	if optional {
		if err := checkContentType(r, types...); err != nil {
			return nil, err
		}
	}
	if !utf8.Valid(body) {
		return nil, crm.Errorf(crm.CodeInvalid, "The request body is not valid UTF-8.")
	}
	if err := scanJSON(body); err != nil {
		return nil, err
	}
	if bytes.TrimLeft(body, " \t\r\n")[0] != '{' {
		return nil, crm.Errorf(crm.CodeInvalid, "The request body must be a JSON object.")
	}
	return body, nil
}

// checkContentType accepts the media types (with an optional utf-8
// charset) and answers anything else with 415.
func checkContentType(r *http.Request, types ...string) error {
	want := strings.Join(types, " or ")
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return crm.Errorf(crm.CodeUnsupportedMediaType, "Content-Type must be %s.", want)
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !slices.Contains(types, mt) {
		return crm.Errorf(crm.CodeUnsupportedMediaType, "Content-Type must be %s.", want)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return crm.Errorf(crm.CodeUnsupportedMediaType, "The charset must be utf-8.")
	}
	return nil
}

// scanJSON walks the tokens of body once and rejects what encoding/json
// would accept silently or too late: syntax errors (with their offset),
// nesting deeper than maxDepth, duplicate object keys (which a decoder
// resolves to the last one), escapes of lone surrogates (which it replaces
// with U+FFFD) and data after the first value.
func scanJSON(body []byte) error {
	type frame struct {
		obj     bool
		needKey bool
		key     string
		index   int
		keys    map[string]bool
	}
	var stack []*frame
	path := func(last string) string {
		var b strings.Builder
		for _, f := range stack {
			if f.obj {
				if f.needKey {
					continue
				}
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmt.Fprintf(&b, "[%d]", f.index)
			}
		}
		if last != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(last)
		}
		return b.String()
	}
	// Go decodes an escaped lone surrogate as U+FFFD; a U+FFFD in a decoded
	// string that the body does not spell out came from one.
	mayHaveFFFD := bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
	badEscape := func(s string) bool { return !mayHaveFFFD && strings.ContainsRune(s, utf8.RuneError) }

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return syntaxProblem(err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.needKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
			} else {
				key, _ := tok.(string)
				if badEscape(key) {
					return crm.Errorf(crm.CodeInvalid, "The request body contains an invalid Unicode escape.")
				}
				if top.keys[key] {
					return invalid(path(key), "is given more than once")
				}
				top.keys[key], top.key, top.needKey = true, key, false
				continue
			}
		} else {
			switch t := tok.(type) {
			case json.Delim:
				switch t {
				case '{', '[':
					if len(stack) >= maxDepth {
						return crm.Errorf(crm.CodeInvalid, "The request body is nested deeper than %d levels.", maxDepth)
					}
					stack = append(stack, &frame{obj: t == '{', needKey: t == '{', keys: map[string]bool{}})
					continue
				case ']':
					stack = stack[:len(stack)-1]
				}
			case string:
				if badEscape(t) {
					return invalid(path(""), "contains an invalid Unicode escape")
				}
			}
		}
		// A value ended: advance the enclosing container, or finish.
		if len(stack) == 0 {
			break
		}
		if top := stack[len(stack)-1]; top.obj {
			top.needKey = true
		} else {
			top.index++
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return crm.Errorf(crm.CodeInvalid, "The request body has data after the JSON value.")
	}
	return nil
}

// syntaxProblem describes a JSON syntax error without quoting the body.
func syntaxProblem(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return crm.Errorf(crm.CodeInvalid, "The request body is not valid JSON: %s (at byte %d).", se.Error(), se.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return crm.Errorf(crm.CodeInvalid, "The request body is not valid JSON: it ends early.")
	}
	return crm.Errorf(crm.CodeInvalid, "The request body is not valid JSON.")
}

// parseTree decodes a validated body into generic values for checkFields.
func parseTree(body []byte) (map[string]any, error) {
	var tree map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, crm.Errorf(crm.CodeInvalid, "The request body must be a JSON object.")
	}
	return tree, nil
}

// checkFields reports, all at once, the server-owned fields among the
// top-level keys of tree and every key (at any depth) that the Go type t
// does not declare. Keys must match the JSON names exactly: unlike
// encoding/json, "Name" is not "name". Keys in skip are not checked.
func checkFields(t reflect.Type, tree map[string]any, owned, skip []string) error {
	var p crm.Problems
	for _, k := range sortedKeys(tree) {
		if slices.Contains(owned, k) {
			p.Add(k, msgServerOwned)
		}
	}
	rest := map[string]any{}
	for k, v := range tree {
		if !slices.Contains(owned, k) && !slices.Contains(skip, k) {
			rest[k] = v
		}
	}
	unknownFields(&p, t, rest, "")
	return p.Err()
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// unknownFields adds a problem for every key of v that type t has no field
// for, recursing into nested objects and arrays.
func unknownFields(p *crm.Problems, t reflect.Type, v any, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return // decodes itself
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return // a type error, reported by unmarshalStrict
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				p.Add(joinPath(path, k), msgUnknown)
				continue
			}
			unknownFields(p, ft, m[k], joinPath(path, k))
		}
	case reflect.Slice, reflect.Array:
		if a, ok := v.([]any); ok {
			for i, e := range a {
				unknownFields(p, t.Elem(), e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				unknownFields(p, t.Elem(), m[k], joinPath(path, k))
			}
		}
	}
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields returns the JSON names of struct type t with their types,
// following encoding/json's rules for tags and embedded structs.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	for _, et := range embedded {
		for k, v := range jsonFields(et) {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	fieldCache.Store(t, out)
	return out
}

// unmarshalStrict decodes body into v with DisallowUnknownFields. On a
// type error it decodes each top-level field on its own to name every bad
// one, with its path, instead of only the first.
func unmarshalStrict(body []byte, v any) error {
	if err := jsonfield.Decode(body, v); err == nil {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return crm.Errorf(crm.CodeInvalid, "The request body must be a JSON object.")
	}
	var p crm.Problems
	jsonfield.AddProblems(&p, fields, reflect.TypeOf(v).Elem())
	if len(p) == 0 { // cannot happen: some field failed as a whole
		p.Add("", "is not valid")
	}
	return p.Err()
}

// mergePatch is a validated JSON merge patch (RFC 7396) together with the
// write-only fields taken out of it, whose null means "clear" rather than
// "remove the key".
type mergePatch struct {
	doc       []byte
	writeOnly map[string]json.RawMessage
}

// readMergePatch reads a PATCH body (application/merge-patch+json or
// application/json) for a resource whose writable representation is the Go
// type of target: checks as decode, where the patch may name only fields of
// target, plus writeOnly ones, which are set aside.
func readMergePatch(r *http.Request, target any, owned, writeOnly []string) (*mergePatch, error) {
	body, err := readBody(r, false, mediaMergePatch, mediaJSON)
	if err != nil {
		return nil, err
	}
	tree, err := parseTree(body)
	if err != nil {
		return nil, err
	}
	if err := checkFields(reflect.TypeOf(target), tree, owned, writeOnly); err != nil {
		return nil, err
	}
	doc, writeOnlyFields, err := extract(body, writeOnly)
	if err != nil {
		return nil, err
	}
	mp := &mergePatch{doc: doc, writeOnly: writeOnlyFields}
	return mp, nil
}

// apply merges the patch into the JSON of base and decodes the result
// strictly into v.
func (mp *mergePatch) apply(base, v any) error {
	doc, err := json.Marshal(base)
	if err != nil {
		return err
	}
	merged, err := jsonpatch.MergePatch(doc, mp.doc)
	if err != nil {
		return fmt.Errorf("apply merge patch: %w", err)
	}
	return unmarshalStrict(merged, v)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
