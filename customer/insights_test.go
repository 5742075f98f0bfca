package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// fakeInsights answers for one customer, as an analytics module would,
// and counts the Insights it computed.
type fakeInsights struct{ computed *int }

func (f fakeInsights) Insight(_ context.Context, c *customer.Customer) (*customer.Insight, error) {
	*f.computed++
	score := 0.42
	return &customer.Insight{Billing: customer.BillingSummary{CurrentBalance: 1234, AutoPayEnabled: true},
		Metrics: customer.AccountMetrics{CustomerSince: crm.Date{Year: 2001, Month: time.May, Day: 2}, ChurnRiskScore: &score,
			MonthlyRecurringRevenue: 1}}, nil
}

func (fakeInsights) SupportTickets(_ context.Context, c *customer.Customer) ([]customer.SupportTicket, error) {
	return []customer.SupportTicket{{ID: "T-1", Subject: "slow", Status: "open", Priority: "high"}}, nil
}

// insightFixture is a memory store and a Service over it whose Insights
// are fakeInsights (counting into computed), with StoredInsights as
// stored, and a customer with one 79.99 service.
func insightFixture(t *testing.T, stored bool) (*memstore.Store, *customer.Service, *customer.Customer, *int) {
	t.Helper()
	st := memstore.New()
	computed := new(int)
	svc := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{
		Insights: fakeInsights{computed: computed}, StoredInsights: stored})
	c, err := svc.Create(t.Context(), input(customer.TypeResidential))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddSubscription(t.Context(), c.ID, customer.SubscriptionInput{PlanName: "Fiber 1G", Technology: customer.TechFiber,
		MonthlyPrice: price(7999), StartDate: date("2024-01-01")}); err != nil {
		t.Fatal(err)
	}
	return st, svc, c, computed
}

// TestDetailsReadThroughInsights: without stored insights the details
// carry what the plugged-in Insights compute, with the recurring revenue
// of the customer's active services; with them, a customer that has none
// stored is computed all the same.
func TestDetailsReadThroughInsights(t *testing.T) {
	for _, stored := range []bool{false, true} {
		_, svc, c, computed := insightFixture(t, stored)
		ctx := t.Context()
		d, err := svc.Details(ctx, c.ID, customer.DetailOptions{Billing: true, Metrics: true, Tickets: true})
		if err != nil {
			t.Fatal(err)
		}
		score := 0.42
		want := &customer.Details{
			Customer: c,
			Billing:  &customer.BillingSummary{CurrentBalance: 1234, AutoPayEnabled: true},
			Metrics: &customer.AccountMetrics{CustomerSince: crm.Date{Year: 2001, Month: time.May, Day: 2}, ChurnRiskScore: &score,
				MonthlyRecurringRevenue: 7999},
			Tickets: []customer.SupportTicket{{ID: "T-1", Subject: "slow", Status: "open", Priority: "high"}},
		}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("stored %v: Details (-want +got):\n%s", stored, diff)
		}
		if *computed != 1 {
			t.Errorf("stored %v: %d insights computed, want 1", stored, *computed)
		}
	}
}

// TestDetailsReadStoredInsight: with StoredInsights, the details show the
// Insight stored with the customer's profile, computing nothing, with the
// services' recurring revenue and, for a customer with no service start,
// its creation date; without, the stored one is ignored.
func TestDetailsReadStoredInsight(t *testing.T) {
	for _, stored := range []bool{true, false} {
		st, svc, c, computed := insightFixture(t, stored)
		ctx := t.Context()
		in := &customer.Insight{Billing: customer.BillingSummary{CurrentBalance: -500},
			Metrics: customer.AccountMetrics{LifetimeValue: 9000, SupportTicketsCount: 3}, ComputedAt: c.CreatedAt}
		if err := st.SaveProfiles(ctx, []analytics.Profile{{CustomerID: c.ID, Insight: in}}); err != nil {
			t.Fatal(err)
		}
		d, err := svc.Details(ctx, c.ID, customer.DetailOptions{Billing: true, Metrics: true})
		if err != nil {
			t.Fatal(err)
		}
		if !stored {
			if *computed != 1 || d.Billing.CurrentBalance != 1234 {
				t.Errorf("without StoredInsights: balance %v after %d computed, want 12.34 computed once", d.Billing.CurrentBalance, *computed)
			}
			continue
		}
		want := &customer.Details{Customer: c, Billing: &customer.BillingSummary{CurrentBalance: -500},
			Metrics: &customer.AccountMetrics{CustomerSince: crm.DateOf(c.CreatedAt), LifetimeValue: 9000,
				MonthlyRecurringRevenue: 7999, SupportTicketsCount: 3}}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("Details (-want +got):\n%s", diff)
		}
		if *computed != 0 {
			t.Errorf("%d insights computed, want none", *computed)
		}
	}
}

// TestDetailsCustomerSince: the relationship began at the earliest
// service, or at the customer's customer_since when a migration
// backdated it earlier.
func TestDetailsCustomerSince(t *testing.T) {
	_, svc, c, _ := insightFixture(t, false) // the insights say 2001-05-02
	since := func() crm.Date {
		t.Helper()
		d, err := svc.Details(t.Context(), c.ID, customer.DetailOptions{Metrics: true})
		if err != nil {
			t.Fatal(err)
		}
		return d.Metrics.CustomerSince
	}
	if got, want := since(), (crm.Date{Year: 2001, Month: time.May, Day: 2}); got != want {
		t.Fatalf("customer_since %v, want the insights' %v", got, want)
	}
	if _, err := svc.Update(t.Context(), c.ID, 0, func(in *customer.Input) error {
		in.CustomerSince = date("1999-12-31")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := since(), *date("1999-12-31"); got != want {
		t.Fatalf("backdated: customer_since %v, want %v", got, want)
	}
}
