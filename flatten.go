package crm

import (
	"cmp"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Flatten turns v's JSON form into a map from dotted paths to leaf values:
// what json.Marshal, json.Unmarshal into an any and a walk of the objects
// give (strings, float64 numbers, booleans, []any arrays, an empty object
// as an empty map[string]any, null left out). A map[string]any is taken as
// flattened and returned as is.
//
// Every audited mutation flattens its record, a bulk import once per row,
// so the JSON round trip is replaced by a walk of v by reflection along a
// plan cached per type that follows encoding/json's rules (see planFor).
// What the plans leave to encoding/json (a cycle, an encoding error, an
// option such as ",string") takes the round trip, which stays the
// reference.
func Flatten(v any) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	rv := reflect.ValueOf(v)
	p := planFor(rv.Type())
	out := make(map[string]any, p.leaves)
	if !p.flat(out, "", rv, 0) {
		return flattenJSON(v)
	}
	return out
}

// flattenJSON is Flatten by the JSON round trip.
func flattenJSON(v any) map[string]any {
	out := map[string]any{}
	raw, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return out
	}
	walkTree(out, "", tree)
	return out
}

// walkTree adds the leaves of a decoded JSON value t under prefix to out.
func walkTree(out map[string]any, prefix string, t any) {
	if m, ok := t.(map[string]any); ok && len(m) > 0 {
		for k, sub := range m {
			walkTree(out, joinPath(prefix, k), sub)
		}
		return
	}
	if t != nil {
		out[prefix] = t
	}
}

// joinPath is the dotted path of key in the object at prefix.
func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// maxDepth bounds the pointers, interfaces, maps and slices a walk
// follows; deeper values (or a cycle) take the round trip, as encoding/json
// detects cycles only after a thousand levels.
const maxDepth = 100

// maxLeaves bounds plan.leaves, which grows exponentially along a tree of
// types.
const maxLeaves = 256

// plan walks the values of one type. Its functions return false when the
// value must take the JSON round trip instead.
type plan struct {
	// tree returns v as json.Unmarshal into an any gives its JSON.
	tree func(v reflect.Value, depth int) (any, bool)
	// flat adds the leaves of v under prefix to out.
	flat func(out map[string]any, prefix string, v reflect.Value, depth int) bool
	// leaves is the number of leaves of a value with every field set
	// (counting a map, slice or interface as one), to size the map.
	leaves int
}

var (
	// plans holds the *plan of every type walked so far.
	plans sync.Map
	// plansMu serializes the building of plans, so a recursive type's
	// plans are published only once complete.
	plansMu sync.Mutex
)

// planFor returns the plan of t, building it (and the plans it uses) on
// first use.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	b := planBuilder{}
	p := b.plan(t)
	for t, p := range b {
		plans.Store(t, p)
	}
	return p
}

// planBuilder holds the plans being built, by type, until they are
// complete.
type planBuilder map[reflect.Type]*plan

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
	timeType          = reflect.TypeFor[time.Time]()
)

// plan returns the plan of t, published or being built, or builds it.
func (b planBuilder) plan(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := b[t]; ok {
		return p
	}
	p := &plan{leaves: 1}
	b[t] = p
	b.build(p, t)
	return p
}

// build fills p for t, choosing between a marshalling method and the
// encoding of t's kind as encoding/json's newTypeEncoder does: MarshalJSON
// (through the address when the value is addressable), then MarshalText
// likewise.
func (b planBuilder) build(p *plan, t reflect.Type) {
	isPtr := t.Kind() == reflect.Pointer
	jsonVal, textVal := t.Implements(marshalerType), t.Implements(textMarshalerType)
	jsonAddr := !isPtr && reflect.PointerTo(t).Implements(marshalerType)
	textAddr := !isPtr && reflect.PointerTo(t).Implements(textMarshalerType)
	switch {
	case t == timeType:
		leafPlan(p, timeTree)
		return
	case t.Kind() == reflect.Interface && (jsonVal || textVal), t == numberType:
		p.tree, p.flat = unsupportedTree, unsupportedFlat
		return
	case jsonVal:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return marshalJSONTree(v) })
		return
	case textVal && !jsonAddr:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return marshalTextTree(v) })
		return
	}
	kind := &plan{leaves: 1}
	b.buildKind(kind, t)
	if !jsonAddr && !textAddr {
		*p = *kind
		return
	}
	// A method on the pointer applies only to an addressable value;
	// otherwise encoding/json encodes the kind (or the value's MarshalText
	// when only MarshalJSON needed the address).
	leafPlan(p, func(v reflect.Value, depth int) (any, bool) {
		switch {
		case jsonAddr && v.CanAddr():
			return marshalJSONTree(v.Addr())
		case textVal:
			return marshalTextTree(v)
		case textAddr && v.CanAddr():
			return marshalTextTree(v.Addr())
		}
		return kind.tree(v, depth)
	})
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		if !v.CanAddr() && !textVal {
			return kind.flat(out, prefix, v, depth)
		}
		t, ok := p.tree(v, depth)
		walkTree(out, prefix, t)
		return ok
	}
}

