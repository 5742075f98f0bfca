package analytics_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/churntest"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// riskModel weighs nine features of riskFacts; every other feature has
// weight 0. By hand, each part is weight × (value − mean) / scale:
//
//	tenure_months            3:  −0.6 × (3 − 12) / 6     =  0.9
//	method_electronic_check  1:   0.5 × (1 − 0) / 1      =  0.5
//	internet_fiber           1:   0.4 × (1 − 0) / 1      =  0.4
//	paperless_billing        0:   0.3 × (0 − 0.5) / 0.5  = −0.3
//	failed_payments_12m      2:   0.15 × (2 − 0) / 1     =  0.3
//	contract_two_year        0:  −0.5 × (0 − 0.25) / 0.5 =  0.25
//	autopay                  0:  −0.2 × (0 − 0.5) / 0.5  =  0.2
//	tech_support             0:  −0.1 × (0 − 0.5) / 0.5  =  0.1
//	historical_revenue     150:  −0.05 × (150 − 250) / 100 = 0.05
//	mrr                     70:   0.3 × (70 − 70) / 30   =  0 (no part)
//
// The log-odds are −1 + 2.4 = 1.4, so p = 1 / (1 + e^−1.4) = 0.80218;
// the parts add up to 3.0 in absolute value.
func riskModel() *analytics.Model {
	return churntest.Hand(-1, map[string]analytics.Coefficient{
		"tenure_months":           {Mean: 12, Scale: 6, Weight: -0.6},
		"method_electronic_check": {Scale: 1, Weight: 0.5},
		"internet_fiber":          {Scale: 1, Weight: 0.4},
		"paperless_billing":       {Mean: 0.5, Scale: 0.5, Weight: 0.3},
		"failed_payments_12m":     {Scale: 1, Weight: 0.15},
		"contract_two_year":       {Mean: 0.25, Scale: 0.5, Weight: -0.5},
		"autopay":                 {Mean: 0.5, Scale: 0.5, Weight: -0.2},
		"tech_support":            {Mean: 0.5, Scale: 0.5, Weight: -0.1},
		"historical_revenue":      {Mean: 250, Scale: 100, Weight: -0.05},
		"mrr":                     {Mean: 70, Scale: 30, Weight: 0.3},
	})
}

// riskFacts is a customer of three months with fiber at 70.00 a month on
// a month-to-month term, who last paid by electronic check without
// auto-pay, had two payments fail and its latest invoice posted.
func riskFacts() *analytics.Facts {
	return &analytics.Facts{CustomerID: "c-1", Status: customer.StatusActive,
		Services: []analytics.ServiceFact{{ID: "s-1", Type: customer.ServiceInternet, Technology: customer.TechFiber,
			Status: customer.SubscriptionActive, MonthlyPrice: 7000, ContractTerm: customer.TermMonthToMonth,
			StartDate: date(2025, time.October, 2)}},
		HistoricalRevenue: 15000, LatestDelivery: analytics.DeliveryPostal,
		LatestMethod: analytics.MethodElectronicCheck, FailedPayments: 2}
}

// TestChurnRiskOf checks the score, level, factors and actions of
// riskFacts under riskModel against the hand computation of riskModel:
// the eight largest parts, largest first (paperless_billing before
// failed_payments_12m on the tie, by feature order), each as its share
// of 3.0; historical_revenue is the ninth and left out, mrr has no part.
func TestChurnRiskOf(t *testing.T) {
	got := analytics.ChurnRiskOf(riskFacts(), riskModel(), now)
	want := &analytics.ChurnRisk{CustomerID: "c-1", Probability: 0.8022, Score: 80, Level: analytics.ChurnCritical,
		Factors: []analytics.ChurnFactor{
			{"tenure_months", 3, 0.3, "A customer for 3 months"},
			{"method_electronic_check", 1, 0.167, "The latest payment was by electronic check"},
			{"internet_fiber", 1, 0.133, "Holds fiber internet access"},
			{"paperless_billing", 0, -0.1, "The latest invoice went by post, or there is none"},
			{"failed_payments_12m", 2, 0.1, "2 failed payments in the last 12 months"},
			{"contract_two_year", 0, 0.083, "The shortest contract held is not a two-year term"},
			{"autopay", 0, 0.067, "The latest payment was not automatic"},
			{"tech_support", 0, 0.033, "Does not hold a tech support plan"},
		},
		RecommendedActions: []analytics.RecommendedAction{
			{analytics.ActionOnboardingCheckIn, "A customer for 3 months"},
			{analytics.ActionEnableAutopay, "The latest payment was by electronic check"},
			{analytics.ActionPaymentPlanOutreach, "2 failed payments in the last 12 months"},
			{analytics.ActionOfferContractUpgrade, "The shortest contract held is not a two-year term"},
			{analytics.ActionOfferSupportBundle, "Does not hold a tech support plan"},
		},
		Model:      analytics.ModelInfo{Name: "hand", Version: "hand-1", TrainedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), TrainingRows: 100, CVAUC: 0.75},
		ComputedAt: now}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("churn risk (-want +got):\n%s", diff)
	}
}

