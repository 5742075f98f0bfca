package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// invoiceBody returns a valid invoice record with id.
func invoiceBody(id, issued string) map[string]any {
	return map[string]any{"invoice_id": id, "issued_at": issued, "due_date": issued, "amount": 49.99}
}

// counts is the body of an ingest answer.
type counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// TestIngestFeeds ingests, replays and corrects each feed through HTTP on
// both stores, and checks the answers against the OpenAPI document.
func TestIngestFeeds(t *testing.T) { runOnStores(t, testIngestFeeds) }

func testIngestFeeds(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	c := e.createCustomer(nil)
	sid := e.addService(c.ID, nil)
	cp := "/api/v1/customers/" + c.ID
	tests := []struct {
		name string
		path string
		body any
		want counts
	}{
		{"invoices", cp + "/invoices", map[string]any{"invoices": []any{invoiceBody("INV-1", "2024-01-01"), invoiceBody("INV-2", "2024-02-01")}}, counts{Created: 2}},
		{"invoices replayed", cp + "/invoices", map[string]any{"invoices": []any{invoiceBody("INV-1", "2024-01-01"), invoiceBody("INV-2", "2024-02-01")}}, counts{Unchanged: 2}},
		{"invoice corrected", cp + "/invoices", map[string]any{"invoices": []any{invoiceBody("INV-1", "2024-01-02"), invoiceBody("INV-3", "2024-03-01")}}, counts{Created: 1, Updated: 1}},
		{"payments", cp + "/payments", `{"payments":[{"transaction_id":"TX-1","amount":49.99,"paid_at":"2024-01-08T10:00:00-05:00","payment_method":"credit_card","autopay":true,"invoice_id":"INV-1"},
			{"transaction_id":"TX-2","amount":10,"paid_at":"2024-01-09T10:00:00Z","payment_method":"credit_card","status":"refunded"}]}`, counts{Created: 2}},
		{"usage", cp + "/usage", `{"usage":[{"service_id":"` + sid + `","date":"2024-01-01","download_bytes":123456789012,"upload_bytes":0}]}`, counts{Created: 1}},
		{"tickets", cp + "/tickets", `{"tickets":[{"ticket_id":"T-1","subject":"Slow at night","category":"technical","priority":"high","status":"resolved",
			"opened_at":"2024-01-05T08:00:00Z","resolved_at":"2024-01-05T09:30:00Z","satisfaction":4}]}`, counts{Created: 1}},
		{"tickets replayed", cp + "/tickets", `{"tickets":[{"ticket_id":"T-1","subject":"Slow at night","category":"technical","priority":"high","status":"resolved",
			"opened_at":"2024-01-05T08:00:00Z","resolved_at":"2024-01-05T09:30:00Z","satisfaction":4}]}`, counts{Unchanged: 1}},
	}
	for _, tt := range tests {
		r := e.do(req{method: "POST", path: tt.path, key: agentKey, body: tt.body}).want(t, 200)
		var got counts
		r.decode(t, &got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", tt.name, diff)
		}
		matchSchema(t, doc, "IngestResult", r.body)
	}

	var ids []string
	cursor := ""
	for range 5 {
		path := cp + "/invoices?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := e.do(req{method: "GET", path: path, key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "InvoiceList", r.body)
		var page struct {
			Invoices []struct {
				InvoiceID string    `json:"invoice_id"`
				Amount    crm.Money `json:"amount"`
			} `json:"invoices"`
			NextCursor *string `json:"next_cursor"`
		}
		r.decode(t, &page)
		for _, v := range page.Invoices {
			ids = append(ids, v.InvoiceID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if diff := cmp.Diff([]string{"INV-3", "INV-2", "INV-1"}, ids); diff != "" {
		t.Errorf("invoice list, newest first (-want +got):\n%s", diff)
	}
	for _, in := range []string{"InvoicesBatch", "PaymentsBatch", "UsageBatch", "TicketsBatch"} {
		if doc.Components.Schemas[in] == nil {
			t.Errorf("no schema %s", in)
		}
	}
}

// matchSchema checks a JSON body against a schema of the OpenAPI document.
func matchSchema(t *testing.T, doc *openapi3.T, schema string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas[schema]
	if ref == nil {
		t.Fatalf("no schema %s", schema)
	}
	if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("body does not match %s: %v\n%s", schema, err, body)
	}
}

// TestIngestErrors checks that a bad record is named by its index and
// lands nothing, the usage of another customer's service, the roles, and
// an unknown customer, on both stores.
func TestIngestErrors(t *testing.T) { runOnStores(t, testIngestErrors) }

func testIngestErrors(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550199"})
	otherService := e.addService(other.ID, nil)
	cp := "/api/v1/customers/" + c.ID
	bad := invoiceBody("INV-3", "2024-01-01")
	bad["amount"] = -1
	records := []any{invoiceBody("INV-0", "2024-01-01"), invoiceBody("INV-1", "2024-01-01"), invoiceBody("INV-2", "2024-01-01"), bad}
	tests := []struct {
		name   string
		path   string
		key    string
		body   any
		status int
		fields []crm.FieldError
	}{
		{"bad amount", cp + "/invoices", agentKey, map[string]any{"invoices": records}, 400,
			[]crm.FieldError{{Field: "invoices[3].amount", Message: "must not be negative"}}},
		{"empty batch", cp + "/invoices", agentKey, `{"invoices":[]}`, 400,
			[]crm.FieldError{{Field: "invoices", Message: "must hold 1 to 1000 records"}}},
		{"another customer's service", cp + "/usage", agentKey,
			`{"usage":[{"service_id":"` + otherService + `","date":"2024-01-01","download_bytes":1,"upload_bytes":1}]}`, 400,
			[]crm.FieldError{{Field: "usage[0].service_id", Message: "is not a service of this customer"}}},
		{"viewer", cp + "/tickets", viewerKey, `{"tickets":[{"ticket_id":"T-1","opened_at":"2024-01-05T08:00:00Z"}]}`, 403, nil},
		{"unknown customer", "/api/v1/customers/0190a7e2-0000-7000-8000-000000000001/invoices", agentKey,
			map[string]any{"invoices": records[:1]}, 404, nil},
	}
	for _, tt := range tests {
		r := e.do(req{method: "POST", path: tt.path, key: tt.key, body: tt.body}).want(t, tt.status)
		if tt.fields != nil {
			if diff := cmp.Diff(tt.fields, r.problem(t).Errors); diff != "" {
				t.Errorf("%s: errors (-want +got):\n%s", tt.name, diff)
			}
		}
	}
	var page struct {
		Invoices []any `json:"invoices"`
	}
	e.do(req{method: "GET", path: cp + "/invoices", key: viewerKey}).want(t, 200).decode(t, &page)
	if len(page.Invoices) != 0 {
		t.Errorf("a refused batch stored %d invoices", len(page.Invoices))
	}
	for _, tt := range []struct{ body, field string }{
		{`{"invoices":[{"invoice_id":"I","issued_at":"2024-01-01","due_date":"2024-01-01","amount":1,"color":"red"}]}`, "invoices[0].color"},
		{`{"invoices":[{"invoice_id":"I","issued_at":"2024-01-01","due_date":"2024-01-01","amount":1},{"invoice_id":"J","issued_at":"2024-01-01","due_date":"2024-01-01","amount":1.005}]}`, "invoices[1].amount"},
		{`{"invoices":[{"invoice_id":"I","issued_at":"2024-01-01","due_date":"2024-01-01","amount":1,"status":7}]}`, "invoices[0].status"},
		{`{"invoices":[{"invoice_id":"I","issued_at":"2024-1-1","due_date":"2024-01-01","amount":1}]}`, "invoices[0].issued_at"},
		{`{"tickets":[{"ticket_id":"T","opened_at":"yesterday"}]}`, "tickets[0].opened_at"},
		{`{"invoices":[7]}`, "invoices[0]"},
		{`{"invoices":[],"extra":1}`, "extra"},
	} {
		path := cp + "/invoices"
		if strings.HasPrefix(tt.body, `{"tickets"`) {
			path = cp + "/tickets"
		}
		p := e.do(req{method: "POST", path: path, key: agentKey, body: tt.body}).want(t, 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
			t.Errorf("%s: errors %+v, want one naming %s", tt.body, p.Errors, tt.field)
		}
	}
}

// TestIngestLargestBatch sends 1,000 payments with long notes, a body
// well over the server's 1 MiB JSON limit, which the feed routes must
// take.
func TestIngestLargestBatch(t *testing.T) { runOnStores(t, testIngestLargestBatch) }

func testIngestLargestBatch(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	var b strings.Builder
	b.WriteString(`{"payments":[`)
	notes := strings.Repeat("<&>", 600) // 1,800 characters, each escaped to 6 bytes by Go's encoder
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		raw, _ := json.Marshal(map[string]any{"transaction_id": fmt.Sprintf("TX-%04d", i), "amount": 12.34,
			"paid_at": "2024-01-08T10:00:00Z", "payment_method": "bank_transfer", "notes": notes})
		b.Write(raw)
	}
	b.WriteString(`]}`)
	if b.Len() < 8<<20 {
		t.Fatalf("the body is %d bytes; the test wants one over 8 MiB", b.Len())
	}
	r := e.do(req{method: "POST", path: "/api/v1/customers/" + c.ID + "/payments", key: agentKey, body: b.String()}).want(t, 200)
	var got counts
	r.decode(t, &got)
	if got != (counts{Created: 1000}) {
		t.Errorf("counts = %+v, want 1000 created", got)
	}
	over := `{"payments":[` + strings.Repeat(" ", 16<<20) + `]}`
	e.do(req{method: "POST", path: "/api/v1/customers/" + c.ID + "/payments", key: agentKey, body: over}).want(t, 413)
}
