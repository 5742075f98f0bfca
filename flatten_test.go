package crm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// refFlatten is Flatten as it was, by the JSON round trip: the reference
// the reflective walk must match.
func refFlatten(v any) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return flattenJSON(v)
}

// refRawJSON is RawJSON as it was.
func refRawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if v == nil || err != nil {
		return json.RawMessage("null")
	}
	return b
}

// refDiff is Diff as it was.
func refDiff(before, after any, mask func(field string, v any) any) []FieldChange {
	b, a := refFlatten(before), refFlatten(after)
	keys := slices.Sorted(maps.Keys(b))
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []FieldChange
	for _, k := range keys {
		if auditIgnored[k] {
			continue
		}
		bv, av := b[k], a[k]
		if bytes.Equal(refRawJSON(bv), refRawJSON(av)) {
			continue
		}
		out = append(out, FieldChange{Field: k, Before: refRawJSON(mask(k, bv)), After: refRawJSON(mask(k, av))})
	}
	return out
}

// sameTree reports whether a and b are the same decoded JSON: same types,
// same float bits (0 is not -0), same nil-ness of maps and slices.
func sameTree(a, b any) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	switch a := a.(type) {
	case float64:
		return math.Float64bits(a) == math.Float64bits(b.(float64))
	case []any:
		b := b.([]any)
		return (a == nil) == (b == nil) && len(a) == len(b) && sameSlice(a, b)
	case map[string]any:
		b := b.(map[string]any)
		if (a == nil) != (b == nil) || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameTree(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// sameSlice compares decoded arrays element by element.
func sameSlice(a, b []any) bool {
	for i := range a {
		if !sameTree(a[i], b[i]) {
			return false
		}
	}
	return true
}

// checkFlatten fails t when Flatten(v) differs from the reference.
func checkFlatten(t *testing.T, name string, v any) {
	t.Helper()
	got, want := Flatten(v), refFlatten(v)
	if !sameTree(got, want) {
		t.Errorf("%s: Flatten = %#v\nwant %#v", name, got, want)
	}
}

// fastPath reports whether Flatten walks v without the round trip.
func fastPath(v any) bool {
	rv := reflect.ValueOf(v)
	return planFor(rv.Type()).flat(map[string]any{}, "", rv, 0)
}

// Types exercising encoding/json's rules.
type (
	tCoords struct{ Lat, Lon float64 }
	tAddr   struct {
		Street string   `json:"street"`
		Unit   string   `json:"unit,omitempty"`
		Coords *tCoords `json:"coordinates,omitempty"`
	}
	tEmpty struct{}
	tBase  struct {
		ID     string `json:"id"`
		Shared string `json:"shared"`
		Hidden int
	}
	tOther struct {
		Shared string `json:"shared"`
		Other  bool   `json:"other,omitempty"`
	}
	tTagged struct {
		Shared string
		X      int `json:"x"`
	}
	tInner struct {
		In string `json:"in"`
	}
	tDupA struct {
		X int `json:"x"`
		Y int
		Z int
	}
	tDupB struct {
		W int `json:"w"`
		Y int // untagged in both: dropped
		Z int `json:"Z"` // tagged: wins over tDupA's untagged Z
	}
	tCommon struct{ C string }
	tWrapC1 struct{ tCommon }
	tWrapC2 struct{ tCommon }
	tDup    struct {
		tDupA
		tDupB
		tWrapC1
		tWrapC2 // C is reached twice at one depth: dropped
	}
	tDupWin struct {
		tDupA
		*tDupB
		Y string // shallower than the embedded Ys
	}
	// tSelf embeds itself: its fields are explored once.
	tSelf struct {
		*tSelf
		S string
	}
	tNamedStr   string
	tNamedBytes []byte
	tNamedFloat float64

	// tValJSON marshals itself as an object, with spaces.
	tValJSON struct{ N int }
	// tPtrJSON marshals itself only when addressable.
	tPtrJSON struct{ N int }
	tValText struct{ S string }
	tPtrText struct{ S string }
	// tBoth has MarshalJSON on the pointer, MarshalText on the value.
	tBoth    struct{ S string }
	tNumJSON int
	tStrJSON string
	tBadJSON struct{}
	tTextKey struct{ K string }
)

func (v tValJSON) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, ` {"n": %d, "s":"a\u00e9\n", "e":{}, "z":null} `, v.N), nil
}
func (p *tPtrJSON) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, `"ptr %d"`, p.N), nil }
func (v tValText) MarshalText() ([]byte, error)  { return []byte("text:" + v.S), nil }
func (p *tPtrText) MarshalText() ([]byte, error) { return []byte("ptr:" + p.S), nil }
func (p *tBoth) MarshalJSON() ([]byte, error)    { return []byte(`["json"]`), nil }
func (v tBoth) MarshalText() ([]byte, error)     { return []byte("text " + v.S), nil }
func (n tNumJSON) MarshalJSON() ([]byte, error)  { return fmt.Appendf(nil, "%d.50", n), nil }
func (s tStrJSON) MarshalJSON() ([]byte, error)  { return json.Marshal(string(s)) }
func (tBadJSON) MarshalJSON() ([]byte, error)    { return nil, errors.New("bad") }
func (k tTextKey) MarshalText() ([]byte, error)  { return []byte(k.K), nil }

