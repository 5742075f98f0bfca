package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// TestPaymentHistory feeds invoices and payments through HTTP on both
// stores, then reads the payment history and checks every figure, the
// list and the OpenAPI schema; and the errors of the route.
func TestPaymentHistory(t *testing.T) { runOnStores(t, testPaymentHistory) }

func testPaymentHistory(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	e.clock.Set(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) // advances a second a reading
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	e.do(req{method: "POST", path: cp + "/invoices", key: agentKey, body: `{"invoices":[
		{"invoice_id":"INV-1","issued_at":"2025-02-01","due_date":"2025-02-15","amount":49.99},
		{"invoice_id":"INV-2","issued_at":"2025-03-01","due_date":"2025-03-15","amount":49.99},
		{"invoice_id":"INV-3","issued_at":"2025-04-01","due_date":"2025-04-15","amount":49.99},
		{"invoice_id":"INV-0","issued_at":"2024-12-01","due_date":"2024-12-15","amount":49.99}]}`}).want(t, 200)
	e.do(req{method: "POST", path: cp + "/payments", key: agentKey, body: `{"payments":[
		{"transaction_id":"TX-1","amount":49.99,"paid_at":"2025-02-10T05:00:00-05:00","payment_method":"credit_card","autopay":true,"invoice_id":"INV-1","notes":"Feb"},
		{"transaction_id":"TX-2","amount":49.99,"paid_at":"2025-03-16T09:00:00Z","payment_method":"credit_card","autopay":true,"invoice_id":"INV-2"},
		{"transaction_id":"TX-3","amount":20,"paid_at":"2025-04-10T10:00:00Z","payment_method":"bank_transfer","status":"failed","invoice_id":"INV-3","failure_reason":"insufficient funds"},
		{"transaction_id":"TX-4","amount":49.99,"paid_at":"2025-04-12T10:00:00Z","payment_method":"bank_transfer","invoice_id":"INV-3"},
		{"transaction_id":"TX-5","amount":10,"paid_at":"2025-04-20T10:00:00Z","payment_method":"credit_card","status":"refunded"},
		{"transaction_id":"TX-0","amount":49.99,"paid_at":"2024-12-10T10:00:00Z","payment_method":"cash","invoice_id":"INV-0"}]}`}).want(t, 200)

	// In the window: TX-1, TX-2 and TX-4 succeeded (149.97), TX-5 refunds
	// 10.00, TX-3 failed. INV-1 and INV-3 were paid by their due date,
	// INV-2 a day late; INV-0 is due before the window. The gaps are 34 and
	// 27 days; the latest payment that is not a refund is TX-4.
	summary := `{"total_payments":139.97,"payment_count":3,"average_payment":49.99,"on_time_percentage":66.7,
		"failed_payments_count":1,"preferred_payment_method":"credit_card","autopay":false,"payment_pattern":"monthly"}`
	items := map[string]string{
		"TX-5": `{"payment_id":"TX-5","amount":10.00,"payment_date":"2025-04-20T10:00:00Z","payment_method":"credit_card","autopay":false,
			"status":"refunded","invoice_id":null,"transaction_id":"TX-5","notes":""}`,
		"TX-4": `{"payment_id":"TX-4","amount":49.99,"payment_date":"2025-04-12T10:00:00Z","payment_method":"bank_transfer","autopay":false,
			"status":"succeeded","invoice_id":"INV-3","transaction_id":"TX-4","notes":""}`,
		"TX-3": `{"payment_id":"TX-3","amount":20.00,"payment_date":"2025-04-10T10:00:00Z","payment_method":"bank_transfer","autopay":false,
			"status":"failed","invoice_id":"INV-3","transaction_id":"TX-3","notes":""}`,
		"TX-2": `{"payment_id":"TX-2","amount":49.99,"payment_date":"2025-03-16T09:00:00Z","payment_method":"credit_card","autopay":true,
			"status":"succeeded","invoice_id":"INV-2","transaction_id":"TX-2","notes":""}`,
		"TX-1": `{"payment_id":"TX-1","amount":49.99,"payment_date":"2025-02-10T10:00:00Z","payment_method":"credit_card","autopay":true,
			"status":"succeeded","invoice_id":"INV-1","transaction_id":"TX-1","notes":"Feb"}`,
	}
	body := func(summary string, ids ...string) string {
		list := make([]string, len(ids))
		for i, id := range ids {
			list[i] = items[id]
		}
		return `{"customer_id":"` + c.ID + `","summary":` + summary + `,"payments":[` + strings.Join(list, ",") + `]}`
	}
	tests := []struct {
		query string
		want  string
	}{
		{"", body(summary, "TX-5", "TX-4", "TX-3", "TX-2", "TX-1")},
		{"?months=12&include_failed=true", body(summary, "TX-5", "TX-4", "TX-3", "TX-2", "TX-1")},
		{"?include_failed=false", body(summary, "TX-5", "TX-4", "TX-2", "TX-1")},
		// from 2025-04-02T03:04:05Z: TX-3, TX-4 and TX-5; INV-3 judged alone
		{"?months=9", body(`{"total_payments":39.99,"payment_count":1,"average_payment":49.99,"on_time_percentage":100.0,
			"failed_payments_count":1,"preferred_payment_method":"bank_transfer","autopay":false,"payment_pattern":"none"}`, "TX-5", "TX-4", "TX-3")},
		// from 2025-12-02T03:04:05Z: nothing
		{"?months=1", body(`{"total_payments":0,"payment_count":0,"average_payment":0,"on_time_percentage":null,
			"failed_payments_count":0,"preferred_payment_method":null,"autopay":false,"payment_pattern":"none"}`)},
	}
	for _, tt := range tests {
		r := e.do(req{method: "GET", path: cp + "/payment-history" + tt.query, key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "PaymentHistory", r.body)
		var want, got any
		if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GET payment-history%s (-want +got):\n%s", tt.query, diff)
		}
	}

	errs := []struct {
		path   string
		key    string
		status int
		field  string
	}{
		{cp + "/payment-history?months=0", viewerKey, 400, "months"},
		{cp + "/payment-history?months=61", viewerKey, 400, "months"},
		{cp + "/payment-history?months=abc", viewerKey, 400, "months"},
		{cp + "/payment-history?include_failed=maybe", viewerKey, 400, "include_failed"},
		{cp + "/payment-history?month=12", viewerKey, 400, "month"},
		{"/api/v1/customers/0190a7e2-0000-7000-8000-000000000001/payment-history", viewerKey, 404, ""},
		{cp + "/payment-history", "", 401, ""},
	}
	for _, tt := range errs {
		p := e.do(req{method: "GET", path: tt.path, key: tt.key}).want(t, tt.status).problem(t)
		if tt.field == "" {
			continue
		}
		if len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
			t.Errorf("%s: errors %+v, want one naming %s", tt.path, p.Errors, tt.field)
		}
	}
	p := e.do(req{method: "GET", path: cp + "/payment-history?months=61", key: viewerKey}).want(t, 400).problem(t)
	if diff := cmp.Diff([]crm.FieldError{{Field: "months", Message: "must be between 1 and 60"}}, p.Errors); diff != "" {
		t.Errorf("months=61: errors (-want +got):\n%s", diff)
	}
}
