package analytics_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/churntest"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestProfilesFollowChanges checks on both stores that the stored
// profile follows every change to a customer, its services and its
// feeds, in the change's transaction, and that what changes nothing
// refreshes nothing (its computed_at stays); the Insight of the details
// with it. The flat 30 % model makes
// the lifetime value of 49.99 a month by hand: q = 0.7 / (1 + r) =
// 0.6944623 with r = 1.1^(1/12) − 1, Σ_{k=1..120} q^k = q / (1 − q) (q^120
// is negligible) = 2.272918, and 49.99 × 2.272918 = 113.62.
func TestProfilesFollowChanges(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_test"})
		clock := testkit.NewClock(now)
		svc := analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Now: clock.Now, Model: churntest.Flat(0.3)})
		customers := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: clock.Now,
			Watchers: []customer.Watcher{svc}})
		profile := func(id string) *analytics.Profile {
			t.Helper()
			p, err := st.GetProfile(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		expect := func(step string, want analytics.Profile) {
			t.Helper()
			if diff := cmp.Diff(&want, profile(want.CustomerID)); diff != "" {
				t.Errorf("%s: profile (-want +got):\n%s", step, diff)
			}
		}
		addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		c, err := customers.Create(ctx, customer.Input{Name: "Owner", Email: "owner@example.com", Phone: "+12125550142",
			Type: customer.TypeResidential, BillingAddress: &addr})
		if err != nil {
			t.Fatal(err)
		}
		// Creating a customer derives nothing: no profile until its first
		// service, feed or sweep.
		if _, err := st.GetProfile(ctx, c.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("profile after create: %v, want not_found", err)
		}
		want := analytics.Profile{CustomerID: c.ID, ChurnScore: 30, ChurnLevel: analytics.ChurnMedium,
			ModelVersion: "hand-1"}

		clock.Set(now.Add(time.Minute))
		sub, err := customers.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Fiber 500", Technology: customer.TechFiber,
			MonthlyPrice: ptr(crm.Money(4999)), ContractTerm: customer.TermOneYear, StartDate: ptr(date(2024, time.March, 1))})
		if err != nil {
			t.Fatal(err)
		}
		want.MRR, want.TenureMonths, want.PredictedLTV = 4999, 22, 11362
		want.Technology, want.ContractTerm = customer.TechFiber, customer.TermOneYear
		want.ServiceTypes, want.ComputedAt = []customer.ServiceType{customer.ServiceInternet}, now.Add(time.Minute)
		want.Insight = &customer.Insight{Metrics: customer.AccountMetrics{CustomerSince: date(2024, time.March, 1),
			ChurnRiskScore: ptr(30.0)}, ComputedAt: now.Add(time.Minute)}
		// 0.3 as the model computes it: 1 / (1 + e^−logit(0.3)).
		want.ChurnProbability = profile(c.ID).ChurnProbability
		if d := want.ChurnProbability - 0.3; d > 1e-12 || d < -1e-12 {
			t.Fatalf("probability %v, want 0.3", want.ChurnProbability)
		}
		expect("service added", want)

		clock.Set(now.Add(2 * time.Minute))
		if _, err := svc.IngestPayments(ctx, c.ID, []analytics.PaymentInput{{TransactionID: "TX-1", Amount: 10000,
			PaidAt: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), PaymentMethod: analytics.MethodCreditCard, Autopay: true}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.IngestTickets(ctx, c.ID, []analytics.TicketInput{{TicketID: "T-1", OpenedAt: now.Add(-time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		want.HistoricalRevenue, want.PredictedLTV, want.Autopay, want.HasOpenTickets = 10000, 10000+11362, true, true
		want.ComputedAt, want.Insight.ComputedAt = now.Add(2*time.Minute), now.Add(2*time.Minute)
		// The payment names no invoice: money not yet applied, credit.
		want.Insight.Billing = customer.BillingSummary{CurrentBalance: -10000, LastPaymentDate: ptr(date(2025, time.December, 1)),
			LastPaymentAmount: ptr(crm.Money(10000)), PaymentMethod: ptr("credit_card"), AutoPayEnabled: true}
		want.Insight.Metrics.LifetimeValue, want.Insight.Metrics.SupportTicketsCount = 10000, 1
		expect("feeds ingested", want)

		// A replayed batch and an edit to the same values change nothing.
		clock.Set(now.Add(3 * time.Minute))
		if _, err := svc.IngestTickets(ctx, c.ID, []analytics.TicketInput{{TicketID: "T-1", OpenedAt: now.Add(-time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := customers.UpdateSubscription(ctx, c.ID, sub.ID, 0, func(*customer.SubscriptionInput) error { return nil }); err != nil {
			t.Fatal(err)
		}
		expect("nothing changed", want)

		clock.Set(now.Add(4 * time.Minute))
		if _, err := customers.UpdateSubscription(ctx, c.ID, sub.ID, 0, func(in *customer.SubscriptionInput) error {
			in.Status = customer.SubscriptionCancelled
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want.MRR, want.PredictedLTV, want.Technology, want.ContractTerm = 0, 10000, "", ""
		want.ServiceTypes, want.ComputedAt = []customer.ServiceType{}, now.Add(4*time.Minute)
		want.Insight.ComputedAt = now.Add(4 * time.Minute)
		expect("service cancelled", want)

		clock.Set(now.Add(5 * time.Minute))
		if _, err := customers.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonAbuse}); err != nil {
			t.Fatal(err)
		}
		want.ComputedAt, want.Insight.ComputedAt = now.Add(5*time.Minute), now.Add(5*time.Minute)
		expect("suspended", want)
	})
}

// TestRefreshProfiles checks that RefreshProfiles stores the profiles of
// the customers named, once each however often named, and skips unknown
// and deleted customers.
func TestRefreshProfiles(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		gone, err := f.customers.Create(ctx, customer.Input{Name: "Gone", Email: "gone@example.com", Phone: "+12125550199", Type: customer.TypeResidential,
			BillingAddress: &addr})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.customers.Delete(ctx, gone.ID, customer.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RefreshProfiles(ctx, []string{f.c.ID, "0190a7e2-0000-7000-8000-000000000001", gone.ID, f.c.ID}); err != nil {
			t.Fatal(err)
		}
		p, err := st.GetProfile(ctx, f.c.ID)
		if err != nil || p.MRR != 4999 || p.TenureMonths != 22 || p.ChurnScore != 30 || !p.ComputedAt.Equal(now) {
			t.Errorf("profile = %+v, %v", p, err)
		}
		if _, err := st.GetProfile(ctx, gone.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("profile of the deleted customer: %v, want not_found", err)
		}
	})
}

// TestSweep checks on both stores that a sweep refreshes every customer
// in batches, that a sweep before the interval has passed does nothing,
// and that the next round, a month later, moves the tenure with the
// clock although nothing changed.
func TestSweep(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		for i, email := range []string{"a@example.com", "b@example.com"} {
			if _, err := f.customers.Create(ctx, customer.Input{Name: "Other", Email: email, Phone: "+1212555017" + string(rune('0'+i)),
				Type:           customer.TypeResidential,
				BillingAddress: &addr}); err != nil {
				t.Fatal(err)
			}
		}
		clock := testkit.NewClock(now)
		svc := analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Now: clock.Now, Model: churntest.Flat(0.3),
			SweepInterval: 24 * time.Hour, SweepBatch: 2})
		sweep := func(step string, want analytics.SweepStats) {
			t.Helper()
			got, err := svc.Sweep(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: stats (-want +got):\n%s", step, diff)
			}
		}
		tenure := func(step string, want int, at time.Time) {
			t.Helper()
			p, err := st.GetProfile(ctx, f.c.ID)
			if err != nil || p.TenureMonths != want || !p.ComputedAt.Equal(at) {
				t.Errorf("%s: profile = %+v, %v; want tenure %d computed at %v", step, p, err, want, at)
			}
		}
		sweep("first", analytics.SweepStats{Round: now, Batches: 2, Customers: 3, Next: now.Add(24 * time.Hour)})
		tenure("first", 22, now)
		clock.Set(now.Add(23 * time.Hour))
		sweep("too early", analytics.SweepStats{Next: now.Add(24 * time.Hour)})
		later := now.AddDate(0, 1, 0)
		clock.Set(later)
		sweep("a month later", analytics.SweepStats{Round: later, Batches: 2, Customers: 3, Next: later.Add(24 * time.Hour)})
		tenure("a month later", 23, later)
	})
}