// tRich holds a field of every shape Flatten follows.
type tRich struct {
	tBase
	*tOther
	tInner
	tTagged `json:"tagged"`
	Name    string `json:"name"`
	Skip    string `json:"-"`
	Dash    string `json:"-,"`
	private string
	BadTag  string                    `json:"a\"b"`
	Addr    tAddr                     `json:"addr"`
	AddrPtr *tAddr                    `json:"addr_ptr"`
	AddrOm  *tAddr                    `json:"addr_omit,omitempty"`
	Empty   tEmpty                    `json:"empty"`
	EmptyP  *tEmpty                   `json:"empty_ptr"`
	Int     int                       `json:"int"`
	Int8    int8                      `json:"int8"`
	U64     uint64                    `json:"u64"`
	Big     int64                     `json:"big"`
	F32     float32                   `json:"f32"`
	F64     float64                   `json:"f64"`
	NF      tNamedFloat               `json:"nf"`
	OmInt   int                       `json:",omitempty"`
	OmBool  bool                      `json:"ob,omitempty"`
	OmStr   string                    `json:"os,omitempty"`
	OmF     float64                   `json:"of,omitempty"`
	OmSl    []int                     `json:"osl,omitempty"`
	OmMap   map[string]int            `json:"om,omitempty"`
	OmPtr   *int                      `json:"op,omitempty"`
	OmIf    any                       `json:"oi,omitempty"`
	OmArr   [0]int                    `json:"oa,omitempty"`
	OmSt    tEmpty                    `json:"ost,omitempty"`
	Bytes   []byte                    `json:"bytes"`
	NB      tNamedBytes               `json:"nb"`
	Arr     [3]int                    `json:"arr"`
	ByteArr [2]byte                   `json:"byte_arr"`
	Slice   []tAddr                   `json:"slice"`
	Strs    []string                  `json:"strs"`
	PtrSl   []*tAddr                  `json:"ptr_slice"`
	Map     map[string]any            `json:"map"`
	IntMap  map[int]string            `json:"int_map"`
	UMap    map[uint8]bool            `json:"umap"`
	NMap    map[string]map[string]int `json:"nmap"`
	SMap    map[tNamedStr]tNamedStr   `json:"smap"`
	Iface   any                       `json:"iface"`
	Err     error                     `json:"err"`
	Time    time.Time                 `json:"time"`
	TimeP   *time.Time                `json:"time_ptr"`
	Date    Date                      `json:"date"`
	DateP   *Date                     `json:"date_ptr"`
	Money   Money                     `json:"money"`
	VJ      tValJSON                  `json:"vj"`
	PJ      tPtrJSON                  `json:"pj"`
	PJP     *tPtrJSON                 `json:"pjp"`
	VT      tValText                  `json:"vt"`
	PT      tPtrText                  `json:"pt"`
	Both    tBoth                     `json:"both"`
	BothS   []tBoth                   `json:"both_slice"`
	BothM   map[string]tBoth          `json:"both_map"`
	NumJ    tNumJSON                  `json:"numj"`
	StrJ    tStrJSON                  `json:"strj"`
	Str     tNamedStr                 `json:"str"`
	Next    *tRich                    `json:"next,omitempty"`
	Dup     tDup                      `json:"dup"`
	DupWin  tDupWin                   `json:"dup_win"`
}

