package httpapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// supportSummary is the summary of a support history answer.
type supportSummary struct {
	TotalTickets           int            `json:"total_tickets"`
	OpenTickets            int            `json:"open_tickets"`
	TicketsLast90Days      int            `json:"tickets_last_90_days"`
	AverageResolutionHours *float64       `json:"average_resolution_hours"`
	AverageSatisfaction    *float64       `json:"average_satisfaction"`
	ByCategory             map[string]int `json:"by_category"`
}

// supportHistory is a support history answer.
type supportHistory struct {
	CustomerID string           `json:"customer_id"`
	Summary    supportSummary   `json:"summary"`
	Tickets    []map[string]any `json:"tickets"`
}

// byCategory returns a by_category object with every category at 0 but
// the counts given.
func byCategory(counts map[string]int) map[string]int {
	out := map[string]int{}
	for _, c := range []string{"billing", "technical", "outage", "installation", "account", "other"} {
		out[c] = counts[c]
	}
	return out
}

func float(v float64) *float64 { return &v }

// TestSupportHistory ingests tickets through HTTP and reads the support
// history on both stores, checking the figures, computed by hand, and the
// answer against the OpenAPI document; then the refused months and the
// unknown and deleted customers.
func TestSupportHistory(t *testing.T) { runOnStores(t, testSupportHistory) }

