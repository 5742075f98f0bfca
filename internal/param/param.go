// Package param reads parameters given as text: the query string of a
// request, and a segment's rules, which name the same filters with the
// same values. Both go through one reader, so a value means and is
// checked the same wherever it is given. Each read records what is wrong
// on a crm.Problems under the parameter's name, and reads nothing.
package param

import (
	"slices"
	"strconv"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// Values are parameters by name, each value in its text form, with the
// problems found reading them.
type Values struct {
	m map[string]string
	p *crm.Problems
}

// New reads m, recording problems on p.
func New(m map[string]string, p *crm.Problems) Values { return Values{m: m, p: p} }

// Has reports whether the parameter was given.
func (v Values) Has(name string) bool { _, ok := v.m[name]; return ok }

// Str returns the parameter ("" when absent).
func (v Values) Str(name string) string { return v.m[name] }

// Bool reads exactly "true" or "false"; nil when absent or not a boolean.
func (v Values) Bool(name string) *bool {
	if !v.Has(name) {
		return nil
	}
	switch v.m[name] {
	case "true":
		return ptr(true)
	case "false":
		return ptr(false)
	}
	v.p.Add(name, "must be true or false")
	return nil
}

// Int reads a decimal integer; nil when absent or not an integer.
func (v Values) Int(name string) *int {
	if !v.Has(name) {
		return nil
	}
	n, err := strconv.Atoi(v.m[name])
	if err != nil {
		v.p.Add(name, "must be an integer")
		return nil
	}
	return &n
}

// Money reads an amount in major units with at most two decimals
// ("49.99", "50"); nil when absent or not such an amount.
func (v Values) Money(name string) *crm.Money {
	if !v.Has(name) {
		return nil
	}
	m, err := crm.ParseMoney(v.m[name])
	if err != nil {
		v.p.Add(name, err.Error())
		return nil
	}
	return &m
}

// Time reads an RFC 3339 time on a date within crm.MinDate..crm.MaxDate,
// in UTC; nil when absent or not such a time.
func (v Values) Time(name string) *time.Time {
	if !v.Has(name) {
		return nil
	}
	t, err := time.Parse(time.RFC3339, v.m[name])
	if err != nil {
		v.p.Add(name, "must be a time in RFC 3339 format (2025-01-31T09:30:00Z)")
		return nil
	}
	if !valid.Time(v.p, name, t) {
		return nil
	}
	t = t.UTC()
	return &t
}

// Enum reads a parameter that must be one of values; "" when absent or
// not one of them.
func Enum[T ~string](v Values, name string, values []T) T {
	if !v.Has(name) {
		return ""
	}
	s := T(v.m[name])
	if !slices.Contains(values, s) {
		v.p.Add(name, valid.EnumMessage(false, values))
		return ""
	}
	return s
}

func ptr[T any](v T) *T { return &v }