// fullRich is a tRich with every field set, awkward values included.
func fullRich() *tRich {
	at := time.Date(2024, time.March, 14, 9, 26, 53, 589793000, time.FixedZone("X", 5*3600+1800))
	d := Date{2001, time.May, 2}
	one := 1
	return &tRich{
		tBase: tBase{ID: "id1", Shared: "hidden by nothing", Hidden: 3}, tOther: &tOther{Shared: "o", Other: true},
		tInner: tInner{In: "in"}, tTagged: tTagged{Shared: "t", X: 7},
		Name: "<Ada> & \"Co\"\n\t\x01\x7f é \u2028 a\xffb\xfe", Skip: "s", Dash: "dash", private: "p", BadTag: "bt",
		Addr:    tAddr{Street: "1 Main", Unit: "4", Coords: &tCoords{Lat: -0.0, Lon: math.Copysign(0, -1)}},
		AddrPtr: &tAddr{Street: "x.y"}, AddrOm: &tAddr{}, EmptyP: &tEmpty{},
		Int: -42, Int8: -8, U64: math.MaxUint64, Big: 1<<53 + 1, F32: 0.1, F64: 1e21, NF: 1e-7,
		OmInt: 1, OmBool: true, OmStr: "x", OmF: -0.5, OmSl: []int{}, OmMap: map[string]int{}, OmPtr: &one,
		OmIf: 0, Bytes: []byte{0, 1, 2, 255}, NB: tNamedBytes("nb"), Arr: [3]int{1, 2, 3}, ByteArr: [2]byte{4, 5},
		Slice: []tAddr{{Street: "a"}, {}}, Strs: []string{}, PtrSl: []*tAddr{nil, {Unit: "u"}},
		Map: map[string]any{"a": 1, "b": map[string]any{"c": nil, "d": []any{}}, "": "empty key", "e": map[string]any{},
			"f": map[string]any{"": "x"}, "g": &tAddr{Street: "g"}, "h": tBoth{S: "h"}, "i": nil, "j": float32(1.1)},
		IntMap: map[int]string{-1: "m", 2: "n"}, UMap: map[uint8]bool{7: true},
		NMap: map[string]map[string]int{"x": {"y": 1}, "z": nil, "w": {}}, SMap: map[tNamedStr]tNamedStr{"k": "v"},
		Iface: []any{1, "two", nil, map[string]any{}, tPtrJSON{N: 1}}, Err: errors.New("boom"),
		Time: at, TimeP: &at, Date: d, DateP: &d, Money: 1999,
		VJ: tValJSON{N: 2}, PJ: tPtrJSON{N: 3}, PJP: &tPtrJSON{N: 4}, VT: tValText{S: "v"}, PT: tPtrText{S: "p"},
		Both: tBoth{S: "b"}, BothS: []tBoth{{S: "s"}}, BothM: map[string]tBoth{"m": {S: "m"}},
		NumJ: 12, StrJ: "str\u00e9<", Str: "named",
		Next:   &tRich{Name: "next", Empty: tEmpty{}},
		Dup:    tDup{tDupA: tDupA{X: 1, Y: 2, Z: 3}, tDupB: tDupB{W: 4, Y: 5, Z: 6}, tWrapC1: tWrapC1{tCommon{"c1"}}},
		DupWin: tDupWin{tDupA: tDupA{X: 1, Y: 2, Z: 3}, tDupB: &tDupB{Z: 9}, Y: "top"},
	}
}

