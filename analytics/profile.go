package analytics

import (
	"math"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// ChurnLevel names a band of churn scores.
type ChurnLevel string

// The churn levels and their cut-offs on the 0–100 score: low below
// MediumScore, medium below HighScore, high below CriticalScore, critical
// from there.
const (
	ChurnLow      ChurnLevel = "low"
	ChurnMedium   ChurnLevel = "medium"
	ChurnHigh     ChurnLevel = "high"
	ChurnCritical ChurnLevel = "critical"

	MediumScore   = 25
	HighScore     = 50
	CriticalScore = 75
)

// ChurnLevels lists every ChurnLevel, from the lowest.
var ChurnLevels = []ChurnLevel{ChurnLow, ChurnMedium, ChurnHigh, ChurnCritical}

// ScoreOf is the churn score of a probability: round(100 × p).
func ScoreOf(p float64) int { return int(math.Round(100 * p)) }

// LevelOf is the level of a churn score.
func LevelOf(score int) ChurnLevel {
	switch {
	case score >= CriticalScore:
		return ChurnCritical
	case score >= HighScore:
		return ChurnHigh
	case score >= MediumScore:
		return ChurnMedium
	}
	return ChurnLow
}

// The constants of the lifetime value.
const (
	// AnnualDiscountRate discounts future revenue.
	AnnualDiscountRate = 0.10
	// LTVHorizonMonths caps the future months the lifetime value counts.
	LTVHorizonMonths = 120
	// MinMonthlyChurn floors the monthly churn probability, so no customer
	// is predicted to stay forever.
	MinMonthlyChurn = 0.005
)

// LTVFormula documents LifetimeValueOf; the lifetime-value answer carries it.
const LTVFormula = "predicted_future_value = MRR × Σ_{k=1..120} ((1 − p) / (1 + r))^k, " +
	"where p = max(monthly_churn_probability, 0.005) and r = (1 + annual_discount_rate)^(1/12) − 1; " +
	"expected_remaining_months = Σ_{k=1..120} (1 − p)^k; " +
	"predicted_lifetime_value = historical_revenue + predicted_future_value"

// LifetimeValue is a customer's revenue so far and the revenue its current
// services are expected to bring.
type LifetimeValue struct {
	HistoricalRevenue       crm.Money
	MonthlyRecurringRevenue crm.Money
	TenureMonths            int
	MonthlyChurnProbability float64
	// ExpectedRemainingMonths is the expected number of the next
	// LTVHorizonMonths months the customer stays.
	ExpectedRemainingMonths float64
	PredictedFutureValue    crm.Money
	PredictedLifetimeValue  crm.Money
}

// LifetimeValueOf computes the lifetime value (see LTVFormula) from the
// facts as of day and the monthly churn probability p: the customer pays
// its MRR for every future month it survives, each month it stays with
// probability 1 − p, discounted at AnnualDiscountRate, over at most
// LTVHorizonMonths.
func LifetimeValueOf(f *Facts, day crm.Date, p float64) LifetimeValue {
	mrr := HeldMRR(f, day)
	p = math.Min(1, math.Max(p, MinMonthlyChurn))
	r := math.Pow(1+AnnualDiscountRate, 1.0/12) - 1
	stay, disc := 1-p, (1-p)/(1+r)
	months, factor := geometric(stay, LTVHorizonMonths), geometric(disc, LTVHorizonMonths)
	future := crm.MoneyOf(mrr.Float() * factor)
	return LifetimeValue{
		HistoricalRevenue: f.HistoricalRevenue, MonthlyRecurringRevenue: mrr, TenureMonths: TenureMonths(f, day),
		MonthlyChurnProbability: p, ExpectedRemainingMonths: round(months, 1),
		PredictedFutureValue: future, PredictedLifetimeValue: f.HistoricalRevenue + future,
	}
}

// geometric is Σ_{k=1..n} q^k.
func geometric(q float64, n int) float64 {
	if q == 1 {
		return float64(n)
	}
	return q * (1 - math.Pow(q, float64(n))) / (1 - q)
}

// Profile is a customer's materialised analytics: what the high-value and
// at-risk lists, the segments and the list's analytics filters read, kept
// per customer by the stores and refreshed when the customer's inputs
// change and by the periodic sweep.
type Profile struct {
	CustomerID        string
	MRR               crm.Money
	HistoricalRevenue crm.Money
	TenureMonths      int
	ChurnProbability  float64
	ChurnScore        int
	ChurnLevel        ChurnLevel
	PredictedLTV      crm.Money
	// Technology is that of the internet service held ("" when none; the
	// first by service id when several).
	Technology customer.Technology
	// ContractTerm is the shortest contract term of the services held (""
	// when none).
	ContractTerm customer.ContractTerm
	// ServiceTypes are the types of the services held, sorted, each once.
	ServiceTypes []customer.ServiceType
	// Autopay is that of the latest payment that is not a refund.
	Autopay        bool
	HasOpenTickets bool
	// ModelVersion is the version of the churn model that scored it.
	ModelVersion string
	ComputedAt   time.Time
	// Insight is what the customer's details show of it as of ComputedAt
	// (InsightOf); nil on a profile stored before the stores kept it.
	Insight *customer.Insight
}

// ProfileOf computes the profile of the customer f describes, as of asOf,
// scored by m.
func ProfileOf(f *Facts, m *Model, asOf time.Time) Profile {
	asOf = crm.StoredTime(asOf)
	day := crm.DateOf(asOf)
	pred := m.Predict(FeaturesOf(f, asOf))
	ltv := LifetimeValueOf(f, day, pred.Probability)
	score := ScoreOf(pred.Probability)
	p := Profile{
		CustomerID: f.CustomerID, MRR: ltv.MonthlyRecurringRevenue, HistoricalRevenue: f.HistoricalRevenue,
		TenureMonths: ltv.TenureMonths, ChurnProbability: pred.Probability, ChurnScore: score, ChurnLevel: LevelOf(score),
		PredictedLTV: ltv.PredictedLifetimeValue, Autopay: f.LatestAutopay, HasOpenTickets: f.OpenTickets > 0,
		ModelVersion: m.Version, ComputedAt: asOf, ServiceTypes: []customer.ServiceType{},
	}
	in := InsightOf(f, asOf, score)
	p.Insight = &in
	for i := range f.Services {
		s := &f.Services[i]
		if !s.HeldOn(day) {
			continue
		}
		if s.Type == customer.ServiceInternet && p.Technology == "" {
			p.Technology = s.Technology
		}
		if p.ContractTerm == "" || termRank[s.ContractTerm] < termRank[p.ContractTerm] {
			p.ContractTerm = s.ContractTerm
		}
		if !slices.Contains(p.ServiceTypes, s.Type) {
			p.ServiceTypes = append(p.ServiceTypes, s.Type)
		}
	}
	slices.Sort(p.ServiceTypes)
	return p
}
