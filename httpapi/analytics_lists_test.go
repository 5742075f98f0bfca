package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// profileSpec is the part of a profile a test sets; the rest follows
// from it.
type profileSpec struct {
	mrr, ltv      crm.Money
	score, tenure int
	tech          customer.Technology
	types         []customer.ServiceType
	autopay       bool
}

// rankedFixture creates customers named by the keys of specs, in the
// order of names (so later names have greater ids), each with the
// profile of its spec, or none for a nil spec, plus Zed, closed, whose
// profile beats every other (closing it leaves its profile: the profile
// of a closed customer is never refreshed). It returns the ids by name.
func rankedFixture(t *testing.T, e *env, names []string, specs map[string]*profileSpec, attrs map[string]map[string]any) map[string]string {
	t.Helper()
	ids := map[string]string{}
	var ps []analytics.Profile
	for i, name := range append(names, "Zed") {
		body := map[string]any{"name": name, "email": fmt.Sprintf("%s@example.com", name), "phone": fmt.Sprintf("+1 212 555 %04d", 100+i)}
		for k, v := range attrs[name] {
			body[k] = v
		}
		ids[name] = e.createCustomer(body).ID
		spec := specs[name]
		if name == "Zed" {
			spec = &profileSpec{mrr: 99900, ltv: 99_900_000, score: 99, tenure: 99}
		}
		if spec == nil {
			continue
		}
		ps = append(ps, spec.profile(ids[name]))
	}
	if err := e.store.SaveProfiles(t.Context(), ps); err != nil {
		t.Fatalf("SaveProfiles: %v", err)
	}
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + ids["Zed"], key: adminKey}).want(t, 204)
	return ids
}

// profile is the stored profile of the customer id that spec describes.
func (spec *profileSpec) profile(id string) analytics.Profile {
	types := spec.types
	if types == nil {
		types = []customer.ServiceType{}
	}
	return analytics.Profile{CustomerID: id, MRR: spec.mrr, HistoricalRevenue: spec.ltv / 2, TenureMonths: spec.tenure,
		ChurnProbability: float64(spec.score) / 100, ChurnScore: spec.score, ChurnLevel: analytics.LevelOf(spec.score),
		PredictedLTV: spec.ltv, Technology: spec.tech, ServiceTypes: types, Autopay: spec.autopay,
		ModelVersion: "test", ComputedAt: t0}
}

