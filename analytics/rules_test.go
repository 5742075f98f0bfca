package analytics_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// TestRulesJSON checks that rules read strings, numbers and booleans as
// their query-string text, drop nulls, refuse other values, and are
// written back with the JSON type of their parameter.
func TestRulesJSON(t *testing.T) {
	var r analytics.Rules
	in := `{"status":"active","min_credit_score":650,"min_mrr":49.5,"autopay":true,"max_tenure_months":"12","city":"12345","churn_level":null}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	want := analytics.Rules{"status": "active", "min_credit_score": "650", "min_mrr": "49.5", "autopay": "true",
		"max_tenure_months": "12", "city": "12345"}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("read (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const written = `{"autopay":true,"city":"12345","max_tenure_months":12,"min_credit_score":650,"min_mrr":49.50,"status":"active"}`
	if string(out) != written {
		t.Errorf("written %s, want %s", out, written)
	}
	for _, bad := range []string{`{"status":{"eq":"active"}}`, `{"status":["active"]}`, `["status"]`, `"status"`} {
		if err := json.Unmarshal([]byte(bad), &r); err == nil {
			t.Errorf("%s was read", bad)
		}
	}
	if err := json.Unmarshal([]byte(`null`), &r); err != nil || r != nil {
		t.Errorf("null read as %v, %v", r, err)
	}
	if out, _ := json.Marshal(analytics.Rules(nil)); string(out) != "{}" {
		t.Errorf("no rules written as %s", out)
	}
}

// TestParseRules checks that rules mean what the list's parameters mean,
// and that each problem names its rule.
func TestParseRules(t *testing.T) {
	c, err := analytics.ParseRules(analytics.Rules{"status": "suspended", "min_credit_score": "700", "min_mrr": "20",
		"service_type": "voice", "has_open_tickets": "false"})
	if err != nil {
		t.Fatal(err)
	}
	want := analytics.Conditions{
		Customer: customer.Filter{Status: customer.StatusSuspended, MinCreditScore: ptr(700)},
		Profile:  analytics.ProfileFilter{MinMRR: ptr(crm.Money(2000)), ServiceType: customer.ServiceVoice, HasOpenTickets: ptr(false)},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	_, err = analytics.ParseRules(analytics.Rules{"sort": "name", "limit": "5", "min_churn_score": "90", "max_churn_score": "80",
		"min_ltv": "-1", "q": "x"})
	want2 := []crm.FieldError{
		{Field: "rules.limit", Message: "is not a filter of the customer list"},
		{Field: "rules.sort", Message: "is not a filter of the customer list"},
		{Field: "rules.min_ltv", Message: "must not be negative"},
		{Field: "rules.min_churn_score", Message: "must not exceed max_churn_score"},
	}
	if diff := cmp.Diff(want2, crm.ErrorFields(err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
