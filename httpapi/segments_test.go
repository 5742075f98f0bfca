package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// segmentBody is a segment as the API writes it.
type segmentBody struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Rules       map[string]any `json:"rules"`
	MemberCount *int           `json:"member_count"`
	Version     int64          `json:"version"`
}

// createSegment creates a segment as admin and returns it.
func (e *env) createSegment(body any) segmentBody {
	e.t.Helper()
	var s segmentBody
	e.do(req{method: "POST", path: "/api/v1/customers/segments", key: adminKey, body: body}).want(e.t, 201).decode(e.t, &s)
	return s
}

// listNames returns the names of every customer GET /customers lists for
// query (all pages).
func listNames(t *testing.T, e *env, query string) []string {
	t.Helper()
	var p listPage
	e.do(req{method: "GET", path: "/api/v1/customers?limit=200&" + query, key: viewerKey}).want(t, 200).decode(t, &p)
	if p.HasMore {
		t.Fatalf("%s: more than one page", query)
	}
	return p.names()
}

// TestSegmentRulesMatchListFilters saves, for each set of rules, a segment
// and checks on both stores that its members (GET /customers?segment_id=)
// are the customers the list gives for the same filters as query
// parameters, that member_count counts them, and that the list's own
// filters apply as well as the rules.
func TestSegmentRulesMatchListFilters(t *testing.T) { runOnStores(t, testSegmentRulesMatchListFilters) }

