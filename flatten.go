package crm

import (
	"encoding"
	"encoding/json"
	"reflect"
	"sync"
	"time"
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