// TestFlattenMatchesJSON compares Flatten with the JSON round trip on
// values of every shape, each by pointer (addressable fields, whose
// pointer methods apply) and by value.
func TestFlattenMatchesJSON(t *testing.T) {
	full := fullRich()
	partial := fullRich()
	partial.tOther, partial.AddrPtr, partial.Map, partial.Bytes, partial.Iface, partial.TimeP = nil, nil, nil, nil, nil, nil
	partial.DupWin.tDupB, partial.Next, partial.Slice = nil, nil, nil
	cases := map[string]any{
		"full": full, "partial": partial, "zero": &tRich{},
		"address": &tAddr{Street: "s"}, "empty struct": tEmpty{}, "empty struct pointer": &tEmpty{},
		"nil pointer": (*tAddr)(nil), "string": "s", "number": 3, "bool": true, "slice": []int{1},
		"time": full.Time, "date": full.Date, "money": full.Money, "map of structs": map[string]tAddr{"a": {}},
		"pointer to pointer": &full.AddrPtr, "self embedding": &tSelf{tSelf: &tSelf{S: "in"}, S: "out"}, "any pointer": &full.Iface, "interface in slice": []any{full},
	}
	for name, v := range cases {
		checkFlatten(t, name, v)
		if !fastPath(v) {
			t.Errorf("%s: took the round trip", name)
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
			checkFlatten(t, name+" by value", rv.Elem().Interface())
		}
	}
}

// TestFlattenFallsBack checks the values left to encoding/json: they take
// the round trip, and so still match it (an error gives no fields).
func TestFlattenFallsBack(t *testing.T) {
	cyclic := &tRich{Name: "c"}
	cyclic.Next = cyclic
	deep := &tRich{}
	for range 2 * maxDepth {
		deep = &tRich{Next: deep}
	}
	badTime := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]any{
		"NaN":         &tRich{F64: math.NaN()},
		"infinity":    &tRich{NF: tNamedFloat(math.Inf(-1))},
		"json.Number": &struct{ N json.Number }{"12.5e3"},
		"string option": &struct {
			N int `json:",string"`
		}{5},
		"omitzero option": &struct {
			T time.Time `json:",omitzero"`
		}{},
		"text map key":      map[tTextKey]int{{"k"}: 1},
		"invalid key":       map[string]int{"a\xff": 1, "a\xfe": 2},
		"cycle":             cyclic,
		"deep":              deep,
		"channel":           &struct{ C chan int }{make(chan int)},
		"failing marshal":   &struct{ B tBadJSON }{},
		"time out of range": &struct{ T time.Time }{badTime},
		"marshaler in any":  &struct{ M json.Marshaler }{tNumJSON(1)},
	}
	for name, v := range cases {
		checkFlatten(t, name, v)
		if fastPath(v) {
			t.Errorf("%s: did not take the round trip", name)
		}
	}
}

// TestFlattenRandom compares Flatten with the round trip, and Diff with
// Diff as it was, on random tRich values.
func TestFlattenRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 1))
	mask := func(field string, v any) any {
		if s, ok := v.(string); ok && strings.HasSuffix(field, "name") {
			return MaskWords(s)
		}
		return v
	}
	var prev *tRich
	for i := range 500 {
		v := &tRich{}
		fill(r, reflect.ValueOf(v).Elem(), 0)
		checkFlatten(t, fmt.Sprintf("seed %d, value %d", seed, i), v)
		checkFlatten(t, fmt.Sprintf("seed %d, value %d by value", seed, i), *v)
		if got, want := Diff(prev, v, mask), refDiff(prev, v, mask); !sameChanges(got, want) {
			t.Errorf("seed %d, value %d: Diff = %s\nwant %s", seed, i, got, want)
		}
		if prev == nil || r.IntN(2) == 0 {
			prev = v
		}
		if t.Failed() {
			return
		}
	}
}

// sameChanges compares field changes byte for byte.
func sameChanges(a, b []FieldChange) bool {
	return slices.EqualFunc(a, b, func(x, y FieldChange) bool {
		return x.Field == y.Field && bytes.Equal(x.Before, y.Before) && bytes.Equal(x.After, y.After) &&
			(x.Before == nil) == (y.Before == nil) && (x.After == nil) == (y.After == nil)
	})
}

