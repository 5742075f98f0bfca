package storetest

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// profileTests check the storage of the materialised analytics.Profile.
var profileTests = []test{
	{"ProfileRoundTrip", testProfileRoundTrip},
	{"ProfileUpsert", testProfileUpsert},
	{"ProfileNotFound", testProfileNotFound},
}

// fullProfile returns a profile of the customer with every field set to a
// value other than its zero; n varies them.
func fullProfile(customerID string, n int) analytics.Profile {
	return analytics.Profile{
		CustomerID: customerID, MRR: crm.Money(12_345 + n), HistoricalRevenue: crm.Money(9_876_543 + n),
		TenureMonths: 27 + n, ChurnProbability: 0.1234567890123 + float64(n)/1000, ChurnScore: 12 + n,
		ChurnLevel: analytics.ChurnLow, PredictedLTV: crm.Money(10_456_789 + n),
		Technology: customer.TechFiber, ContractTerm: customer.TermOneYear,
		ServiceTypes: []customer.ServiceType{customer.ServiceInternet, customer.ServiceTechSupport, customer.ServiceVoice},
		Autopay:      true, HasOpenTickets: true, ModelVersion: "test-1", ComputedAt: at(time.Duration(n) * time.Minute),
		Insight: fullInsight(n),
	}
}

// fullInsight returns an Insight with every field set to a value other
// than its zero (MonthlyRecurringRevenue aside, which is not kept); n
// varies them.
func fullInsight(n int) *customer.Insight {
	return &customer.Insight{
		Billing: customer.BillingSummary{CurrentBalance: crm.Money(-1_234 - n), LastPaymentDate: ptr(date(2025, time.March, 1+n)),
			LastPaymentAmount: ptr(crm.Money(5_999 + n)), PaymentMethod: ptr("credit_card"), AutoPayEnabled: true,
			CreditLimit: ptr(crm.Money(100_000 + n))},
		Metrics: customer.AccountMetrics{CustomerSince: date(2019, time.June, 15+n), LifetimeValue: crm.Money(987_654 + n),
			ChurnRiskScore: ptr(float64(12 + n)), SatisfactionScore: ptr(4.3 + float64(n)/10), SupportTicketsCount: 7 + n},
		ComputedAt: at(time.Duration(n)*time.Minute + time.Microsecond),
	}
}

// testProfileRoundTrip saves the profiles of two customers in one call and
// reads each back with every field, and a profile of a customer that
// holds no service (empty technology, contract term and types) whose
// Insight is all zeros and nils.
func testProfileRoundTrip(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	pa, pb := fullProfile(a.ID, 0), fullProfile(b.ID, 1)
	pb.Technology, pb.ContractTerm, pb.ServiceTypes = "", "", []customer.ServiceType{}
	pb.Autopay, pb.HasOpenTickets, pb.ChurnLevel = false, false, analytics.ChurnCritical
	pb.Insight = &customer.Insight{Metrics: customer.AccountMetrics{ChurnRiskScore: ptr(0.0)}, ComputedAt: at(time.Minute)}
	ok(t, "save", s.SaveProfiles(ctx, []analytics.Profile{pa, pb}))
	for _, want := range []analytics.Profile{pa, pb} {
		got, err := s.GetProfile(ctx, want.CustomerID)
		ok(t, "get", err)
		check(t, "profile", &want, got)
	}
	ok(t, "save nothing", s.SaveProfiles(ctx, nil))
}

// testProfileUpsert checks that saving a customer's profile again
// replaces every field (the Insight by none), and leaves other customers'
// profiles alone.
func testProfileUpsert(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	ok(t, "first save", s.SaveProfiles(ctx, []analytics.Profile{fullProfile(a.ID, 0), fullProfile(b.ID, 0)}))
	next := analytics.Profile{CustomerID: a.ID, MRR: 1, HistoricalRevenue: 2, TenureMonths: 3, ChurnProbability: 0.9,
		ChurnScore: 90, ChurnLevel: analytics.ChurnCritical, PredictedLTV: 4, Technology: customer.TechDSL,
		ContractTerm: customer.TermMonthToMonth, ServiceTypes: []customer.ServiceType{customer.ServiceStreaming},
		ModelVersion: "test-2", ComputedAt: at(time.Hour)}
	ok(t, "second save", s.SaveProfiles(ctx, []analytics.Profile{next}))
	got, err := s.GetProfile(ctx, a.ID)
	ok(t, "get a", err)
	check(t, "replaced profile", &next, got)
	got, err = s.GetProfile(ctx, b.ID)
	ok(t, "get b", err)
	check(t, "other profile", ptr(fullProfile(b.ID, 0)), got)
}

// testProfileNotFound checks not_found for a profile never saved, for an
// unknown customer, and that a batch naming an unknown customer saves
// nothing.
func testProfileNotFound(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	_, err := s.GetProfile(ctx, c.ID)
	wantCode(t, "get a profile never saved", err, crm.CodeNotFound)
	_, err = s.GetProfile(ctx, newID(t))
	wantCode(t, "get the profile of an unknown customer", err, crm.CodeNotFound)
	err = s.SaveProfiles(ctx, []analytics.Profile{fullProfile(c.ID, 0), fullProfile(newID(t), 1)})
	wantCode(t, "save for an unknown customer", err, crm.CodeNotFound)
	_, err = s.GetProfile(ctx, c.ID)
	wantCode(t, "get after the failed save", err, crm.CodeNotFound)
}
