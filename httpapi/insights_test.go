package httpapi_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// TestCustomerDetailsFromFeeds ingests the feeds of a customer through
// HTTP on both stores and reads them back in its details. By hand: the
// open INV-1 (100.00) minus TX-2 (30.00, paying it in part) is a balance
// of 70.00 (TX-1 pays the paid INV-2); the last payment is TX-2; the
// lifetime value is 49.99 + 30.00; the recurring revenue is the two
// active services' 79.99 + 20.00; the customer is one since its earliest
// service; and of the three tickets, the two opened in the 12 months
// before the clock (1 March 2025) are rated 4 and 5: 4.5. The churn score
// is that of the profile the changes stored, 30 by the env's flat model.
// The figures are those stored with the profile by the last batch: an
// invoice written to the store behind the analytics' back shows once the
// next batch refreshes them.
func TestCustomerDetailsFromFeeds(t *testing.T) { runOnStores(t, testCustomerDetailsFromFeeds) }

func testCustomerDetailsFromFeeds(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	e.addService(c.ID, map[string]any{"start_date": "2021-03-01"})
	e.addService(c.ID, map[string]any{"start_date": "2019-06-15", "monthly_price": 20})
	feeds := []struct{ path, body string }{
		{"/invoices", `{"invoices":[{"invoice_id":"INV-1","issued_at":"2025-02-01","due_date":"2025-02-15","amount":100},
			{"invoice_id":"INV-2","issued_at":"2025-01-01","due_date":"2025-01-15","amount":49.99,"status":"paid"}]}`},
		{"/payments", `{"payments":[{"transaction_id":"TX-1","amount":49.99,"paid_at":"2025-01-10T10:00:00Z","payment_method":"bank_transfer","invoice_id":"INV-2"},
			{"transaction_id":"TX-2","amount":30,"paid_at":"2025-02-10T10:00:00Z","payment_method":"credit_card","autopay":true,"invoice_id":"INV-1"}]}`},
		{"/tickets", `{"tickets":[{"ticket_id":"T-1","subject":"Slow at night","status":"resolved","priority":"high","opened_at":"2025-01-05T08:00:00Z","satisfaction":4},
			{"ticket_id":"T-2","subject":"Bill too high","status":"closed","priority":"normal","opened_at":"2025-02-01T09:30:00Z","satisfaction":5},
			{"ticket_id":"T-3","subject":"Install","status":"closed","priority":"low","opened_at":"2023-01-01T00:00:00Z","satisfaction":1}]}`},
	}
	for _, f := range feeds {
		e.do(req{method: "POST", path: cp + f.path, key: agentKey, body: f.body}).want(t, 200)
	}

	r := e.do(req{method: "GET", path: cp + "?include_tickets=true", key: viewerKey}).want(t, 200)
	matchSchema(t, doc, "CustomerDetails", r.body)
	got := r.object(t)
	want := map[string]any{
		"billing_summary": map[string]any{"current_balance": 70.0, "last_payment_date": "2025-02-10",
			"last_payment_amount": 30.0, "payment_method": "credit_card", "auto_pay_enabled": true, "credit_limit": nil},
		"account_metrics": map[string]any{"customer_since": "2019-06-15", "lifetime_value": 79.99,
			"monthly_recurring_revenue": 99.99, "churn_risk_score": 30.0, "satisfaction_score": 4.5, "support_tickets_count": 3.0},
		"support_tickets": []any{
			map[string]any{"id": "T-2", "subject": "Bill too high", "status": "closed", "priority": "normal", "created_at": "2025-02-01T09:30:00Z"},
			map[string]any{"id": "T-1", "subject": "Slow at night", "status": "resolved", "priority": "high", "created_at": "2025-01-05T08:00:00Z"},
			map[string]any{"id": "T-3", "subject": "Install", "status": "closed", "priority": "low", "created_at": "2023-01-01T00:00:00Z"},
		},
	}
	for k := range want {
		if diff := cmp.Diff(want[k], got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}

	balance := func() any {
		t.Helper()
		return e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200).object(t)["billing_summary"].(map[string]any)["current_balance"]
	}
	if _, err := e.store.UpsertInvoices(t.Context(), c.ID, []analytics.Invoice{{CustomerID: c.ID, InvoiceID: "INV-3",
		IssuedAt: crm.Date{Year: 2025, Month: time.February, Day: 1}, DueDate: crm.Date{Year: 2025, Month: time.February, Day: 15},
		Amount: 1000, Status: analytics.InvoiceOpen, Delivery: analytics.DeliveryEmail, CreatedAt: t0, UpdatedAt: t0}}); err != nil {
		t.Fatal(err)
	}
	if got := balance(); got != 70.0 {
		t.Errorf("balance before a refresh = %v, want the stored 70", got)
	}
	e.do(req{method: "POST", path: cp + "/tickets", key: agentKey,
		body: `{"tickets":[{"ticket_id":"T-4","subject":"Invoice","status":"open","priority":"low","opened_at":"2025-02-20T08:00:00Z"}]}`}).want(t, 200)
	if got := balance(); got != 80.0 {
		t.Errorf("balance after the tickets batch = %v, want 80", got)
	}
}

