package httpapi

import (
	"slices"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// The OpenAPI parts of segments and of the customer lists that read
// analytics: the analytics filters (query parameters, and the keys of a
// segment's rules), the segment schemas and the ranked list items.

// analyticsFilterSchemas are the schemas of the analytics filters
// (analytics.ProfileFilterParams), by name.
func analyticsFilterSchemas() obj {
	amount := func(desc string) obj {
		return obj{"type": "number", "multipleOf": 0.01, "minimum": 0, "description": desc}
	}
	return obj{
		"min_mrr":           amount("Monthly recurring revenue at least this (major units)."),
		"max_mrr":           amount("Monthly recurring revenue at most this (major units)."),
		"min_ltv":           amount("Predicted lifetime value at least this (major units)."),
		"min_churn_score":   integer("Churn score at least this.", 0, 100),
		"max_churn_score":   integer("Churn score at most this.", 0, 100),
		"churn_level":       enumOf("", analytics.ChurnLevels),
		"min_tenure_months": integer("Months since the earliest service start, at least.", 0, analytics.MaxTenureFilter),
		"max_tenure_months": integer("Months since the earliest service start, at most.", 0, analytics.MaxTenureFilter),
		"technology":        enumOf("That of the internet service held.", customer.Technologies),
		"contract_term":     enumOf("The shortest contract term of the services held.", customer.ContractTerms),
		"service_type":      enumOf("Holds a service of this type.", customer.ServiceTypes),
		"autopay":           boolean("The latest payment's that is not a refund."),
		"has_open_tickets":  boolean("Has a support ticket open."),
	}
}

// analyticsFilterNote says how the analytics filters judge a customer
// whose analytics have not been computed yet.
const analyticsFilterNote = " Analytics are refreshed per customer; one not computed yet counts as zeros, churn level low, no services, no auto-pay and no open tickets."

// analyticsFilterParameters are the analytics filters as query
// parameters, but those named in without.
func analyticsFilterParameters(without []string) []any {
	schemas := analyticsFilterSchemas()
	var out []any
	for _, name := range analytics.ProfileFilterParams {
		if slices.Contains(without, name) {
			continue
		}
		schema := schemas[name].(obj)
		p := queryParam(name, schema)
		p["description"] = schema["description"].(string) + analyticsFilterNote
		out = append(out, p)
	}
	return out
}

// segmentIDParameter is the segment_id filter of the customer lists.
func segmentIDParameter() obj {
	p := queryParam("segment_id", obj{"type": "string", "format": "uuid"})
	p["description"] = "Only the members of this segment: its rules apply as well as the other filters. 404 when there is no such segment."
	return p
}

// rankParameters are the query parameters of a ranked list: own, the
// list's filter conditions, the analytics filters but those in without,
// segment_id and the page.
func rankParameters(own []any, without ...string) []any {
	params := slices.Concat(own, customerFilterParameters(), analyticsFilterParameters(without))
	return append(params, segmentIDParameter(), pref("Limit"), pref("Cursor"))
}

// filterProperties are the customer list's filters (its conditions and
// the analytics filters) as the properties of an object keyed by their
// query parameter names: a segment's rules, a bulk target's filter.
func filterProperties() obj {
	props := obj{}
	for name, s := range analyticsFilterSchemas() {
		props[name] = s
	}
	for _, p := range customerFilterParameters() {
		p := p.(obj)
		props[p["name"].(string)] = p["schema"]
	}
	return props
}

// segmentComponents are the components of the segments module.
func segmentComponents() components {
	rules := func(nullable bool) obj {
		props := filterProperties()
		if nullable {
			for name, s := range props {
				props[name] = orNull(s.(obj))
			}
		}
		o := closed(object(nil, props))
		o["description"] = "The customer list's filters by their query parameter names, with their meaning; a customer is a member when it meets them all. " +
			"Values are strings, numbers or booleans; a number or boolean may also be sent as its query-string text (\"650\", \"true\"). Unknown keys are 400 naming rules.<key>." +
			analyticsFilterNote
		return o
	}
	writable := func() obj {
		return obj{"name": strLen("", 1, 100), "description": strLen("Several lines allowed.", 0, 1000)}
	}
	input, patch := writable(), writable()
	input["rules"] = sref("SegmentRules")
	patch["rules"] = orNull(obj{"allOf": []any{rules(true)},
		"description": "Merged key by key (RFC 7396): a value sets a rule, null removes it; null for the whole object removes every rule."})
	segment := writable()
	segment["rules"] = sref("SegmentRules")
	segment["id"] = obj{"type": "string", "format": "uuid"}
	segment["member_count"] = obj{"type": "integer", "minimum": 0,
		"description": "The customers that meet the rules now, counted on every read (absent from the list with include_member_count=false)."}
	segment["version"] = obj{"type": "integer", "minimum": 1}
	segment["created_at"] = timestamp("")
	segment["updated_at"] = timestamp("")
	return components{
		parameters: obj{"SegmentID": pathID("segment_id")},
		schemas: obj{
			"SegmentRules": rules(false),
			"SegmentInput": closed(object([]string{"name"}, input)),
			"SegmentPatch": closed(object(nil, patch)),
			"Segment":      object([]string{"id", "name", "description", "rules", "version", "created_at", "updated_at"}, segment),
			"SegmentList":  page("segments", "Segment"),
		},
	}
}

// analyticsListComponents are the components of the ranked lists.
func analyticsListComponents() components {
	return components{schemas: obj{
		"CustomerAnalytics": object([]string{"mrr", "predicted_lifetime_value", "churn_score", "churn_level", "tenure_months"}, obj{
			"mrr":                      money("Monthly recurring revenue of the services held."),
			"predicted_lifetime_value": money("Historical revenue plus the predicted future value (see GET …/lifetime-value)."),
			"churn_score":              integer("round(100 × the probability of leaving within a month).", 0, 100),
			"churn_level":              enumOf("", analytics.ChurnLevels),
			"tenure_months":            obj{"type": "integer", "minimum": 0},
		}),
		"AnalyticsCustomer": obj{"allOf": []any{sref("Customer"), object([]string{"analytics"}, obj{
			"analytics": sref("CustomerAnalytics"),
		})}},
		"AnalyticsCustomerList": page("customers", "AnalyticsCustomer"),
	}}
}