func testSupportHistory(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	// The clock reads t0 (2025-03-01T12:00:00Z) plus some seconds: 12
	// months reach back to about 2024-03-01T12:00Z, 2 months to about
	// 2025-01-01T12:00Z and 90 days to about 2024-12-01T12:00Z.
	e.do(req{method: "POST", path: cp + "/tickets", key: agentKey, body: `{"tickets":[
		{"ticket_id":"A","subject":"Bill too high","category":"billing","status":"open","opened_at":"2024-02-15T00:00:00Z","satisfaction":1},
		{"ticket_id":"B","subject":"Slow","category":"technical","priority":"high","status":"resolved","opened_at":"2024-06-01T10:00:00Z",
			"resolved_at":"2024-06-01T13:00:00Z","satisfaction":5},
		{"ticket_id":"C","subject":"Down","category":"outage","priority":"urgent","status":"pending","opened_at":"2025-01-15T09:00:00Z"},
		{"ticket_id":"D","subject":"Wi-Fi","category":"technical","status":"closed","opened_at":"2025-02-20T08:00:00-05:00",
			"resolved_at":"2025-02-20T13:30:00Z","satisfaction":4},
		{"ticket_id":"E","subject":"Move","category":"account","status":"open","opened_at":"2024-11-01T00:00:00Z","satisfaction":2}]}`}).want(t, 200)

	tests := []struct {
		query string
		want  supportSummary
		ids   []string
	}{
		// B, C, D and E: open C and E; recent C and D; resolution
		// (3 + 0.5) / 2 = 1.75 h; ratings (5 + 4 + 2) / 3 = 3.666….
		{"", supportSummary{TotalTickets: 4, OpenTickets: 2, TicketsLast90Days: 2, AverageResolutionHours: float(1.8),
			AverageSatisfaction: float(3.7), ByCategory: byCategory(map[string]int{"technical": 2, "outage": 1, "account": 1})},
			[]string{"D", "C", "E", "B"}},
		{"?months=12", supportSummary{TotalTickets: 4, OpenTickets: 2, TicketsLast90Days: 2, AverageResolutionHours: float(1.8),
			AverageSatisfaction: float(3.7), ByCategory: byCategory(map[string]int{"technical": 2, "outage": 1, "account": 1})},
			[]string{"D", "C", "E", "B"}},
		// C and D.
		{"?months=2", supportSummary{TotalTickets: 2, OpenTickets: 1, TicketsLast90Days: 2, AverageResolutionHours: float(0.5),
			AverageSatisfaction: float(4), ByCategory: byCategory(map[string]int{"technical": 1, "outage": 1})},
			[]string{"D", "C"}},
		// D alone; recent still 2.
		{"?months=1", supportSummary{TotalTickets: 1, TicketsLast90Days: 2, AverageResolutionHours: float(0.5),
			AverageSatisfaction: float(4), ByCategory: byCategory(map[string]int{"technical": 1})}, []string{"D"}},
		// All five: A adds an open billing ticket rated 1; (5+4+2+1)/4 = 3.
		{"?months=60", supportSummary{TotalTickets: 5, OpenTickets: 3, TicketsLast90Days: 2, AverageResolutionHours: float(1.8),
			AverageSatisfaction: float(3), ByCategory: byCategory(map[string]int{"technical": 2, "outage": 1, "account": 1, "billing": 1})},
			[]string{"D", "C", "E", "B", "A"}},
	}
	for _, tt := range tests {
		r := e.do(req{method: "GET", path: cp + "/support-history" + tt.query, key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "SupportHistory", r.body)
		var got supportHistory
		r.decode(t, &got)
		if got.CustomerID != c.ID {
			t.Errorf("%s: customer_id = %q", tt.query, got.CustomerID)
		}
		if diff := cmp.Diff(tt.want, got.Summary); diff != "" {
			t.Errorf("%s: summary (-want +got):\n%s", tt.query, diff)
		}
		ids := []string{}
		for _, v := range got.Tickets {
			ids = append(ids, v["ticket_id"].(string))
		}
		if diff := cmp.Diff(tt.ids, ids); diff != "" {
			t.Errorf("%s: tickets (-want +got):\n%s", tt.query, diff)
		}
		if len(got.Tickets) > 0 {
			d := got.Tickets[0]
			delete(d, "created_at")
			delete(d, "updated_at")
			want := map[string]any{"customer_id": c.ID, "ticket_id": "D", "subject": "Wi-Fi", "category": "technical",
				"priority": "normal", "status": "closed", "opened_at": "2025-02-20T13:00:00Z",
				"resolved_at": "2025-02-20T13:30:00Z", "satisfaction": float64(4)}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("%s: ticket D (-want +got):\n%s", tt.query, diff)
			}
		}
	}

	// A customer without tickets: zeros, nulls and every category.
	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550199"})
	r := e.do(req{method: "GET", path: "/api/v1/customers/" + other.ID + "/support-history", key: viewerKey}).want(t, 200)
	matchSchema(t, doc, "SupportHistory", r.body)
	var empty supportHistory
	r.decode(t, &empty)
	if diff := cmp.Diff(supportHistory{CustomerID: other.ID, Summary: supportSummary{ByCategory: byCategory(nil)},
		Tickets: []map[string]any{}}, empty); diff != "" {
		t.Errorf("no tickets (-want +got):\n%s", diff)
	}

	for _, tt := range []struct{ query, message string }{
		{"?months=0", "must be between 1 and 60"},
		{"?months=61", "must be between 1 and 60"},
		{"?months=-3", "must be between 1 and 60"},
		{"?months=abc", "must be an integer"},
		{"?months=12&months=3", "must be given at most once"},
	} {
		p := e.do(req{method: "GET", path: cp + "/support-history" + tt.query, key: viewerKey}).want(t, 400).problem(t)
		if diff := cmp.Diff([]crm.FieldError{{Field: "months", Message: tt.message}}, p.Errors); diff != "" {
			t.Errorf("%s: errors (-want +got):\n%s", tt.query, diff)
		}
	}
	e.do(req{method: "GET", path: cp + "/support-history?month=3", key: viewerKey}).want(t, 400)
	e.do(req{method: "GET", path: "/api/v1/customers/0190a7e2-0000-7000-8000-000000000001/support-history", key: viewerKey}).want(t, 404)
	e.do(req{method: "DELETE", path: cp + "?force=true", key: adminKey}).want(t, 204)
	e.do(req{method: "GET", path: cp + "/support-history", key: viewerKey}).want(t, 404)
}