// TestCustomerDetailsNeverProfiled checks on both stores that a customer
// whose analytics profile was never stored (no service, no batch, no
// sweep yet) has its details computed from the feeds on the read: its
// balance from an invoice written to the store directly, its creation
// date as its start, the churn score of the env's flat model (30).
func TestCustomerDetailsNeverProfiled(t *testing.T) { runOnStores(t, testCustomerDetailsNeverProfiled) }

func testCustomerDetailsNeverProfiled(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	if _, err := e.store.GetProfile(t.Context(), c.ID); crm.ErrorCode(err) != crm.CodeNotFound {
		t.Fatalf("profile of a new customer: %v, want not_found", err)
	}
	if _, err := e.store.UpsertInvoices(t.Context(), c.ID, []analytics.Invoice{{CustomerID: c.ID, InvoiceID: "INV-1",
		IssuedAt: crm.Date{Year: 2025, Month: time.February, Day: 1}, DueDate: crm.Date{Year: 2025, Month: time.February, Day: 15},
		Amount: 1250, Status: analytics.InvoiceOpen, Delivery: analytics.DeliveryEmail, CreatedAt: t0, UpdatedAt: t0}}); err != nil {
		t.Fatal(err)
	}
	got := e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID, key: viewerKey}).want(t, 200).object(t)
	want := map[string]any{
		"billing_summary": map[string]any{"current_balance": 12.5, "last_payment_date": nil,
			"last_payment_amount": nil, "payment_method": nil, "auto_pay_enabled": false, "credit_limit": nil},
		"account_metrics": map[string]any{"customer_since": c.CreatedAt[:10], "lifetime_value": 0.0,
			"monthly_recurring_revenue": 0.0, "churn_risk_score": 30.0, "satisfaction_score": nil, "support_tickets_count": 0.0},
	}
	for k := range want {
		if diff := cmp.Diff(want[k], got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
}

// TestReactivationReadsFeeds checks on both stores that the balance of
// the billing feed holds a non-payment suspension: reactivating is 409
// while INV-1 is open, an admin may override, and once billing sends the
// invoice as paid an agent may reactivate.
func TestReactivationReadsFeeds(t *testing.T) { runOnStores(t, testReactivationReadsFeeds) }

func testReactivationReadsFeeds(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	invoice := func(status string) string {
		return `{"invoices":[{"invoice_id":"INV-1","issued_at":"2025-01-01","due_date":"2025-01-15","amount":59.99,"status":"` + status + `"}]}`
	}
	suspend := func() {
		t.Helper()
		e.do(req{method: "POST", path: cp + "/suspend", key: agentKey, body: `{"reason":"non_payment"}`}).want(t, 200)
	}
	e.do(req{method: "POST", path: cp + "/invoices", key: agentKey, body: invoice("open")}).want(t, 200)

	suspend()
	p := e.do(req{method: "POST", path: cp + "/reactivate", key: agentKey, body: `{}`}).want(t, 409).problem(t)
	if p.Code != "conflict" || p.Detail != "a balance of 59.99 is owed; an administrator may override" {
		t.Errorf("problem = %+v", p)
	}
	e.do(req{method: "POST", path: cp + "/reactivate", key: adminKey, body: `{"override":true}`}).want(t, 200)

	suspend()
	e.do(req{method: "POST", path: cp + "/reactivate", key: agentKey, body: `{}`}).want(t, 409)
	e.do(req{method: "POST", path: cp + "/invoices", key: agentKey, body: invoice("paid")}).want(t, 200)
	e.do(req{method: "POST", path: cp + "/reactivate", key: agentKey, body: `{}`}).want(t, 200)
}
