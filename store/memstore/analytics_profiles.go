package memstore

import (
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// SaveProfiles stores copies of the profiles by customer id; not_found
// when a customer does not exist (deleted or not, as the foreign key).
func (s *Store) SaveProfiles(ctx context.Context, ps []analytics.Profile) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		for i := range ps {
			if _, ok := db.customers[ps[i].CustomerID]; !ok {
				return crm.NotFound("customer")
			}
		}
		for i := range ps {
			set(tx, db.profiles, ps[i].CustomerID, cloneProfile(&ps[i]))
		}
		return nil
	})
}

// GetProfile returns a copy of the customer's profile; not_found when none
// was saved.
func (s *Store) GetProfile(ctx context.Context, customerID string) (*analytics.Profile, error) {
	var out *analytics.Profile
	err := s.read(ctx, func(db *database) error {
		p, ok := db.profiles[customerID]
		if !ok {
			return crm.NotFound("profile")
		}
		out = cloneProfile(p)
		return nil
	})
	return out, err
}

// cloneProfile deep-copies p, with its times as Postgres keeps them.
func cloneProfile(p *analytics.Profile) *analytics.Profile {
	v := *p
	v.ServiceTypes = slices.Clone(p.ServiceTypes)
	v.ComputedAt = normTime(p.ComputedAt)
	if p.Insight != nil {
		v.Insight = cloneInsight(p.Insight)
	}
	return &v
}

// cloneInsight deep-copies in, with its time as Postgres keeps it.
func cloneInsight(in *customer.Insight) *customer.Insight {
	v := *in
	b, m := &v.Billing, &v.Metrics
	b.LastPaymentDate, b.LastPaymentAmount = clonePtr(b.LastPaymentDate), clonePtr(b.LastPaymentAmount)
	b.PaymentMethod, b.CreditLimit = clonePtr(b.PaymentMethod), clonePtr(b.CreditLimit)
	m.ChurnRiskScore, m.SatisfactionScore = clonePtr(m.ChurnRiskScore), clonePtr(m.SatisfactionScore)
	v.ComputedAt = normTime(in.ComputedAt)
	return &v
}
