package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/churntest"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// churnModel weighs seven features; by hand, each part is weight ×
// (value − mean) / scale for the customer of TestChurnRiskAndValue:
//
//	mrr                 100:   0.5 × (100 − 60) / 20       =  1.0
//	tenure_months         3:  −0.4 × (3 − 24) / 12         =  0.7
//	method_electronic_check 1: 0.6 × (1 − 0) / 1           =  0.6
//	internet_fiber        1:  −0.35 × (1 − 0) / 1          = −0.35
//	autopay               0:  −0.2 × (0 − 0.5) / 0.5       =  0.2
//	historical_revenue  180:  −0.1 × (180 − 1000) / 1000   =  0.082
//	voice_lines           1:  −0.3 × (1 − 1) / 1           =  0 (no part)
//
// The log-odds are −1.5 + 2.232 = 0.732: p = 1 / (1 + e^−0.732) =
// 0.675244, score 68, high. The parts add up to 2.932 in absolute value.
func churnModel() *analytics.Model {
	return churntest.Hand(-1.5, map[string]analytics.Coefficient{
		"mrr":                     {Mean: 60, Scale: 20, Weight: 0.5},
		"tenure_months":           {Mean: 24, Scale: 12, Weight: -0.4},
		"method_electronic_check": {Scale: 1, Weight: 0.6},
		"internet_fiber":          {Scale: 1, Weight: -0.35},
		"autopay":                 {Mean: 0.5, Scale: 0.5, Weight: -0.2},
		"historical_revenue":      {Mean: 1000, Scale: 1000, Weight: -0.1},
		"voice_lines":             {Mean: 1, Scale: 1, Weight: -0.3},
	})
}

// TestChurnRiskAndValue reads the churn risk and the lifetime value of a
// customer through HTTP on both stores, scored by churnModel, and checks
// every field against the hand computation, and the OpenAPI schemas.
// The customer has held fiber (80.00) and a voice line (20.00) since 1
// December 2024: 3 months at the clock (1 March 2025 noon). It paid
// 100.00 twice by electronic check without auto-pay and was refunded
// 20.00: 180.00 in all. The shares of the log-odds are 1.0, 0.7, 0.6,
// −0.35, 0.2 and 0.082 over 2.932. The lifetime value by the formula,
// with p = 0.675244 and r = 1.1^(1/12) − 1 = 0.0079741: q = (1 − p) /
// (1 + r) = 0.3221868, Σ_{k=1..120} q^k = q / (1 − q) (q^120 is
// negligible) = 0.4753328, so the future value is 100.00 × 0.4753328 =
// 47.53 and the lifetime value 180.00 + 47.53 = 227.53; the expected
// stay is (1 − p) / p = 0.48, shown as 0.5.
func TestChurnRiskAndValue(t *testing.T) {
	teststore.Run(t, func(t *testing.T, s store.Store) {
		e := newAppEnv(t, s, document.Options{}, churnModel())
		doc, _ := loadOpenAPI(t, e)
		c := e.createCustomer(nil)
		cp := "/api/v1/customers/" + c.ID
		e.addService(c.ID, map[string]any{"start_date": "2024-12-01", "monthly_price": 80})
		e.addService(c.ID, map[string]any{"start_date": "2024-12-01", "monthly_price": 20, "service_type": "voice", "technology": nil,
			"plan_name": "Voice"})
		e.do(req{method: "POST", path: cp + "/payments", key: agentKey, body: `{"payments":[
			{"transaction_id":"TX-1","amount":100,"paid_at":"2025-01-05T10:00:00Z","payment_method":"electronic_check"},
			{"transaction_id":"TX-2","amount":100,"paid_at":"2025-02-05T10:00:00Z","payment_method":"electronic_check"},
			{"transaction_id":"TX-3","amount":20,"paid_at":"2025-02-10T10:00:00Z","payment_method":"electronic_check","status":"refunded"}]}`}).
			want(t, 200)
		e.clock.mu.Lock()
		e.clock.t, e.clock.step = t0, 0
		e.clock.mu.Unlock()

		r := e.do(req{method: "GET", path: cp + "/churn-risk", key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "ChurnRisk", r.body)
		wantJSON(t, "churn risk", `{"customer_id":"`+c.ID+`","probability":0.6752,"score":68,"level":"high",
			"factors":[
				{"name":"mrr","value":100,"contribution":0.341,"description":"Pays 100.00 a month for the services held"},
				{"name":"tenure_months","value":3,"contribution":0.239,"description":"A customer for 3 months"},
				{"name":"method_electronic_check","value":1,"contribution":0.205,"description":"The latest payment was by electronic check"},
				{"name":"internet_fiber","value":1,"contribution":-0.119,"description":"Holds fiber internet access"},
				{"name":"autopay","value":0,"contribution":0.068,"description":"The latest payment was not automatic"},
				{"name":"historical_revenue","value":180,"contribution":0.028,"description":"Has paid 180.00 in all, net of refunds"}],
			"recommended_actions":[
				{"action":"onboarding_check_in","reason":"A customer for 3 months"},
				{"action":"enable_autopay","reason":"The latest payment was by electronic check"}],
			"model":{"name":"hand","version":"hand-1","trained_at":"2025-06-01T00:00:00Z","training_rows":100,"cv_auc":0.75},
			"computed_at":"2025-03-01T12:00:00Z"}`, r.body)

		r = e.do(req{method: "GET", path: cp + "/lifetime-value", key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "LifetimeValue", r.body)
		formula, _ := json.Marshal(analytics.LTVFormula)
		wantJSON(t, "lifetime value", `{"customer_id":"`+c.ID+`","historical_revenue":180.00,"monthly_recurring_revenue":100.00,
			"tenure_months":3,"monthly_churn_probability":0.6752,"expected_remaining_months":0.5,"predicted_future_value":47.53,
			"predicted_lifetime_value":227.53,"annual_discount_rate":0.1,"formula":`+string(formula)+`,
			"computed_at":"2025-03-01T12:00:00Z"}`, r.body)

		for _, route := range []string{"/churn-risk", "/lifetime-value"} {
			errs := []struct {
				path   string
				key    string
				status int
			}{
				{"/api/v1/customers/0190a7e2-0000-7000-8000-000000000001" + route, viewerKey, 404},
				{"/api/v1/customers/not-an-id" + route, viewerKey, 404},
				{cp + route + "?months=3", viewerKey, 400},
				{cp + route, "", 401},
			}
			for _, tt := range errs {
				e.do(req{method: "GET", path: tt.path, key: tt.key}).want(t, tt.status).problem(t)
			}
		}
	})
}

// wantJSON fails the test unless got is the JSON document want.
func wantJSON(t *testing.T, what, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: the expected document: %v", what, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v: %s", what, err, got)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}
