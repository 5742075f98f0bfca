package analytics

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// LifetimeValueReport is a customer's lifetime value computed live, with
// the rate and the formula it was computed by.
type LifetimeValueReport struct {
	CustomerID string `json:"customer_id"`
	// HistoricalRevenue is the succeeded payments minus the refunds, all
	// time.
	HistoricalRevenue crm.Money `json:"historical_revenue"`
	// MonthlyRecurringRevenue is the monthly price of the services held.
	MonthlyRecurringRevenue crm.Money `json:"monthly_recurring_revenue"`
	TenureMonths            int       `json:"tenure_months"`
	// MonthlyChurnProbability is the model's probability, floored at
	// MinMonthlyChurn, rounded to 4 decimals (the value is computed with
	// the unrounded one).
	MonthlyChurnProbability float64 `json:"monthly_churn_probability"`
	// ExpectedRemainingMonths is the expected number of the next
	// LTVHorizonMonths months the customer stays, to one decimal.
	ExpectedRemainingMonths float64   `json:"expected_remaining_months"`
	PredictedFutureValue    crm.Money `json:"predicted_future_value"`
	// PredictedLifetimeValue is HistoricalRevenue + PredictedFutureValue.
	PredictedLifetimeValue crm.Money `json:"predicted_lifetime_value"`
	AnnualDiscountRate     float64   `json:"annual_discount_rate"`
	// Formula is LTVFormula.
	Formula    string    `json:"formula"`
	ComputedAt time.Time `json:"computed_at"`
}

// LifetimeValue computes the customer's lifetime value now
// (LifetimeValueOf), from its facts at the clock and the churn probability
// the Service's model gives them. It reads and never writes. Errors:
// not_found.
func (s *Service) LifetimeValue(ctx context.Context, customerID string) (*LifetimeValueReport, error) {
	f, asOf, err := s.liveFacts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	asOf = crm.StoredTime(asOf)
	p := s.model.Predict(FeaturesOf(f, asOf)).Probability
	v := LifetimeValueOf(f, crm.DateOf(asOf), p)
	return &LifetimeValueReport{CustomerID: f.CustomerID, HistoricalRevenue: v.HistoricalRevenue,
		MonthlyRecurringRevenue: v.MonthlyRecurringRevenue, TenureMonths: v.TenureMonths,
		MonthlyChurnProbability: round(v.MonthlyChurnProbability, 4), ExpectedRemainingMonths: v.ExpectedRemainingMonths,
		PredictedFutureValue: v.PredictedFutureValue, PredictedLifetimeValue: v.PredictedLifetimeValue,
		AnnualDiscountRate: AnnualDiscountRate, Formula: LTVFormula, ComputedAt: asOf}, nil
}
