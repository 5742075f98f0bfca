package param_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/param"
)

// TestValues reads each kind of parameter, well formed and not: a bad
// value reads as absent and names its parameter among the problems; an
// absent one is no problem.
func TestValues(t *testing.T) {
	var p crm.Problems
	v := param.New(map[string]string{
		"yes": "true", "no": "false", "bool": "TRUE",
		"n": "-12", "int": "1.5",
		"m": "49.9", "money": "1.234",
		"at": "2025-01-31T09:30:00+02:00", "time": "2025-01-31", "old": "1800-01-01T00:00:00Z",
		"e": "b", "enum": "z",
	}, &p)
	if got := v.Bool("yes"); got == nil || !*got {
		t.Errorf("Bool(yes) = %v", got)
	}
	if got := v.Bool("no"); got == nil || *got {
		t.Errorf("Bool(no) = %v", got)
	}
	if got := v.Int("n"); got == nil || *got != -12 {
		t.Errorf("Int(n) = %v", got)
	}
	if got := v.Money("m"); got == nil || *got != 4990 {
		t.Errorf("Money(m) = %v", got)
	}
	if got := v.Time("at"); got == nil || !got.Equal(time.Date(2025, 1, 31, 7, 30, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("Time(at) = %v", got)
	}
	if got := param.Enum(v, "e", []string{"a", "b"}); got != "b" {
		t.Errorf("Enum(e) = %q", got)
	}
	if v.Bool("bool") != nil || v.Int("int") != nil || v.Money("money") != nil || v.Time("time") != nil ||
		v.Time("old") != nil || param.Enum(v, "enum", []string{"a", "b"}) != "" {
		t.Error("a malformed value read as a value")
	}
	if v.Bool("absent") != nil || v.Int("absent") != nil || v.Has("absent") || v.Str("absent") != "" {
		t.Error("an absent parameter read as given")
	}
	var names []string
	for _, f := range crm.ErrorFields(p.Err()) {
		names = append(names, f.Field)
	}
	if diff := cmp.Diff([]string{"bool", "int", "money", "time", "old", "enum"}, names); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
