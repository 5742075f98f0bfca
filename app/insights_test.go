package app_test

import (
	"context"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store/memstore"
)

// fixedInsights reports a fixed balance, and the record's own figures.
type fixedInsights struct {
	customer.RecordInsights
	owed crm.Money
}

func (f fixedInsights) Balance(context.Context, string) (crm.Money, error) { return f.owed, nil }

func (f fixedInsights) Insight(context.Context, *customer.Customer) (*customer.Insight, error) {
	return &customer.Insight{Billing: customer.BillingSummary{CurrentBalance: f.owed}}, nil
}

// TestInsightsWiring checks that the balance rule and the customer
// details read the analytics feeds by default (the details the figures
// the feed batch stored), the details the record alone with
// DetailsFromRecord, and that an embedder's sources win when given, over
// the stored figures too: the feed holds an open invoice of 59.99.
func TestInsightsWiring(t *testing.T) {
	own := fixedInsights{owed: 1}
	tests := []struct {
		name        string
		opts        app.Options
		wantBalance crm.Money
		wantHeld    bool // reactivating without override is refused
	}{
		{"the feeds", app.Options{}, 5999, true},
		// The details show what the record knows (no balance), while the
		// rule reads the feeds.
		{"the record, and the feeds' balance rule", app.Options{DetailsFromRecord: true}, 0, true},
		{"the embedder's", app.Options{Insights: own, Balances: fixedInsights{}}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, err := app.New(memstore.New(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
			c, err := svc.Customers.Create(ctx, customer.Input{Name: "Owner", Email: "owner@example.com", Phone: "+12125550142",
				Type: customer.TypeResidential, BillingAddress: &addr})
			if err != nil {
				t.Fatal(err)
			}
			amount := crm.Money(5999)
			if _, err := svc.Analytics.IngestInvoices(ctx, c.ID, []analytics.InvoiceInput{{InvoiceID: "INV-1",
				IssuedAt: crm.DateOf(c.CreatedAt), DueDate: crm.DateOf(c.CreatedAt), Amount: &amount}}); err != nil {
				t.Fatal(err)
			}
			d, err := svc.Customers.Details(ctx, c.ID, customer.DetailOptions{Billing: true})
			if err != nil {
				t.Fatal(err)
			}
			if d.Billing.CurrentBalance != tt.wantBalance {
				t.Errorf("current_balance = %v, want %v", d.Billing.CurrentBalance, tt.wantBalance)
			}
			if _, err := svc.Customers.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment}); err != nil {
				t.Fatal(err)
			}
			_, err = svc.Customers.Reactivate(ctx, c.ID, customer.ReactivateInput{})
			if held := crm.ErrorCode(err) == crm.CodeConflict; held != tt.wantHeld || (err != nil && !held) {
				t.Errorf("Reactivate = %v, want held %v", err, tt.wantHeld)
			}
		})
	}
}
