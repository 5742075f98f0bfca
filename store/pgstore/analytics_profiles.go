package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// The profiles are upserted a batch per statement, as the feeds are: the
// batch goes in as one jsonb array unpacked by jsonb_to_recordset (a JSON
// array becomes the text[] of service_types), so a sweep batch of a
// thousand customers is one round trip. A profile of a customer that does
// not exist fails the foreign key, which mapErr turns into not_found.
const (
	saveProfilesSQL = `INSERT INTO customer_analytics AS t (customer_id, mrr, historical_revenue, tenure_months,
		churn_probability, churn_score, churn_level, predicted_ltv, technology, contract_term, service_types, autopay,
		has_open_tickets, model_version, computed_at, insight)
	SELECT r.customer_id, r.mrr, r.historical_revenue, r.tenure_months, r.churn_probability, r.churn_score, r.churn_level,
		r.predicted_ltv, NULLIF(r.technology, ''), NULLIF(r.contract_term, ''), r.service_types, r.autopay,
		r.has_open_tickets, r.model_version, r.computed_at, r.insight
	FROM jsonb_to_recordset($1::jsonb) AS r(customer_id text, mrr bigint, historical_revenue bigint, tenure_months integer,
		churn_probability double precision, churn_score integer, churn_level text, predicted_ltv bigint, technology text,
		contract_term text, service_types text[], autopay boolean, has_open_tickets boolean, model_version text,
		computed_at timestamptz, insight jsonb)
	ON CONFLICT (customer_id) DO UPDATE SET mrr = EXCLUDED.mrr, historical_revenue = EXCLUDED.historical_revenue,
		tenure_months = EXCLUDED.tenure_months, churn_probability = EXCLUDED.churn_probability,
		churn_score = EXCLUDED.churn_score, churn_level = EXCLUDED.churn_level, predicted_ltv = EXCLUDED.predicted_ltv,
		technology = EXCLUDED.technology, contract_term = EXCLUDED.contract_term, service_types = EXCLUDED.service_types,
		autopay = EXCLUDED.autopay, has_open_tickets = EXCLUDED.has_open_tickets, model_version = EXCLUDED.model_version,
		computed_at = EXCLUDED.computed_at, insight = EXCLUDED.insight`

	// service_types is read as JSON: a text[] scans into []string through
	// pgx natively but not through database/sql, which runs the reads
	// inside a transaction.
	profileColumns = `customer_id, mrr, historical_revenue, tenure_months, churn_probability, churn_score, churn_level,
		predicted_ltv, coalesce(technology, ''), coalesce(contract_term, ''), to_json(service_types)::text, autopay,
		has_open_tickets, model_version, computed_at, coalesce(insight::text, '')`
	getProfileSQL = `SELECT ` + profileColumns + ` FROM customer_analytics WHERE customer_id = $1`
)

// profileJSON is a profile as saveProfilesSQL reads it.
type profileJSON struct {
	CustomerID        string    `json:"customer_id"`
	MRR               int64     `json:"mrr"`
	HistoricalRevenue int64     `json:"historical_revenue"`
	TenureMonths      int       `json:"tenure_months"`
	ChurnProbability  float64   `json:"churn_probability"`
	ChurnScore        int       `json:"churn_score"`
	ChurnLevel        string    `json:"churn_level"`
	PredictedLTV      int64     `json:"predicted_ltv"`
	Technology        string    `json:"technology"`
	ContractTerm      string    `json:"contract_term"`
	ServiceTypes      []string  `json:"service_types"`
	Autopay           bool      `json:"autopay"`
	HasOpenTickets    bool      `json:"has_open_tickets"`
	ModelVersion      string    `json:"model_version"`
	ComputedAt        time.Time `json:"computed_at"`
	// Insight is null when the profile has none.
	Insight *insightJSON `json:"insight"`
}

// insightJSON is a customer.Insight as the insight column keeps it:
// amounts in minor units, a zero CustomerSince as null, no
// MonthlyRecurringRevenue (never kept).
type insightJSON struct {
	Balance           int64     `json:"balance"`
	LastPaymentDate   *crm.Date `json:"last_payment_date"`
	LastPaymentAmount *int64    `json:"last_payment_amount"`
	PaymentMethod     *string   `json:"payment_method"`
	AutoPay           bool      `json:"auto_pay"`
	CreditLimit       *int64    `json:"credit_limit"`
	CustomerSince     *crm.Date `json:"customer_since"`
	LifetimeValue     int64     `json:"lifetime_value"`
	ChurnRiskScore    *float64  `json:"churn_risk_score"`
	SatisfactionScore *float64  `json:"satisfaction_score"`
	Tickets           int       `json:"support_tickets"`
	ComputedAt        time.Time `json:"computed_at"`
}

// insightJSONOf is in as stored.
func insightJSONOf(in *customer.Insight) *insightJSON {
	b, m := &in.Billing, &in.Metrics
	v := &insightJSON{Balance: int64(b.CurrentBalance), LastPaymentDate: b.LastPaymentDate,
		LastPaymentAmount: (*int64)(b.LastPaymentAmount), PaymentMethod: b.PaymentMethod, AutoPay: b.AutoPayEnabled,
		CreditLimit: (*int64)(b.CreditLimit), LifetimeValue: int64(m.LifetimeValue), ChurnRiskScore: m.ChurnRiskScore,
		SatisfactionScore: m.SatisfactionScore, Tickets: m.SupportTicketsCount, ComputedAt: ts(in.ComputedAt)}
	if !m.CustomerSince.IsZero() {
		v.CustomerSince = &m.CustomerSince
	}
	return v
}

