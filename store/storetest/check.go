package storetest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ispstack/crm"
)

// cmpOpts compare stored values the way every store can keep them:
//   - nil and empty slices are equal (a column may come back either way);
//   - JSON documents (audit changes, event payloads, replayed headers) are
//     equal when they decode to the same value, since a jsonb column
//     rewrites spacing and key order; an absent document equals null;
//   - times compare with time.Time.Equal (cmp uses the Equal method), so
//     the location a driver returns does not matter.
var cmpOpts = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.FilterPath(isJSON, cmp.FilterValues(func(a, b []byte) bool { return len(a) > 0 || len(b) > 0 },
		cmp.Comparer(func(a, b []byte) bool { return jsonEqual(a, b) }))),
}

// isJSON matches the values that hold JSON documents: json.RawMessage
// (exactly, not every []byte) and crm.IdempotencyRecord.Header.
func isJSON(p cmp.Path) bool {
	if p.Last().Type() == reflect.TypeFor[json.RawMessage]() {
		return true
	}
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "Header" && len(p) >= 2 && p.Index(-2).Type() == reflect.TypeFor[crm.IdempotencyRecord]()
}

// jsonEqual reports whether two JSON documents decode to the same value.
func jsonEqual(a, b []byte) bool {
	if len(a) == 0 {
		a = []byte("null")
	}
	if len(b) == 0 {
		b = []byte("null")
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}

// check reports a mismatch between want and got as (-want +got).
func check(t testing.TB, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// ok fails the test now when err is not nil.
func ok(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantCode fails the test unless err carries code.
func wantCode(t testing.TB, what string, err error, code crm.Code) {
	t.Helper()
	if got := crm.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// wantConflict fails the test unless err is a conflict that names exactly
// field as in use.
func wantConflict(t testing.TB, what string, err error, field string) {
	t.Helper()
	wantCode(t, what, err, crm.CodeConflict)
	check(t, what+": fields", []crm.FieldError{{Field: field, Message: "is already in use"}}, crm.ErrorFields(err))
}
