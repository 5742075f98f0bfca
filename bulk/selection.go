package bulk

import (
	"maps"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// Selection is which customers a bulk operation reads: those of the
// customer list with the filters Params, in a segment when SegmentID is
// set. ParseSelection makes one.
type Selection struct {
	// Params are the filters as given, by their query parameter names
	// (customer.FilterParams, analytics.ProfileFilterParams), each value
	// in its query-string form: what the audit trail records.
	Params map[string]string
	// Filter and Profile are Params read.
	Filter  customer.Filter
	Profile analytics.ProfileFilter
	// SegmentID, when set, keeps the members of that segment.
	SegmentID string
}

// profiled reports whether the selection needs the analytics list: only
// a selection with an analytics filter or a segment does, as for GET
// /customers.
func (s *Selection) profiled() bool { return !s.Profile.IsZero() || s.SegmentID != "" }

// ParseSelection reads the filters params, by the names and in the forms
// of the customer list's query string, through the list's own parsers
// (customer.ParseFilter, analytics.ParseProfileFilter), as a segment's
// rules are read. segmentID is not checked here: listing answers
// not_found for a segment that does not exist. Errors: invalid, naming
// each unknown or bad parameter.
func ParseSelection(params map[string]string, segmentID string) (Selection, error) {
	var p crm.Problems
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if !slices.Contains(analytics.RuleParams(), k) {
			p.Add(columnField(k, "filter"), "is not a filter of the customer list")
		}
	}
	sel := Selection{Params: maps.Clone(params), SegmentID: segmentID}
	var err error
	sel.Filter, err = customer.ParseFilter(params)
	p = append(p, crm.ErrorFields(err)...)
	sel.Profile, err = analytics.ParseProfileFilter(params)
	p = append(p, crm.ErrorFields(err)...)
	return sel, p.Err()
}
