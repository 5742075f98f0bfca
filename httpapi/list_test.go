package httpapi_test

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// listPage is the body of GET /customers.
type listPage struct {
	Customers []struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customers"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
	TotalCount *int    `json:"total_count"`
}

func (p listPage) names() []string {
	out := []string{}
	for _, c := range p.Customers {
		out = append(out, c.Name)
	}
	return out
}

func TestListCustomers(t *testing.T) { runOnStores(t, testListCustomers) }

func testListCustomers(t *testing.T, e *env) {
	seed := []map[string]any{
		{"name": "Alice Archer", "email": "alice@example.com", "phone": "+12125550101", "credit_score": 810, "preferred_contact": "sms"},
		{"name": "bob builder", "email": "bob@builders.example", "phone": "+12125550102", "customer_type": "small_business", "company": "Builders Inc",
			"billing_address": map[string]any{"street": "2 Elm St", "city": "Austin", "state": "TX", "postal_code": "73301", "country": "US"}},
		{"name": "Carol Chen", "email": "carol@example.com", "phone": "+12125550103", "credit_score": 640},
		{"name": "Dan Diaz", "email": "dan@example.com", "phone": "+12125550104", "credit_score": 700, "customer_type": "enterprise", "tax_id": "12-3456789"},
	}
	ids, createdAt := map[string]string{}, map[string]string{}
	for _, s := range seed {
		c := e.createCustomer(s)
		ids[s["name"].(string)], createdAt[s["name"].(string)] = c.ID, c.CreatedAt
	}
	e.do(req{method: "POST", path: "/api/v1/customers/" + ids["Carol Chen"] + "/suspend", key: agentKey, body: `{"reason":"abuse"}`}).want(t, 200)

	tests := []struct {
		query string
		want  []string
		total *int
	}{
		{"", []string{"Alice Archer", "bob builder", "Carol Chen", "Dan Diaz"}, nil},
		{"sort=-created_at", []string{"Dan Diaz", "Carol Chen", "bob builder", "Alice Archer"}, nil},
		{"sort=name", []string{"Alice Archer", "bob builder", "Carol Chen", "Dan Diaz"}, nil},
		{"sort=-credit_score", []string{"Alice Archer", "Dan Diaz", "Carol Chen", "bob builder"}, nil},
		{"status=suspended", []string{"Carol Chen"}, nil},
		{"customer_type=small_business", []string{"bob builder"}, nil},
		{"q=BUILDERS", []string{"bob builder"}, nil},
		{"q=" + url.QueryEscape("+12125550104"), []string{"Dan Diaz"}, nil},
		{"city=austin", []string{"bob builder"}, nil},
		{"state=IL&postal_code=62701", []string{"Alice Archer", "Carol Chen", "Dan Diaz"}, nil},
		{"min_credit_score=650&max_credit_score=800", []string{"Dan Diaz"}, nil},
		{"preferred_contact=sms", []string{"Alice Archer"}, nil},
		// Both bounds are exclusive: strictly between bob's and Dan's.
		{"created_after=" + createdAt["bob builder"] + "&created_before=" + createdAt["Dan Diaz"], []string{"Carol Chen"}, nil},
		{"include_total=true&limit=1", []string{"Alice Archer"}, ptr(4)},
		{"status=active&include_total=true", []string{"Alice Archer", "bob builder", "Dan Diaz"}, ptr(3)},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var p listPage
			e.do(req{method: "GET", path: "/api/v1/customers?" + tt.query, key: viewerKey}).want(t, 200).decode(t, &p)
			if diff := cmp.Diff(tt.want, p.names()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.total, p.TotalCount); diff != "" {
				t.Errorf("total_count (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("pagination", func(t *testing.T) {
		var got []string
		path := "/api/v1/customers?sort=-name&limit=3"
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			var p listPage
			e.do(req{method: "GET", path: path, key: viewerKey}).want(t, 200).decode(t, &p)
			got = append(got, p.names()...)
			if p.HasMore != (p.NextCursor != nil) {
				t.Fatalf("has_more %v with next_cursor %v", p.HasMore, p.NextCursor)
			}
			if !p.HasMore {
				break
			}
			path = "/api/v1/customers?sort=-name&limit=3&cursor=" + url.QueryEscape(*p.NextCursor)
		}
		if diff := cmp.Diff([]string{"Dan Diaz", "Carol Chen", "bob builder", "Alice Archer"}, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})

	t.Run("empty result is an empty array", func(t *testing.T) {
		r := e.do(req{method: "GET", path: "/api/v1/customers?q=nobody", key: viewerKey}).want(t, 200)
		if want := `{"customers":[],"next_cursor":null,"has_more":false}` + "\n"; string(r.body) != want {
			t.Errorf("body = %s, want %s", r.body, want)
		}
	})
}

func TestListQueryErrors(t *testing.T) { runOnStores(t, testListQueryErrors) }

func testListQueryErrors(t *testing.T, e *env) {
	id := e.createCustomer(nil).ID
	tests := []struct {
		path   string
		fields []string
	}{
		{"/api/v1/customers?stauts=active", []string{"stauts"}},
		{"/api/v1/customers?status=gone&customer_type=alien&preferred_contact=fax&sort=-age&limit=0&include_total=yes&created_after=yesterday&min_credit_score=lots",
			[]string{"status", "customer_type", "created_after", "min_credit_score", "preferred_contact", "limit", "include_total", "sort"}},
		{"/api/v1/customers?limit=201", []string{"limit"}},
		{"/api/v1/customers?limit=-1", []string{"limit"}},
		{"/api/v1/customers?status=active&status=suspended", []string{"status"}},
		{"/api/v1/customers?min_credit_score=100&max_credit_score=900", []string{"min_credit_score", "max_credit_score"}},
		{"/api/v1/customers?min_credit_score=800&max_credit_score=700", []string{"min_credit_score"}},
		{"/api/v1/customers?cursor=not-a-cursor", []string{"cursor"}},
		{"/api/v1/customers?cursor=", []string{"cursor"}},
		{"/api/v1/customers?q=%ff", []string{"q"}},
		{"/api/v1/customers?q=%zz", []string{"query"}},
		{"/api/v1/customers/" + id + "?include_services=yes&include_tickets=1&include_billing=&extra=1", []string{"extra", "include_services", "include_billing", "include_tickets"}},
		{"/api/v1/customers/" + id + "/services?limit=500", []string{"limit"}},
		{"/api/v1/customers/" + id + "/services?cursor=zzz", []string{"cursor"}},
		{"/api/v1/customers/" + id + "/audit?cursor=zzz", []string{"cursor"}},
		{"/api/v1/customers/" + id + "/audit?limit=abc", []string{"limit"}},
		{"/api/v1/customers/" + id + "/status-history?limit=1", []string{"limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := e.do(req{method: "GET", path: tt.path, key: adminKey}).want(t, 400).problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%+v", diff, p)
			}
		})
	}

	t.Run("cursor for another sort", func(t *testing.T) {
		e.createCustomer(map[string]any{"email": "two@example.com", "phone": "+12125550111"})
		var p listPage
		e.do(req{method: "GET", path: "/api/v1/customers?limit=1&sort=name", key: viewerKey}).want(t, 200).decode(t, &p)
		pr := e.do(req{method: "GET", path: "/api/v1/customers?limit=1&sort=created_at&cursor=" + url.QueryEscape(*p.NextCursor), key: viewerKey}).
			want(t, 400).problem(t)
		if diff := cmp.Diff([]string{"cursor"}, pr.fields()); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
}

func ptr[T any](v T) *T { return &v }
