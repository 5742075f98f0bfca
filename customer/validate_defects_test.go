package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// testImplausibleInputRefused calls the service as a library caller would,
// without the HTTP layer's checks of query parameters: control characters
// (NUL, which Postgres refuses in text), bidirectional controls, invisible
// names and dates outside 1900-01-01..2100-12-31 are invalid, naming the
// field, before anything reaches the store.
func testImplausibleInputRefused(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	at := func(y int) *time.Time { v := time.Date(y, time.June, 1, 0, 0, 0, 0, time.UTC); return &v }
	day := func(y int) *crm.Date { return &crm.Date{Year: y, Month: time.June, Day: 1} }
	sub := func(mutate func(*customer.SubscriptionInput)) func() error {
		return func() error {
			in := customer.SubscriptionInput{PlanName: "Fiber", Technology: customer.TechFiber, MonthlyPrice: price(100), StartDate: day(2024)}
			mutate(&in)
			_, err := f.svc.AddSubscription(ctx, c.ID, in)
			return err
		}
	}
	list := func(filter customer.Filter) func() error {
		return func() error { _, err := f.svc.List(ctx, customer.ListParams{Filter: filter}); return err }
	}
	named := func(name string) func() error {
		return func() error {
			in := input(customer.TypeResidential)
			in.Name = name
			_, err := f.svc.Create(ctx, in)
			return err
		}
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"query NUL", list(customer.Filter{Query: "\x00"}), "q"},
		{"city NUL", list(customer.Filter{City: "a\x00"}), "city"},
		{"state C1", list(customer.Filter{State: "\u0085"}), "state"},
		{"postal code RLO", list(customer.Filter{PostalCode: "\u202e1"}), "postal_code"},
		{"created after year 0", list(customer.Filter{CreatedAfter: at(0)}), "created_after"},
		{"created before 9999", list(customer.Filter{CreatedBefore: at(9999)}), "created_before"},
		{"suspend notes NUL", func() error {
			_, err := f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonOther, Notes: "\x00"})
			return err
		}, "notes"},
		{"suspend until 9999", func() error {
			_, err := f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonOther, Until: at(9999)})
			return err
		}, "until"},
		{"reactivate notes isolate", func() error {
			_, err := f.svc.Reactivate(ctx, c.ID, customer.ReactivateInput{Notes: "\u2068x"})
			return err
		}, "notes"},
		{"service start year 0", sub(func(in *customer.SubscriptionInput) { in.StartDate = day(0) }), "start_date"},
		{"active service starting 9999", sub(func(in *customer.SubscriptionInput) { in.StartDate = day(9999) }), "start_date"},
		{"service end 2101", sub(func(in *customer.SubscriptionInput) { in.EndDate = day(2101) }), "end_date"},
		{"plan name NUL", sub(func(in *customer.SubscriptionInput) { in.PlanName = "\x00" }), "plan_name"},
		{"name of bidi controls", named("\u202e\u202d"), "name"},
		{"name invisible", named("\u200b\u200c\u3164"), "name"},
	}
	for _, tt := range tests {
		err := tt.call()
		var got []string
		for _, fe := range crm.ErrorFields(err) {
			got = append(got, fe.Field)
		}
		if crm.ErrorCode(err) != crm.CodeInvalid || !cmp.Equal([]string{tt.field}, got) {
			t.Errorf("%s: %v (fields %v), want invalid naming %s", tt.name, err, got, tt.field)
		}
	}
	if got, err := f.svc.Get(ctx, c.ID); err != nil || got.Status != customer.StatusActive || got.Version != c.Version {
		t.Errorf("customer after refused writes: %+v, %v", got, err)
	}
	subs, err := f.svc.ListSubscriptions(ctx, c.ID, "", 0)
	if err != nil || len(subs.Items) != 0 {
		t.Errorf("services after refused adds: %+v, %v", subs, err)
	}
}