// leafPlan makes p the plan of values walked through their decoded JSON
// (tree), which a marshalling method may make an object.
func leafPlan(p *plan, tree func(v reflect.Value, depth int) (any, bool)) {
	p.tree = tree
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		t, ok := tree(v, depth)
		walkTree(out, prefix, t)
		return ok
	}
}

// unsupportedTree and unsupportedFlat are the plan of a type left to the
// round trip.
func unsupportedTree(reflect.Value, int) (any, bool)                  { return nil, false }
func unsupportedFlat(map[string]any, string, reflect.Value, int) bool { return false }

// buildKind fills p with the encoding of t's kind.
func (b planBuilder) buildKind(p *plan, t reflect.Type) {
	switch t.Kind() {
	case reflect.Bool:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return v.Bool(), true })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return float64(v.Int()), true })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return float64(v.Uint()), true })
	case reflect.Float32:
		leafPlan(p, float32Tree)
	case reflect.Float64:
		leafPlan(p, float64Tree)
	case reflect.String:
		leafPlan(p, func(v reflect.Value, _ int) (any, bool) { return decodedString(v.String()), true })
	case reflect.Interface:
		b.buildInterface(p)
	case reflect.Pointer:
		b.buildPointer(p, t)
	case reflect.Struct:
		b.buildStruct(p, t)
	case reflect.Map:
		b.buildMap(p, t)
	case reflect.Slice, reflect.Array:
		b.buildArray(p, t)
	default:
		p.tree, p.flat = unsupportedTree, unsupportedFlat
	}
}

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

// buildInterface fills p for an interface type: nil is null, otherwise
// the dynamic value is walked along its own plan.
func (b planBuilder) buildInterface(p *plan) {
	p.tree = func(v reflect.Value, depth int) (any, bool) {
		if v.IsNil() {
			return nil, true
		}
		if depth > maxDepth {
			return nil, false
		}
		e := v.Elem()
		return planFor(e.Type()).tree(e, depth+1)
	}
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		if v.IsNil() {
			return true
		}
		if depth > maxDepth {
			return false
		}
		e := v.Elem()
		return planFor(e.Type()).flat(out, prefix, e, depth+1)
	}
}

// buildPointer fills p for a pointer type: nil is null, otherwise the
// element is walked.
func (b planBuilder) buildPointer(p *plan, t reflect.Type) {
	elem := b.plan(t.Elem())
	p.leaves = elem.leaves
	p.tree = func(v reflect.Value, depth int) (any, bool) {
		if v.IsNil() {
			return nil, true
		}
		if depth > maxDepth {
			return nil, false
		}
		return elem.tree(v.Elem(), depth+1)
	}
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		if v.IsNil() {
			return true
		}
		if depth > maxDepth {
			return false
		}
		return elem.flat(out, prefix, v.Elem(), depth+1)
	}
}

// buildArray fills p for a slice or array type: []any of the elements, a
// byte slice as its base64 string, a nil slice null.
func (b planBuilder) buildArray(p *plan, t reflect.Type) {
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		ptr := reflect.PointerTo(t.Elem())
		if !ptr.Implements(marshalerType) && !ptr.Implements(textMarshalerType) {
			leafPlan(p, func(v reflect.Value, _ int) (any, bool) {
				if v.IsNil() {
					return nil, true
				}
				return base64.StdEncoding.EncodeToString(v.Bytes()), true
			})
			return
		}
	}
	elem := b.plan(t.Elem())
	isSlice := t.Kind() == reflect.Slice
	leafPlan(p, func(v reflect.Value, depth int) (any, bool) {
		if isSlice && v.IsNil() {
			return nil, true
		}
		if depth > maxDepth {
			return nil, false
		}
		a := make([]any, v.Len())
		for i := range a {
			var ok bool
			if a[i], ok = elem.tree(v.Index(i), depth+1); !ok {
				return nil, false
			}
		}
		return a, true
	})
}