// Pools of awkward values for fill.
var (
	randStrings = []string{"", "a", "Ada Lovelace", "<&>", "a\xffb", "\xfe", "é", "\u2028", "x.y", "\n\"\\", "\x7f", "\ufffd", "a&b", "x>y"}
	randFloats  = []float64{0, math.Copysign(0, -1), 1.5, -2.25, 1e21, 1e-6, 9.99e-7, 123456789.125, 5e-324,
		math.MaxFloat64, 1 << 53, 0.1}
	randInts  = []int64{0, 1, -1, 42, math.MaxInt64, math.MinInt64, 1<<53 + 1}
	randAnies = []func() any{
		func() any { return nil }, func() any { return "s" }, func() any { return 2.5 }, func() any { return 7 },
		func() any { return map[string]any{} }, func() any { return []any{} }, func() any { return &tAddr{Unit: "u"} },
		func() any { return map[string]any{"k": nil, "l": map[string]any{"m": "n"}} }, func() any { return tBoth{} },
		func() any { return tPtrJSON{N: 1} }, func() any { return []byte("b") }, func() any { return tEmpty{} },
	}
)

// fill sets v, and what it holds, to random values of the pools: nil or
// empty as often as set.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	if !v.CanSet() && v.Kind() != reflect.Struct {
		return
	}
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(time.FixedZone("", 3600*r.IntN(5)))))
		return
	case reflect.TypeFor[Date]():
		v.Set(reflect.ValueOf(Date{1900 + r.IntN(200), time.Month(1 + r.IntN(12)), 1 + r.IntN(28)}))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := randInts[r.IntN(len(randInts))]; !v.OverflowInt(n) {
			v.SetInt(n)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(r.Uint64() >> r.IntN(64))
	case reflect.Float32, reflect.Float64:
		f := randFloats[r.IntN(len(randFloats))]
		if r.IntN(200) == 0 {
			f = math.NaN()
		}
		if v.Kind() == reflect.Float32 && math.Abs(f) > math.MaxFloat32 {
			f = 3.4e38
		}
		v.SetFloat(f)
	case reflect.String:
		v.SetString(randStrings[r.IntN(len(randStrings))])
	case reflect.Pointer:
		if depth < 3 && r.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			fill(r, p.Elem(), depth+1)
			v.Set(p)
		} else {
			v.SetZero()
		}
	case reflect.Slice, reflect.Array:
		n := v.Len()
		if v.Kind() == reflect.Slice {
			switch r.IntN(3) {
			case 0:
				v.SetZero()
				return
			case 1:
				n = 0
			default:
				n = 1 + r.IntN(3)
			}
			v.Set(reflect.MakeSlice(v.Type(), n, n))
		}
		for i := range n {
			fill(r, v.Index(i), depth+1)
		}
	case reflect.Map:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for range r.IntN(4) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(r, k, depth+1)
			if k.Kind() == reflect.String && r.IntN(20) > 0 {
				// Keys with invalid UTF-8 take the round trip: rarely.
				k.SetString(strings.ToValidUTF8(k.String(), "?"))
			}
			fill(r, e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Interface:
		if a := randAnies[r.IntN(len(randAnies))](); a != nil && reflect.TypeOf(a).Implements(v.Type()) {
			v.Set(reflect.ValueOf(a))
		} else {
			v.SetZero()
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(r, v.Field(i), depth+1)
		}
	}
}

// tConcurrent is flattened only by TestFlattenConcurrent, so its plans
// are built while goroutines race for them.
type tConcurrent struct {
	Self *tConcurrent      `json:"self"`
	Map  map[string]tInner `json:"map"`
	Any  any               `json:"any"`
}

// TestFlattenConcurrent flattens values of a type not planned yet from
// several goroutines (run with -race).
func TestFlattenConcurrent(t *testing.T) {
	v := &tConcurrent{Self: &tConcurrent{Any: 1.5}, Map: map[string]tInner{"k": {In: "i"}}, Any: &tConcurrent{}}
	want := refFlatten(v)
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			if got := Flatten(v); !sameTree(got, want) {
				errs <- fmt.Sprintf("Flatten = %#v, want %#v", got, want)
				return
			}
			errs <- ""
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
