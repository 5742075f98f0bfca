package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// query reads the query parameters of a request, collecting a problem for
// every bad one so a single 400 names them all.
type query struct {
	values url.Values
	p      crm.Problems
}

// parseQuery accepts only the named parameters: an unknown one, a
// repeated one, one that is not valid UTF-8 or one that fails valid.Chars
// (control or bidirectional control characters, which no parameter
// needs and Postgres refuses in text) is a problem naming it (as Stripe
// does, so a typo never silently widens a query).
func parseQuery(r *http.Request, allowed ...string) *query {
	q := &query{}
	if r.URL.RawQuery == "" {
		return q
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		q.p.Add("query", "is not a valid URL query string")
	}
	q.values = values
	for _, name := range sortedKeys(values) {
		vs := values[name]
		switch {
		case !slices.Contains(allowed, name):
			if utf8.ValidString(name) && len(name) <= 64 {
				q.p.Add(name, "is not a known query parameter")
			} else {
				q.p.Add("query", "names a parameter that is not known")
			}
		case len(vs) > 1:
			q.p.Add(name, "must be given at most once")
		case !utf8.ValidString(vs[0]):
			q.p.Add(name, "must be valid UTF-8")
		default:
			valid.Chars(&q.p, name, vs[0], false)
		}
	}
	return q
}

// has reports whether the parameter was given.
func (q *query) has(name string) bool { _, ok := q.values[name]; return ok }

// str returns the parameter ("" when absent).
func (q *query) str(name string) string { return q.values.Get(name) }

// flag reads a boolean parameter: exactly "true" or "false", def when
// absent.
func (q *query) flag(name string, def bool) bool {
	if !q.has(name) {
		return def
	}
	switch q.str(name) {
	case "true":
		return true
	case "false":
		return false
	}
	q.p.Add(name, "must be true or false")
	return def
}

// integer reads an integer parameter; nil when absent.
func (q *query) integer(name string) *int {
	if !q.has(name) {
		return nil
	}
	n, err := strconv.Atoi(q.str(name))
	if err != nil {
		q.p.Add(name, "must be an integer")
		return nil
	}
	return &n
}

// time reads an RFC 3339 time parameter, on a date within
// crm.MinDate..crm.MaxDate; nil when absent.
func (q *query) time(name string) *time.Time {
	if !q.has(name) {
		return nil
	}
	t, err := time.Parse(time.RFC3339, q.str(name))
	if err != nil {
		q.p.Add(name, "must be a time in RFC 3339 format (2025-01-31T09:30:00Z)")
		return nil
	}
	if !valid.Time(&q.p, name, t) {
		return nil
	}
	t = t.UTC()
	return &t
}

// limit reads the page size: 1–200, 0 (the default) when absent.
func (q *query) limit() int {
	n := q.integer("limit")
	if n == nil {
		return 0
	}
	if *n < 1 || *n > crm.MaxLimit {
		q.p.Addf("limit", "must be between 1 and %d", crm.MaxLimit)
		return 0
	}
	return *n
}

// cursor reads an opaque page cursor; the service validates it.
func (q *query) cursor() string {
	c := q.str("cursor")
	if q.has("cursor") && c == "" {
		q.p.Add("cursor", "must not be empty")
	}
	return c
}

// enum reads a parameter that must be one of values; "" when absent.
func enum[T ~string](q *query, name string, values []T) T {
	if !q.has(name) {
		return ""
	}
	v := T(q.str(name))
	if !slices.Contains(values, v) {
		names := make([]string, len(values))
		for i, v := range values {
			names[i] = string(v)
		}
		q.p.Add(name, "must be one of "+strings.Join(names, ", "))
		return ""
	}
	return v
}

// err returns the collected problems, nil when there are none.
func (q *query) err() error { return q.p.Err() }

// date reads a YYYY-MM-DD parameter, within crm.MinDate..crm.MaxDate; the
// zero Date when absent or bad.
func (q *query) date(name string) crm.Date {
	if !q.has(name) {
		return crm.Date{}
	}
	d, err := crm.ParseDate(q.str(name))
	if err != nil {
		q.p.Add(name, err.Error())
	}
	return d
}
