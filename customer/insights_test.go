package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// fakeInsights answers for one customer, as an analytics module would.
type fakeInsights struct{ seen *customer.SubscriptionTotals }

func (fakeInsights) BillingSummary(_ context.Context, c *customer.Customer) (*customer.BillingSummary, error) {
	return &customer.BillingSummary{CurrentBalance: 1234, AutoPayEnabled: true}, nil
}

func (f fakeInsights) AccountMetrics(_ context.Context, c *customer.Customer, totals customer.SubscriptionTotals) (*customer.AccountMetrics, error) {
	*f.seen = totals
	score := 0.42
	return &customer.AccountMetrics{CustomerSince: crm.Date{Year: 2001, Month: time.May, Day: 2}, ChurnRiskScore: &score,
		MonthlyRecurringRevenue: totals.MonthlyRecurring}, nil
}

func (fakeInsights) SupportTickets(_ context.Context, c *customer.Customer) ([]customer.SupportTicket, error) {
	return []customer.SupportTicket{{ID: "T-1", Subject: "slow", Status: "open", Priority: "high"}}, nil
}

// TestDetailsReadThroughInsights: the details carry what the plugged-in
// Insights return, given the customer's subscription totals.
func TestDetailsReadThroughInsights(t *testing.T) {
	st := memstore.New()
	seen := &customer.SubscriptionTotals{}
	svc := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Insights: fakeInsights{seen: seen}})
	ctx := t.Context()
	c, err := svc.Create(ctx, input(customer.TypeResidential))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Fiber 1G", Technology: customer.TechFiber,
		MonthlyPrice: price(7999), StartDate: date("2024-01-01")}); err != nil {
		t.Fatal(err)
	}
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
		t.Errorf("Details (-want +got):\n%s", diff)
	}
	if seen.Active != 1 || seen.MonthlyRecurring != 7999 {
		t.Errorf("Insights saw totals %+v, want 1 active at 79.99", *seen)
	}
}