// buildMap fills p for a map type: an object of its entries, keyed by
// string or integer keys (other keys take the round trip).
func (b planBuilder) buildMap(p *plan, t reflect.Type) {
	var key func(k reflect.Value) (string, bool)
	kt := t.Key()
	switch kt.Kind() {
	case reflect.String:
		key = func(k reflect.Value) (string, bool) {
			s := k.String()
			// Keys with invalid UTF-8 may merge once decoded.
			return s, utf8.ValidString(s)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		key = func(k reflect.Value) (string, bool) { return strconv.FormatInt(k.Int(), 10), true }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		key = func(k reflect.Value) (string, bool) { return strconv.FormatUint(k.Uint(), 10), true }
	}
	if key == nil || (kt.Kind() != reflect.String && kt.Implements(textMarshalerType)) {
		p.tree, p.flat = unsupportedTree, unsupportedFlat
		return
	}
	elem := b.plan(t.Elem())
	p.tree = func(v reflect.Value, depth int) (any, bool) {
		if v.IsNil() {
			return nil, true
		}
		if depth > maxDepth {
			return nil, false
		}
		m := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, ok := key(it.Key())
			if !ok {
				return nil, false
			}
			if m[k], ok = elem.tree(it.Value(), depth+1); !ok {
				return nil, false
			}
		}
		return m, true
	}
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		if v.IsNil() {
			return true
		}
		if depth > maxDepth {
			return false
		}
		if v.Len() == 0 {
			out[prefix] = map[string]any{}
			return true
		}
		for it := v.MapRange(); it.Next(); {
			k, ok := key(it.Key())
			if !ok || !elem.flat(out, joinPath(prefix, k), it.Value(), depth+1) {
				return false
			}
		}
		return true
	}
}

// buildStruct fills p for a struct type: an object of the fields
// encoding/json writes, an empty one being a leaf.
func (b planBuilder) buildStruct(p *plan, t reflect.Type) {
	fields, ok := jsonFields(t)
	if !ok {
		p.tree, p.flat = unsupportedTree, unsupportedFlat
		return
	}
	p.leaves = 0
	for i := range fields {
		fields[i].plan = b.plan(fields[i].typ)
		p.leaves += fields[i].plan.leaves
	}
	p.leaves = min(max(p.leaves, 1), maxLeaves)
	p.tree = func(v reflect.Value, depth int) (any, bool) {
		m := make(map[string]any, len(fields))
		for i := range fields {
			f := &fields[i]
			fv, ok := f.value(v)
			if !ok {
				continue
			}
			if m[f.name], ok = f.plan.tree(fv, depth+1); !ok {
				return nil, false
			}
		}
		return m, true
	}
	p.flat = func(out map[string]any, prefix string, v reflect.Value, depth int) bool {
		n := 0
		for i := range fields {
			f := &fields[i]
			fv, ok := f.value(v)
			if !ok {
				continue
			}
			n++
			if !f.plan.flat(out, joinPath(prefix, f.name), fv, depth+1) {
				return false
			}
		}
		if n == 0 {
			out[prefix] = map[string]any{}
		}
		return true
	}
}

// field is a struct field as encoding/json writes it.
type field struct {
	name      string
	tagged    bool  // name comes from the json tag
	index     []int // path through embedded structs
	typ       reflect.Type
	omitEmpty bool
	unusual   bool // ",string" or "omitzero", left to encoding/json
	plan      *plan
}

// value returns the field of struct v, false when the field is omitted
// (behind a nil embedded pointer, or empty and omitempty).
func (f *field) value(v reflect.Value) (reflect.Value, bool) {
	for _, i := range f.index {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, !f.omitEmpty || !isEmptyValue(v)
}

// isEmptyValue is encoding/json's omitempty test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// jsonFields lists the fields encoding/json writes for struct type t, in
// its order; it follows encoding/json's typeFields: embedded structs are
// explored breadth first and, among fields of one name, the shallowest
// wins, a tagged one breaking a tie, or none when still tied. It reports
// false when a field uses an option left to encoding/json.
func jsonFields(t reflect.Type) ([]field, bool) {
	type embedded struct {
		typ   reflect.Type
		index []int
	}
	var fields []field
	next := []embedded{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		var current []embedded
		current, next = next, nil
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, e := range current {
			if visited[e.typ] {
				continue
			}
			visited[e.typ] = true
			for i := range e.typ.NumField() {
				sf := e.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !isValidTag(name) {
					name = ""
				}
				index := append(slices.Clip(e.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := field{
						name: cmp.Or(name, sf.Name), tagged: name != "", index: index, typ: sf.Type,
						omitEmpty: hasOption(opts, "omitempty"),
						unusual:   hasOption(opts, "omitzero") || hasOption(opts, "string"),
					}
					fields = append(fields, f)
					if count[e.typ] > 1 {
						// A type embedded twice at this depth: the copy
						// makes the field ambiguous.
						fields = append(fields, f)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, embedded{typ: ft, index: index})
				}
			}
		}
	}
	slices.SortFunc(fields, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		if j-i == 1 || len(fields[i].index) != len(fields[i+1].index) || fields[i].tagged != fields[i+1].tagged {
			out = append(out, fields[i])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b field) int { return slices.Compare(a.index, b.index) })
	for _, f := range out {
		if f.unusual {
			return nil, false
		}
	}
	return out, true
}

// hasOption reports whether the comma-separated tag options hold opt.
func hasOption(opts, opt string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == opt {
			return true
		}
	}
	return false
}

// isValidTag is encoding/json's test of a tag name.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
