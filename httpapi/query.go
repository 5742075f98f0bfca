package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/param"
	"github.com/ispstack/crm/internal/valid"
)

// query reads the query parameters of a request, collecting a problem for
// every bad one so a single 400 names them all. Values are read by
// internal/param, the reader a segment's rules go through too.
type query struct {
	given map[string]string // the first value of each parameter
	v     param.Values      // reads given
	p     crm.Problems
}

// parseQuery accepts only the named parameters: an unknown one, a
// repeated one, one that is not valid UTF-8 or one that fails valid.Chars
// (control or bidirectional control characters, which no parameter
// needs and Postgres refuses in text) is a problem naming it (as Stripe
// does, so a typo never silently widens a query).
func parseQuery(r *http.Request, allowed ...string) *query {
	q := &query{}
	q.v = param.New(nil, &q.p)
	if r.URL.RawQuery == "" {
		return q
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		q.p.Add("query", "is not a valid URL query string")
	}
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
	q.given = make(map[string]string, len(values))
	for name, vs := range values {
		q.given[name] = vs[0]
	}
	q.v = param.New(q.given, &q.p)
	return q
}

// has reports whether the parameter was given.
func (q *query) has(name string) bool { return q.v.Has(name) }

// str returns the parameter ("" when absent).
func (q *query) str(name string) string { return q.v.Str(name) }

// flag reads a boolean parameter: exactly "true" or "false", def when
// absent.
func (q *query) flag(name string, def bool) bool {
	if b := q.v.Bool(name); b != nil {
		return *b
	}
	return def
}

// integer reads an integer parameter; nil when absent.
func (q *query) integer(name string) *int { return q.v.Int(name) }

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
func enum[T ~string](q *query, name string, values []T) T { return param.Enum(q.v, name, values) }

// merge adds the field problems of err for the parameters that have none
// yet: a value the query string refused (control characters) is named
// once, not again by the parser that reads it.
func (q *query) merge(err error) {
	named := map[string]bool{}
	for _, f := range q.p {
		named[f.Field] = true
	}
	for _, f := range crm.ErrorFields(err) {
		if !named[f.Field] {
			q.p = append(q.p, f)
		}
	}
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