// decodeInsight decodes the stored JSON of the customer's Insight; nil
// when none is stored ("").
func decodeInsight(customerID, text string) (*customer.Insight, error) {
	if text == "" {
		return nil, nil
	}
	var v insightJSON
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("pgstore: decode the insight of customer %s: %w", customerID, err)
	}
	in := &customer.Insight{
		Billing: customer.BillingSummary{CurrentBalance: crm.Money(v.Balance), LastPaymentDate: v.LastPaymentDate,
			LastPaymentAmount: (*crm.Money)(v.LastPaymentAmount), PaymentMethod: v.PaymentMethod, AutoPayEnabled: v.AutoPay,
			CreditLimit: (*crm.Money)(v.CreditLimit)},
		Metrics: customer.AccountMetrics{LifetimeValue: crm.Money(v.LifetimeValue), ChurnRiskScore: v.ChurnRiskScore,
			SatisfactionScore: v.SatisfactionScore, SupportTicketsCount: v.Tickets},
		ComputedAt: v.ComputedAt.UTC(),
	}
	if v.CustomerSince != nil {
		in.Metrics.CustomerSince = *v.CustomerSince
	}
	return in, nil
}

// SaveProfiles upserts the profiles by customer id, in one statement;
// not_found when a customer does not exist. The customer ids must be
// distinct.
func (s *Store) SaveProfiles(ctx context.Context, ps []analytics.Profile) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([]profileJSON, len(ps))
	for i := range ps {
		p := &ps[i]
		types := make([]string, len(p.ServiceTypes))
		for j, t := range p.ServiceTypes {
			types[j] = string(t)
		}
		rows[i] = profileJSON{p.CustomerID, int64(p.MRR), int64(p.HistoricalRevenue), p.TenureMonths, p.ChurnProbability,
			p.ChurnScore, string(p.ChurnLevel), int64(p.PredictedLTV), string(p.Technology), string(p.ContractTerm), types,
			p.Autopay, p.HasOpenTickets, p.ModelVersion, ts(p.ComputedAt), nil}
		if p.Insight != nil {
			rows[i].Insight = insightJSONOf(p.Insight)
		}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return crm.Wrap(err, crm.CodeInternal, "save profiles")
	}
	return s.exec(ctx, "save profiles", saveProfilesSQL, string(b))
}

// GetProfile returns the customer's profile; not_found when none was
// saved.
func (s *Store) GetProfile(ctx context.Context, customerID string) (*analytics.Profile, error) {
	return getRecord[analytics.Profile, profileRow](ctx, s, "profile", getProfileSQL, customerID)
}

// profileRow is one row of the customer_analytics table, as
// profileColumns reads it.
type profileRow struct {
	CustomerID               string
	MRR, HistoricalRevenue   int64
	TenureMonths             int
	ChurnProbability         float64
	ChurnScore               int
	ChurnLevel               string
	PredictedLTV             int64
	Technology, ContractTerm string
	ServiceTypes             string
	Autopay, HasOpenTickets  bool
	ModelVersion             string
	ComputedAt               time.Time
	Insight                  string
}

func (r *profileRow) dest() []any {
	return []any{&r.CustomerID, &r.MRR, &r.HistoricalRevenue, &r.TenureMonths, &r.ChurnProbability, &r.ChurnScore,
		&r.ChurnLevel, &r.PredictedLTV, &r.Technology, &r.ContractTerm, &r.ServiceTypes, &r.Autopay, &r.HasOpenTickets,
		&r.ModelVersion, &r.ComputedAt, &r.Insight}
}

func (r *profileRow) decode() (*analytics.Profile, error) {
	p := &analytics.Profile{CustomerID: r.CustomerID, MRR: crm.Money(r.MRR), HistoricalRevenue: crm.Money(r.HistoricalRevenue),
		TenureMonths: r.TenureMonths, ChurnProbability: r.ChurnProbability, ChurnScore: r.ChurnScore,
		ChurnLevel: analytics.ChurnLevel(r.ChurnLevel), PredictedLTV: crm.Money(r.PredictedLTV),
		Technology: customer.Technology(r.Technology), ContractTerm: customer.ContractTerm(r.ContractTerm),
		ServiceTypes: []customer.ServiceType{}, Autopay: r.Autopay, HasOpenTickets: r.HasOpenTickets,
		ModelVersion: r.ModelVersion, ComputedAt: r.ComputedAt.UTC()}
	if err := json.Unmarshal([]byte(r.ServiceTypes), &p.ServiceTypes); err != nil {
		return nil, fmt.Errorf("pgstore: decode service types of customer %s: %w", r.CustomerID, err)
	}
	if p.ServiceTypes == nil {
		p.ServiceTypes = []customer.ServiceType{}
	}
	var err error
	if p.Insight, err = decodeInsight(r.CustomerID, r.Insight); err != nil {
		return nil, err
	}
	return p, nil
}