// TestChurnFactorShares checks that the shares of a prediction with at
// most MaxFactors parts add up to 1 in absolute value and keep their
// signs: parts 0.6, −0.3 and 0.1 are 0.6, −0.3 and 0.1 of 1.0.
func TestChurnFactorShares(t *testing.T) {
	m := churntest.Hand(0, map[string]analytics.Coefficient{
		"tenure_months":  {Scale: 10, Weight: 2},   // 3 → 0.6
		"internet_fiber": {Scale: 1, Weight: -0.3}, // 1 → −0.3
		"voice_lines":    {Scale: 1, Weight: 0.1},  // 1 → 0.1
	})
	f := riskFacts()
	f.Services = append(f.Services, analytics.ServiceFact{ID: "s-2", Type: customer.ServiceVoice, Status: customer.SubscriptionActive,
		MonthlyPrice: 1000, ContractTerm: customer.TermMonthToMonth, StartDate: date(2025, time.December, 1)})
	got := analytics.ChurnRiskOf(f, m, now)
	var names []string
	var sum, abs float64
	for _, c := range got.Factors {
		names = append(names, c.Name)
		sum += c.Contribution
		abs += math.Abs(c.Contribution)
	}
	if diff := cmp.Diff([]string{"tenure_months", "internet_fiber", "voice_lines"}, names); diff != "" {
		t.Errorf("factors (-want +got):\n%s", diff)
	}
	if math.Abs(abs-1) > 1e-9 || math.Abs(sum-0.4) > 1e-9 {
		t.Errorf("shares add up to %v (absolute %v), want 0.4 (absolute 1)", sum, abs)
	}
	// Of the parts that raise the risk, the tenure's calls for an action;
	// no rule answers voice lines.
	if diff := cmp.Diff([]analytics.RecommendedAction{{analytics.ActionOnboardingCheckIn, "A customer for 3 months"}},
		got.RecommendedActions); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

// TestChurnLevels checks the score, round(100 × p), and the level
// cut-offs of 25, 50 and 75 on both sides, with models that give every
// customer the same probability; no feature weighs, so there are no
// factors and no actions.
func TestChurnLevels(t *testing.T) {
	tests := []struct {
		p     float64
		score int
		level analytics.ChurnLevel
	}{
		{0.001, 0, analytics.ChurnLow},
		{0.2449, 24, analytics.ChurnLow},
		{0.25, 25, analytics.ChurnMedium},
		{0.4949, 49, analytics.ChurnMedium},
		{0.4951, 50, analytics.ChurnHigh},
		{0.7449, 74, analytics.ChurnHigh},
		{0.75, 75, analytics.ChurnCritical},
		{0.999, 100, analytics.ChurnCritical},
	}
	for _, tt := range tests {
		got := analytics.ChurnRiskOf(riskFacts(), churntest.Flat(tt.p), now)
		if got.Probability != tt.p || got.Score != tt.score || got.Level != tt.level {
			t.Errorf("p = %v: got %v, %d, %s; want %v, %d, %s", tt.p, got.Probability, got.Score, got.Level, tt.p, tt.score, tt.level)
		}
		if len(got.Factors) != 0 || len(got.RecommendedActions) != 0 || got.Factors == nil || got.RecommendedActions == nil {
			t.Errorf("p = %v: factors %v, actions %v; want both empty", tt.p, got.Factors, got.RecommendedActions)
		}
	}
}

// TestLiveChurnAndValue reads the churn risk and the lifetime value of
// the fixture's customer on both stores, with a flat 2 % model, after a
// payment of 100.00 and a refund of 10.00. Its one service (fiber,
// 49.99) started on 1 March 2024: at the clock (2 January 2026) a tenure
// of 22 months. By the formula, with p = 0.02 and r = 1.1^(1/12) − 1 =
// 0.0079741: q = 0.98 / (1 + r) = 0.9722472, Σ_{k=1..120} q^k =
// q (1 − q^120) / (1 − q) = 0.9722472 × (1 − 0.0341352) / 0.0277528 =
// 33.83652, so the future value is 49.99 × 33.83652 = 1691.49 and the
// lifetime value 90.00 + 1691.49 = 1781.49; the expected stay is
// Σ 0.98^k = 0.98 × (1 − 0.0885379) / 0.02 = 44.66, shown as 44.7. With
// p = 0.001 the floor of 0.005 holds: q = 0.995 / (1 + r) = 0.9871285,
// Σ q^k = 0.9871285 × (1 − 0.2112724) / 0.0128715 = 60.48832, so
// 49.99 × 60.48832 = 3023.81 and 3113.81; Σ 0.995^k = 0.995 ×
// (1 − 0.5479863) / 0.005 = 89.95, shown as 90.0. Unknown, malformed
// and deleted customers are not found.
func TestLiveChurnAndValue(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		if _, err := f.svc.IngestPayments(ctx, f.c.ID, []analytics.PaymentInput{
			{TransactionID: "TX-1", Amount: 10000, PaidAt: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), PaymentMethod: analytics.MethodCreditCard},
			{TransactionID: "TX-2", Amount: 1000, PaidAt: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC), PaymentMethod: analytics.MethodCreditCard,
				Status: analytics.PaymentRefunded},
		}); err != nil {
			t.Fatal(err)
		}
		service := func(p float64) *analytics.Service {
			return analytics.NewService(st, store.Tx[analytics.Repository](st),
				analytics.Options{Now: func() time.Time { return now }, Model: churntest.Flat(p)})
		}
		svc := service(0.02)
		risk, err := svc.ChurnRisk(ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if risk.CustomerID != f.c.ID || risk.Probability != 0.02 || risk.Score != 2 || risk.Level != analytics.ChurnLow ||
			!risk.ComputedAt.Equal(now) || risk.Model.Version != "hand-1" {
			t.Errorf("churn risk = %+v", risk)
		}
		got, err := svc.LifetimeValue(ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := &analytics.LifetimeValueReport{CustomerID: f.c.ID, HistoricalRevenue: 9000, MonthlyRecurringRevenue: 4999,
			TenureMonths: 22, MonthlyChurnProbability: 0.02, ExpectedRemainingMonths: 44.7, PredictedFutureValue: 169149,
			PredictedLifetimeValue: 178149, AnnualDiscountRate: 0.10, Formula: analytics.LTVFormula, ComputedAt: now}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lifetime value at 2 %% (-want +got):\n%s", diff)
		}
		got, err = service(0.001).LifetimeValue(ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.MonthlyChurnProbability, want.ExpectedRemainingMonths = 0.005, 90.0
		want.PredictedFutureValue, want.PredictedLifetimeValue = 302381, 311381
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lifetime value at the floor (-want +got):\n%s", diff)
		}

		if err := f.customers.Delete(ctx, f.c.ID, customer.DeleteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{f.c.ID, "0190a7e2-0000-7000-8000-000000000001", "not-an-id"} {
			if _, err := svc.ChurnRisk(ctx, id); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("ChurnRisk(%q) = %v, want not_found", id, err)
			}
			if _, err := svc.LifetimeValue(ctx, id); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("LifetimeValue(%q) = %v, want not_found", id, err)
			}
		}
	})
}
