package analytics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestRefitChurnModel refits on a history of 12 months before now
// (T0 = 2025-01-02): seven month-to-month customers whose services all
// ended in the window, seven two-year customers who stayed, one who kept
// one of two services (stayed), one who started after T0 and one who had
// left before it (neither is a row). One leaver closed its account: its
// records stay for the books, and it is a row as the others are.
func TestRefitChurnModel(t *testing.T) { teststore.Run(t, testRefitChurnModel) }

func testRefitChurnModel(t *testing.T, st store.Store) {
	ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_test"})
	clock := func() time.Time { return now }
	customers := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: clock})
	svc := analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Now: clock})
	n := 0
	add := func(services ...customer.SubscriptionInput) string {
		t.Helper()
		n++
		addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		c, err := customers.Create(ctx, customer.Input{Name: fmt.Sprintf("C%d", n), Email: fmt.Sprintf("c%d@example.com", n),
			Phone: fmt.Sprintf("+1212555%04d", n), Type: customer.TypeResidential, BillingAddress: &addr})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range services {
			if _, err := customers.AddSubscription(ctx, c.ID, s); err != nil {
				t.Fatal(err)
			}
		}
		return c.ID
	}
	service := func(start crm.Date, end *crm.Date, term customer.ContractTerm, price crm.Money) customer.SubscriptionInput {
		return customer.SubscriptionInput{PlanName: "Fiber", Technology: customer.TechFiber, MonthlyPrice: &price,
			ContractTerm: term, StartDate: &start, EndDate: end}
	}
	for i := range 7 {
		id := add(service(date(2024, time.March, 1+i), ptr(date(2025, time.June, 1+i)), customer.TermMonthToMonth, crm.Money(8000+100*i)))
		if i == 0 {
			if err := customers.Delete(ctx, id, customer.DeleteOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
		}
		add(service(date(2022, time.January, 1+i), nil, customer.TermTwoYear, crm.Money(5000+100*i)))
	}
	add(service(date(2023, time.May, 1), ptr(date(2025, time.March, 1)), customer.TermMonthToMonth, 3000),
		service(date(2023, time.May, 1), nil, customer.TermOneYear, 4000))
	add(service(date(2025, time.June, 1), nil, customer.TermMonthToMonth, 6000))
	add(service(date(2023, time.June, 1), ptr(date(2024, time.December, 1)), customer.TermMonthToMonth, 6000))

	m, err := svc.RefitChurnModel(ctx, now, 12)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	if m.Name != analytics.RefitModelName || !m.TrainedAt.Equal(now) || m.TrainingRows != 15 || m.Lambda != analytics.DefaultLambda {
		t.Errorf("model %s trained %s on %d rows, lambda %v", m.Name, m.TrainedAt, m.TrainingRows, m.Lambda)
	}
	if m.CVAUC < 0.9 {
		t.Errorf("cv AUC %v on separable rows", m.CVAUC)
	}
	// Tenure at T0 (the leavers were newer) and the contract tell the
	// classes apart.
	for _, c := range m.Coefficients {
		if (c.Feature == "contract_two_year" || c.Feature == "tenure_months") && c.Weight >= 0 {
			t.Errorf("%s weighs %v, want negative", c.Feature, c.Weight)
		}
	}

	for _, months := range []int{0, 61} {
		_, err := svc.RefitChurnModel(ctx, now, months)
		if crm.ErrorCode(err) != crm.CodeInvalid || len(crm.ErrorFields(err)) != 1 || crm.ErrorFields(err)[0].Field != "window_months" {
			t.Errorf("window of %d months: %v, want invalid window_months", months, err)
		}
	}
	// Two months back, nobody has left yet.
	if _, err := svc.RefitChurnModel(ctx, now, 2); crm.ErrorCode(err) != crm.CodeInvalid {
		t.Errorf("a window with no leavers: %v, want invalid", err)
	}
}
