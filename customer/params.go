package customer

import (
	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/param"
)

// FilterParams are the names of the list's filter conditions: the query
// parameters of GET /customers besides its sort and page, and the keys a
// segment's rules take for the same conditions.
var FilterParams = []string{
	"status", "customer_type", "q", "created_after", "created_before", "city", "state", "postal_code",
	"min_credit_score", "max_credit_score", "preferred_contact", "external_id",
}

// ParseFilter reads the filter conditions among params (by the names of
// FilterParams; others are ignored), each value in its query-string form:
// enums by value, created_after and created_before as RFC 3339 times, the
// credit scores as integers, the rest as text. It validates them as List
// does. Errors: invalid, naming each bad parameter.
func ParseFilter(params map[string]string) (Filter, error) {
	var p crm.Problems
	v := param.New(params, &p)
	f := Filter{
		Status:           param.Enum(v, "status", Statuses),
		Type:             param.Enum(v, "customer_type", Types),
		Query:            v.Str("q"),
		CreatedAfter:     v.Time("created_after"),
		CreatedBefore:    v.Time("created_before"),
		City:             v.Str("city"),
		State:            v.Str("state"),
		PostalCode:       v.Str("postal_code"),
		MinCreditScore:   v.Int("min_credit_score"),
		MaxCreditScore:   v.Int("max_credit_score"),
		PreferredContact: param.Enum(v, "preferred_contact", ContactMethods),
		ExternalID:       v.Str("external_id"),
	}
	checkConditions(&p, &f) // a value that did not parse is left zero: named once
	return f, p.Err()
}

// ValidateConditions checks the conditions of f as List does (its sort
// and page aside). Errors: invalid, naming each bad parameter.
func ValidateConditions(f *Filter) error {
	var p crm.Problems
	checkConditions(&p, f)
	return p.Err()
}