func testSegmentRulesMatchListFilters(t *testing.T, e *env) {
	names := []string{"Al", "Bea", "Cy", "Di", "Ed", "Flo"}
	specs := map[string]*profileSpec{
		"Al":  {mrr: 10000, ltv: 100000, score: 80, tenure: 40, tech: customer.TechFiber, autopay: true, types: []customer.ServiceType{customer.ServiceInternet}},
		"Bea": {mrr: 5000, ltv: 90000, score: 55, tenure: 30, tech: customer.TechDSL, types: []customer.ServiceType{customer.ServiceInternet, customer.ServiceVoice}},
		"Cy":  {mrr: 8000, ltv: 90000, score: 30, tenure: 12, autopay: true, types: []customer.ServiceType{customer.ServiceVoice}},
		"Di":  {mrr: 3000, ltv: 50000, score: 10, tenure: 2},
		"Ed":  nil,
		"Flo": {mrr: 6000, ltv: 70000, score: 60, tenure: 24, autopay: true},
	}
	austin := map[string]any{"street": "2 Elm St", "city": "Austin", "state": "TX", "postal_code": "73301", "country": "US"}
	ids := rankedFixture(t, e, names, specs, map[string]map[string]any{
		"Al":  {"credit_score": 720, "billing_address": austin},
		"Bea": {"credit_score": 640, "billing_address": austin},
		"Cy":  {"credit_score": 800, "customer_type": "small_business"},
		"Ed":  {"billing_address": austin},
	})
	e.do(req{method: "POST", path: "/api/v1/customers/" + ids["Flo"] + "/suspend", key: agentKey, body: `{"reason":"abuse"}`}).want(t, 200)
	// The suspension refreshed Flo's profile from its (empty) records: put
	// the fixture's back.
	if err := e.store.SaveProfiles(t.Context(), []analytics.Profile{specs["Flo"].profile(ids["Flo"])}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		rules string // the rules as JSON
		query string // the same filters as list parameters
		want  []string
	}{
		{"no rules", `{}`, "", []string{"Al", "Bea", "Cy", "Di", "Ed", "Flo"}},
		{"status and mrr", `{"status":"active","min_mrr":50}`, "status=active&min_mrr=50", []string{"Al", "Bea", "Cy"}},
		{"city and credit score", `{"city":"AUSTIN","min_credit_score":650}`, "city=AUSTIN&min_credit_score=650", []string{"Al"}},
		{"churn level", `{"churn_level":"high"}`, "churn_level=high", []string{"Bea", "Flo"}},
		{"service type and autopay", `{"service_type":"voice","autopay":true}`, "service_type=voice&autopay=true", []string{"Cy"}},
		{"text forms", `{"min_tenure_months":"12","autopay":"false"}`, "min_tenure_months=12&autopay=false", []string{"Bea"}},
		{"without a profile", `{"max_churn_score":10,"state":"tx"}`, "max_churn_score=10&state=tx", []string{"Ed"}},
		{"technology and type", `{"technology":"fiber","customer_type":"residential"}`, "technology=fiber&customer_type=residential", []string{"Al"}},
		{"created and score bounds", `{"created_after":"2025-03-01T12:00:00Z","max_credit_score":700,"min_ltv":100}`,
			"created_after=2025-03-01T12:00:00Z&max_credit_score=700&min_ltv=100", []string{"Bea"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seg := e.createSegment(`{"name":"` + tt.name + `","rules":` + tt.rules + `}`)
			if seg.MemberCount == nil || *seg.MemberCount != len(tt.want) {
				t.Errorf("member_count = %v, want %d", seg.MemberCount, len(tt.want))
			}
			members := listNames(t, e, "segment_id="+seg.ID)
			if diff := cmp.Diff(tt.want, members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(members, listNames(t, e, tt.query)); diff != "" {
				t.Errorf("the list for %q (-members +list):\n%s", tt.query, diff)
			}
			var total listPage
			e.do(req{method: "GET", path: "/api/v1/customers?include_total=true&limit=1&segment_id=" + seg.ID, key: viewerKey}).want(t, 200).decode(t, &total)
			if total.TotalCount == nil || *total.TotalCount != len(tt.want) {
				t.Errorf("total_count = %v, want %d", total.TotalCount, len(tt.want))
			}
		})
	}

	t.Run("rules and the list's filters together", func(t *testing.T) {
		seg := e.createSegment(`{"name":"paying","rules":{"min_mrr":50}}`)
		for query, want := range map[string][]string{
			"status=suspended":             {"Flo"},
			"sort=-name":                   {"Flo", "Cy", "Bea", "Al"},
			"max_mrr=100&city=austin":      {"Al", "Bea"},
			"min_mrr=10":                   {"Al", "Bea", "Cy", "Flo"},
			"min_mrr=90":                   {"Al"},
			"q=" + url.QueryEscape("bea@"): {"Bea"},
			"status=active&autopay=true":   {"Al", "Cy"},
		} {
			if diff := cmp.Diff(want, listNames(t, e, "segment_id="+seg.ID+"&"+query)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", query, diff)
			}
		}
		var first, second listPage
		e.do(req{method: "GET", path: "/api/v1/customers?limit=2&sort=name&segment_id=" + seg.ID, key: viewerKey}).want(t, 200).decode(t, &first)
		e.do(req{method: "GET", path: "/api/v1/customers?limit=2&sort=name&segment_id=" + seg.ID + "&cursor=" + url.QueryEscape(*first.NextCursor),
			key: viewerKey}).want(t, 200).decode(t, &second)
		if diff := cmp.Diff([]string{"Al", "Bea", "Cy", "Flo"}, append(first.names(), second.names()...)); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})

	t.Run("list parameters refused", func(t *testing.T) {
		for query, field := range map[string]string{
			"min_mrr=abc":          "min_mrr",
			"max_churn_score=101":  "max_churn_score",
			"service_type=fax":     "service_type",
			"autopay=yes":          "autopay",
			"segment_id=":          "segment_id",
			"min_tenure_months=-1": "min_tenure_months",
		} {
			p := e.do(req{method: "GET", path: "/api/v1/customers?" + query, key: viewerKey}).want(t, 400).problem(t)
			if diff := cmp.Diff([]string{field}, p.fields()); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", query, diff)
			}
		}
		for _, id := range []string{"0195f0a0-0000-7000-8000-000000000009", "gold"} {
			e.do(req{method: "GET", path: "/api/v1/customers?segment_id=" + id, key: viewerKey}).want(t, 404)
		}
	})
}

