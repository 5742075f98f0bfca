package crm

import (
	"encoding/base64"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// The plans of the types whose values hold others.

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
