package analytics

import (
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/param"
	"github.com/ispstack/crm/internal/valid"
)

// ProfileFilter selects customers by their materialised analytics (their
// Profile). Zero fields do not filter; bounds are inclusive. A customer
// whose profile has not been computed yet is judged by NoProfile: it
// meets the conditions a profile of zeros meets (max_mrr, churn_level
// low, autopay false, …) and no others.
type ProfileFilter struct {
	MinMRR, MaxMRR *crm.Money
	MinLTV         *crm.Money // predicted lifetime value
	MinChurnScore  *int
	MaxChurnScore  *int
	ChurnLevel     ChurnLevel
	// MinTenureMonths and MaxTenureMonths bound Profile.TenureMonths.
	MinTenureMonths *int
	MaxTenureMonths *int
	// Technology is that of the internet service held.
	Technology customer.Technology
	// ContractTerm is the shortest contract term of the services held.
	ContractTerm customer.ContractTerm
	// ServiceType selects customers holding a service of that type.
	ServiceType    customer.ServiceType
	Autopay        *bool
	HasOpenTickets *bool
}

// MaxTenureFilter is the largest tenure, in months, a filter may name: the
// span of the dates the API accepts.
const MaxTenureFilter = 12 * (2100 - 1900 + 1)

// ProfileFilterParams are the names of the analytics filters: the query
// parameters of the customer lists and the keys of a segment's rules.
var ProfileFilterParams = []string{
	"min_mrr", "max_mrr", "min_ltv", "min_churn_score", "max_churn_score", "churn_level",
	"min_tenure_months", "max_tenure_months", "technology", "contract_term", "service_type",
	"autopay", "has_open_tickets",
}

// NoProfile is the profile a customer whose profile has not been computed
// yet is listed with and filtered by: zero figures, churn level low, no
// services, no auto-pay, no open tickets, no model and no ComputedAt.
func NoProfile(customerID string) Profile {
	return Profile{CustomerID: customerID, ChurnLevel: ChurnLow, ServiceTypes: []customer.ServiceType{}}
}

// IsZero reports whether f has no condition.
func (f *ProfileFilter) IsZero() bool { return *f == ProfileFilter{} }

// Matches reports whether p meets every condition of f. Both stores list
// exactly the customers whose profile (or NoProfile) it accepts.
func (f *ProfileFilter) Matches(p *Profile) bool {
	switch {
	case f.MinMRR != nil && p.MRR < *f.MinMRR,
		f.MaxMRR != nil && p.MRR > *f.MaxMRR,
		f.MinLTV != nil && p.PredictedLTV < *f.MinLTV,
		f.MinChurnScore != nil && p.ChurnScore < *f.MinChurnScore,
		f.MaxChurnScore != nil && p.ChurnScore > *f.MaxChurnScore,
		f.ChurnLevel != "" && p.ChurnLevel != f.ChurnLevel,
		f.MinTenureMonths != nil && p.TenureMonths < *f.MinTenureMonths,
		f.MaxTenureMonths != nil && p.TenureMonths > *f.MaxTenureMonths,
		f.Technology != "" && p.Technology != f.Technology,
		f.ContractTerm != "" && p.ContractTerm != f.ContractTerm,
		f.ServiceType != "" && !slices.Contains(p.ServiceTypes, f.ServiceType),
		f.Autopay != nil && p.Autopay != *f.Autopay,
		f.HasOpenTickets != nil && p.HasOpenTickets != *f.HasOpenTickets:
		return false
	}
	return true
}

// ParseProfileFilter reads the analytics filters among params (by the
// names of ProfileFilterParams; others are ignored), each value in its
// query-string form: amounts in major units with at most two decimals,
// scores and months as integers, enums by value, booleans as true or
// false. It validates them as Validate does. Errors: invalid, naming each
// bad parameter.
func ParseProfileFilter(params map[string]string) (ProfileFilter, error) {
	var p crm.Problems
	v := param.New(params, &p)
	f := ProfileFilter{
		MinMRR:          v.Money("min_mrr"),
		MaxMRR:          v.Money("max_mrr"),
		MinLTV:          v.Money("min_ltv"),
		MinChurnScore:   v.Int("min_churn_score"),
		MaxChurnScore:   v.Int("max_churn_score"),
		ChurnLevel:      param.Enum(v, "churn_level", ChurnLevels),
		MinTenureMonths: v.Int("min_tenure_months"),
		MaxTenureMonths: v.Int("max_tenure_months"),
		Technology:      param.Enum(v, "technology", customer.Technologies),
		ContractTerm:    param.Enum(v, "contract_term", customer.ContractTerms),
		ServiceType:     param.Enum(v, "service_type", customer.ServiceTypes),
		Autopay:         v.Bool("autopay"),
		HasOpenTickets:  v.Bool("has_open_tickets"),
	}
	f.check(&p) // a value that did not parse is left zero: named once
	return f, p.Err()
}

// Validate checks f: amounts not negative, scores within 0–100, months
// within 0–MaxTenureFilter, each minimum at most its maximum, enums known.
// Errors: invalid, naming each field by its parameter name.
func (f *ProfileFilter) Validate() error {
	var p crm.Problems
	f.check(&p)
	return p.Err()
}

func (f *ProfileFilter) check(p *crm.Problems) {
	for _, m := range []struct {
		name string
		v    *crm.Money
	}{{"min_mrr", f.MinMRR}, {"max_mrr", f.MaxMRR}, {"min_ltv", f.MinLTV}} {
		if m.v != nil && *m.v < 0 {
			p.Add(m.name, "must not be negative")
		}
	}
	for _, n := range []struct {
		name     string
		v        *int
		min, max int
	}{
		{"min_churn_score", f.MinChurnScore, 0, 100}, {"max_churn_score", f.MaxChurnScore, 0, 100},
		{"min_tenure_months", f.MinTenureMonths, 0, MaxTenureFilter}, {"max_tenure_months", f.MaxTenureMonths, 0, MaxTenureFilter},
	} {
		if n.v != nil && (*n.v < n.min || *n.v > n.max) {
			p.Addf(n.name, "must be between %d and %d", n.min, n.max)
		}
	}
	if f.MinMRR != nil && f.MaxMRR != nil && *f.MinMRR > *f.MaxMRR {
		p.Add("min_mrr", "must not exceed max_mrr")
	}
	if f.MinChurnScore != nil && f.MaxChurnScore != nil && *f.MinChurnScore > *f.MaxChurnScore {
		p.Add("min_churn_score", "must not exceed max_churn_score")
	}
	if f.MinTenureMonths != nil && f.MaxTenureMonths != nil && *f.MinTenureMonths > *f.MaxTenureMonths {
		p.Add("min_tenure_months", "must not exceed max_tenure_months")
	}
	enum(p, "churn_level", f.ChurnLevel, ChurnLevels)
	enum(p, "technology", f.Technology, customer.Technologies)
	enum(p, "contract_term", f.ContractTerm, customer.ContractTerms)
	enum(p, "service_type", f.ServiceType, customer.ServiceTypes)
}

// enum checks an optional enum field.
func enum[T ~string](p *crm.Problems, name string, v T, values []T) {
	if v != "" && !slices.Contains(values, v) {
		p.Add(name, valid.EnumMessage(false, values))
	}
}