// TestSegments covers the resource on both stores: roles, validation of
// the rules (unknown keys, values refused as the list refuses them),
// ETag and If-Match on PATCH and DELETE, the merge patch of rules, the
// list, the audit trail and the schemas.
func TestSegments(t *testing.T) { runOnStores(t, testSegments) }

func testSegments(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	matches := func(t *testing.T, schema string, body []byte) {
		t.Helper()
		var v any
		_ = json.Unmarshal(body, &v)
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s does not match %s: %v", body, schema, err)
		}
	}
	e.createCustomer(map[string]any{"credit_score": 700})
	const path = "/api/v1/customers/segments"
	body := `{"name":"Good credit","description":"Scores from 650.","rules":{"min_credit_score":650,"status":"active","autopay":"false","min_mrr":"0.5"}}`

	e.do(req{method: "POST", path: path, key: agentKey, body: body}).want(t, 403)
	r := e.do(req{method: "POST", path: path, key: adminKey, body: body}).want(t, 201)
	matches(t, "Segment", r.body)
	var seg segmentBody
	r.decode(t, &seg)
	if got := r.header.Get("Location"); got != path+"/"+seg.ID {
		t.Errorf("Location = %q", got)
	}
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q", got)
	}
	wantRules := map[string]any{"min_credit_score": 650.0, "status": "active", "autopay": false, "min_mrr": 0.5}
	if diff := cmp.Diff(wantRules, seg.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if seg.MemberCount == nil || *seg.MemberCount != 0 { // its MRR (no profile yet) is 0
		t.Errorf("member_count = %v, want 0", seg.MemberCount)
	}

	t.Run("refused bodies", func(t *testing.T) {
		for b, fields := range map[string][]string{
			`{"name":"x","rules":{"bogus":1,"status":"active"}}`:                   {"rules.bogus"},
			`{"name":"x","rules":{"min_mrr":"abc","min_credit_score":200}}`:        {"rules.min_credit_score", "rules.min_mrr"},
			`{"name":"x","rules":{"min_credit_score":800,"max_credit_score":700}}`: {"rules.min_credit_score"},
			`{"name":"x","rules":{"status":"gone","created_after":"yesterday"}}`:   {"rules.created_after", "rules.status"},
			`{"name":"x","rules":{"city":"A\u0000B"}}`:                             {"rules.city"},
			`{"name":"x","rules":{"status":{"eq":"active"}}}`:                      {"rules"},
			`{"name":"x","rules":["status"]}`:                                      {"rules"},
			`{"rules":{}}`:                                                         {"name"},
			`{"name":"x","member_count":3}`:                                        {"member_count"},
			`{"name":"x","filters":{}}`:                                            {"filters"},
		} {
			p := e.do(req{method: "POST", path: path, key: adminKey, body: b}).want(t, 400).problem(t)
			if diff := cmp.Diff(fields, slices.Sorted(slices.Values(p.fields()))); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", b, diff)
			}
		}
	})

	sp := path + "/" + seg.ID
	t.Run("get", func(t *testing.T) {
		r := e.do(req{method: "GET", path: sp, key: viewerKey}).want(t, 200)
		matches(t, "Segment", r.body)
		if got := r.header.Get("ETag"); got != `"1"` {
			t.Errorf("ETag = %q", got)
		}
		e.do(req{method: "GET", path: path + "/0195f0a0-0000-7000-8000-000000000009", key: viewerKey}).want(t, 404)
		e.do(req{method: "GET", path: path + "/gold", key: viewerKey}).want(t, 404)
	})

	t.Run("patch", func(t *testing.T) {
		patch := `{"description":"Active, no MRR floor.","rules":{"min_mrr":null,"preferred_contact":"email"}}`
		merge := map[string]string{"Content-Type": "application/merge-patch+json"}
		e.do(req{method: "PATCH", path: sp, key: agentKey, body: patch, header: merge}).want(t, 403)
		stale := map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": `"7"`}
		e.do(req{method: "PATCH", path: sp, key: adminKey, body: patch, header: stale}).want(t, 412).problem(t)
		var unchanged segmentBody
		e.do(req{method: "GET", path: sp, key: viewerKey}).want(t, 200).decode(t, &unchanged)
		if unchanged.Version != 1 || unchanged.Description != "Scores from 650." {
			t.Errorf("a stale PATCH changed the segment: %+v", unchanged)
		}
		current := map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": `"1"`}
		r := e.do(req{method: "PATCH", path: sp, key: adminKey, body: patch, header: current}).want(t, 200)
		matches(t, "Segment", r.body)
		var got segmentBody
		r.decode(t, &got)
		want := map[string]any{"min_credit_score": 650.0, "status": "active", "autopay": false, "preferred_contact": "email"}
		if diff := cmp.Diff(want, got.Rules); diff != "" {
			t.Errorf("rules (-want +got):\n%s", diff)
		}
		if got.Version != 2 || r.header.Get("ETag") != `"2"` || got.Description != "Active, no MRR floor." {
			t.Errorf("patched: %+v, ETag %s", got, r.header.Get("ETag"))
		}
		if got.MemberCount == nil || *got.MemberCount != 1 {
			t.Errorf("member_count = %v, want 1", got.MemberCount)
		}
		p := e.do(req{method: "PATCH", path: sp, key: adminKey, body: `{"rules":{"nope":true}}`, header: merge}).want(t, 400).problem(t)
		if diff := cmp.Diff([]string{"rules.nope"}, p.fields()); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		p = e.do(req{method: "PATCH", path: sp, key: adminKey, body: `{"version":9}`, header: merge}).want(t, 400).problem(t)
		if diff := cmp.Diff([]string{"version"}, p.fields()); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})

	t.Run("list", func(t *testing.T) {
		e.createSegment(`{"name":"Everyone"}`)
		var page struct {
			Segments   []segmentBody `json:"segments"`
			NextCursor *string       `json:"next_cursor"`
			HasMore    bool          `json:"has_more"`
		}
		r := e.do(req{method: "GET", path: path + "?limit=1", key: viewerKey}).want(t, 200)
		matches(t, "SegmentList", r.body)
		r.decode(t, &page)
		if len(page.Segments) != 1 || page.Segments[0].ID != seg.ID || !page.HasMore || page.Segments[0].MemberCount == nil {
			t.Fatalf("first page: %s", r.body)
		}
		r = e.do(req{method: "GET", path: path + "?include_member_count=false&cursor=" + *page.NextCursor, key: viewerKey}).want(t, 200)
		matches(t, "SegmentList", r.body)
		page.Segments = nil
		r.decode(t, &page)
		if len(page.Segments) != 1 || page.Segments[0].Name != "Everyone" || page.HasMore || strings.Contains(string(r.body), "member_count") {
			t.Errorf("second page: %s", r.body)
		}
		e.do(req{method: "GET", path: path + "?cursor=nope", key: viewerKey}).want(t, 400)
	})

	t.Run("delete", func(t *testing.T) {
		e.do(req{method: "DELETE", path: sp, key: agentKey}).want(t, 403)
		e.do(req{method: "DELETE", path: sp, key: adminKey, header: map[string]string{"If-Match": `"1"`}}).want(t, 412)
		e.do(req{method: "DELETE", path: sp, key: adminKey, header: map[string]string{"If-Match": `"2"`}}).want(t, 204)
		e.do(req{method: "GET", path: sp, key: viewerKey}).want(t, 404)
		e.do(req{method: "DELETE", path: sp, key: adminKey}).want(t, 404)
		e.do(req{method: "GET", path: "/api/v1/customers?segment_id=" + seg.ID, key: viewerKey}).want(t, 404)
	})

	t.Run("audit", func(t *testing.T) {
		entries, err := e.store.ListAudit(t.Context(), "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range entries {
			if a.Entity == "segments" && a.EntityID == seg.ID {
				actions = append(actions, a.Action)
			}
		}
		if diff := cmp.Diff([]string{"delete", "update", "create"}, actions); diff != "" {
			t.Errorf("audit actions, newest first (-want +got):\n%s", diff)
		}
	})
}