// rankedPage is a page of a ranked list.
type rankedPage struct {
	Customers []struct {
		ID        string         `json:"id"`
		Name      string         `json:"name"`
		Analytics map[string]any `json:"analytics"`
	} `json:"customers"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}

func (p rankedPage) names() []string {
	out := []string{}
	for _, c := range p.Customers {
		out = append(out, c.Name)
	}
	return out
}

// walkRanked reads every page of path (which has a query) with limit,
// following next_cursor, and returns the names in order.
func walkRanked(t *testing.T, e *env, path string, limit int) []string {
	t.Helper()
	out := []string{}
	cursor := ""
	for page := 0; ; page++ {
		if page > 50 {
			t.Fatalf("%s: the cursor does not advance", path)
		}
		p := path + "&limit=" + fmt.Sprint(limit)
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		var rp rankedPage
		e.do(req{method: "GET", path: p, key: viewerKey}).want(t, 200).decode(t, &rp)
		out = append(out, rp.names()...)
		if !rp.HasMore {
			if rp.NextCursor != nil {
				t.Errorf("%s: last page has next_cursor %q", p, *rp.NextCursor)
			}
			return out
		}
		cursor = *rp.NextCursor
	}
}

// TestHighValue ranks customers by predicted lifetime value on both
// stores: the default top 10 % (ties at the threshold included), min_ltv
// and min_mrr, other filters, paging, the analytics of each item, the
// closed customer never listed, and the refused parameters.
func TestHighValue(t *testing.T) { runOnStores(t, testHighValue) }

func testHighValue(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	// Twelve live customers: the top 10 % is ceil(1.2) = 2 customers, so
	// the threshold is the second value, 900, which Bea and Cy share.
	names := []string{"Al", "Bea", "Cy", "Di", "Ed", "Flo", "Gil", "Hal", "Ivy", "Jo", "Kit", "Lu"}
	specs := map[string]*profileSpec{
		"Al":  {mrr: 10000, ltv: 100000, score: 10, tenure: 40},
		"Bea": {mrr: 5000, ltv: 90000, score: 20, tenure: 30, tech: customer.TechFiber, autopay: true},
		"Cy":  {mrr: 8000, ltv: 90000, score: 30, tenure: 20},
		"Di":  {mrr: 3000, ltv: 50000, score: 40, tenure: 10},
		"Ed":  {mrr: 1000, ltv: 10000, score: 50, tenure: 5},
		"Flo": {mrr: 1000, ltv: 5000},
		"Gil": {mrr: 0, ltv: 0},
		"Hal": {mrr: 500, ltv: 1000},
		"Ivy": {mrr: 500, ltv: 1000},
		"Jo":  {mrr: 500, ltv: 100},
		"Kit": nil, // no profile yet
		"Lu":  {mrr: 500, ltv: 200},
	}
	ids := rankedFixture(t, e, names, specs, map[string]map[string]any{
		"Bea": {"billing_address": map[string]any{"street": "2 Elm St", "city": "Austin", "state": "TX", "postal_code": "73301", "country": "US"}},
		"Di":  {"billing_address": map[string]any{"street": "3 Elm St", "city": "Austin", "state": "TX", "postal_code": "73301", "country": "US"}},
	})

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Al", "Cy", "Bea"}},
		{"min_ltv=500", []string{"Al", "Cy", "Bea", "Di"}},
		{"min_ltv=10", []string{"Al", "Cy", "Bea", "Di", "Ed", "Flo", "Ivy", "Hal"}},
		// Zero values are never high-value, whatever the bound.
		{"min_ltv=0", []string{"Al", "Cy", "Bea", "Di", "Ed", "Flo", "Ivy", "Hal", "Lu", "Jo"}},
		{"min_mrr=30", []string{"Al", "Cy", "Bea", "Di"}},
		{"min_mrr=30&min_ltv=950", []string{"Al"}},
		// The top 10 % of the customers in Austin: ceil(0.2) = 1.
		{"city=austin", []string{"Bea"}},
		{"technology=fiber", []string{"Bea"}},
		{"status=suspended", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var p rankedPage
			r := e.do(req{method: "GET", path: "/api/v1/customers/high-value?" + tt.query, key: viewerKey}).want(t, 200)
			r.decode(t, &p)
			if diff := cmp.Diff(tt.want, p.names()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			for _, limit := range []int{1, 2} {
				if diff := cmp.Diff(tt.want, walkRanked(t, e, "/api/v1/customers/high-value?"+tt.query, limit)); diff != "" {
					t.Errorf("pages of %d (-want +got):\n%s", limit, diff)
				}
			}
			var v any
			_ = json.Unmarshal(r.body, &v)
			if err := doc.Components.Schemas["AnalyticsCustomerList"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
				t.Errorf("the page does not match AnalyticsCustomerList: %v", err)
			}
		})
	}

	t.Run("analytics of an item", func(t *testing.T) {
		var p rankedPage
		e.do(req{method: "GET", path: "/api/v1/customers/high-value?limit=1", key: viewerKey}).want(t, 200).decode(t, &p)
		want := map[string]any{"mrr": 100.0, "predicted_lifetime_value": 1000.0, "churn_score": 10.0, "churn_level": "low", "tenure_months": 40.0}
		if diff := cmp.Diff(want, p.Customers[0].Analytics); diff != "" || p.Customers[0].ID != ids["Al"] {
			t.Errorf("first item %s (-want +got):\n%s", p.Customers[0].ID, diff)
		}
	})

	t.Run("refused", func(t *testing.T) {
		var atRisk rankedPage
		e.do(req{method: "GET", path: "/api/v1/customers/at-risk?min_score=0&limit=1", key: viewerKey}).want(t, 200).decode(t, &atRisk)
		for query, field := range map[string]string{
			"min_ltv=abc":        "min_ltv",
			"min_ltv=-1":         "min_ltv",
			"min_mrr=1.234":      "min_mrr",
			"churn_level=severe": "churn_level",
			"min_score=50":       "min_score",
			"limit=0":            "limit",
			"cursor=" + url.QueryEscape(*atRisk.NextCursor): "cursor",
		} {
			p := e.do(req{method: "GET", path: "/api/v1/customers/high-value?" + query, key: viewerKey}).want(t, 400).problem(t)
			if diff := cmp.Diff([]string{field}, p.fields()); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", query, diff)
			}
		}
		e.do(req{method: "GET", path: "/api/v1/customers/high-value"}).want(t, 401)
		e.do(req{method: "GET", path: "/api/v1/customers/high-value?segment_id=0195f0a0-0000-7000-8000-000000000009", key: viewerKey}).want(t, 404)
	})
}

// TestAtRisk ranks customers by churn score on both stores: the default
// cut-off, ties by id, min_score, paging, the customer without a profile
// (a score of 0) and the closed one never listed.
func TestAtRisk(t *testing.T) { runOnStores(t, testAtRisk) }

func testAtRisk(t *testing.T, e *env) {
	names := []string{"An", "Bo", "Ce", "Du", "Ev", "Fy"}
	specs := map[string]*profileSpec{
		"An": {score: 80, ltv: 100},
		"Bo": {score: 55, ltv: 100, types: []customer.ServiceType{customer.ServiceVoice}},
		"Ce": {score: 55, ltv: 100},
		"Du": {score: analytics.HighScore, ltv: 100},
		"Ev": {score: analytics.HighScore - 1, ltv: 100},
		"Fy": nil,
	}
	rankedFixture(t, e, names, specs, map[string]map[string]any{"Ce": {"credit_score": 700}})
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"An", "Ce", "Bo", "Du"}},
		{"min_score=56", []string{"An"}},
		{"min_score=0", []string{"An", "Ce", "Bo", "Du", "Ev", "Fy"}},
		{"min_score=0&max_churn_score=55", []string{"Ce", "Bo", "Du", "Ev", "Fy"}},
		{"churn_level=high", []string{"Ce", "Bo", "Du"}},
		{"service_type=voice", []string{"Bo"}},
		{"min_credit_score=650", []string{"Ce"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var p rankedPage
			e.do(req{method: "GET", path: "/api/v1/customers/at-risk?" + tt.query, key: viewerKey}).want(t, 200).decode(t, &p)
			if diff := cmp.Diff(tt.want, p.names()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			for _, limit := range []int{1, 2, 3} {
				if diff := cmp.Diff(tt.want, walkRanked(t, e, "/api/v1/customers/at-risk?"+tt.query, limit)); diff != "" {
					t.Errorf("pages of %d (-want +got):\n%s", limit, diff)
				}
			}
		})
	}
	for query, field := range map[string]string{
		"min_score=101":      "min_score",
		"min_score=high":     "min_score",
		"min_churn_score=10": "min_churn_score", // min_score is this list's name for it
	} {
		p := e.do(req{method: "GET", path: "/api/v1/customers/at-risk?" + query, key: viewerKey}).want(t, 400).problem(t)
		if diff := cmp.Diff([]string{field}, p.fields()); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", query, diff)
		}
	}
}
