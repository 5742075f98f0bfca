package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
)

// BenchmarkDetailsPostgres times the read behind GET /customers/{id}
// with its default includes (services, billing summary, account
// metrics) on Postgres, one call at a time, for a customer with two
// services, two years of monthly invoices and payments, and a dozen
// tickets: "stored" reads the figures stored with its profile (the
// default), "computed" computes them from the feeds on every read (what
// a never-profiled customer costs), "record" shows the record alone
// (DetailsFromRecord).
func BenchmarkDetailsPostgres(b *testing.B) {
	st := teststore.Postgres(b)
	feeds, err := app.New(st, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	id := loadDetailsBench(b, feeds)
	for _, tc := range []struct {
		name string
		opts app.Options
	}{
		{"stored", app.Options{}},
		{"computed", app.Options{Insights: feeds.Analytics}},
		{"record", app.Options{DetailsFromRecord: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			svc, err := app.New(st, tc.opts)
			if err != nil {
				b.Fatal(err)
			}
			opts := customer.DetailOptions{Subscriptions: true, Billing: true, Metrics: true}
			ctx := context.Background()
			for b.Loop() {
				d, err := svc.Customers.Details(ctx, id, opts)
				if err != nil || len(d.Subscriptions) != 2 {
					b.Fatalf("Details: %v, %+v", err, d)
				}
			}
		})
	}
}

// loadDetailsBench creates the benchmark's customer and feeds its
// records through the analytics, which store its profile; it returns its
// id.
func loadDetailsBench(b *testing.B, svc *app.Services) string {
	b.Helper()
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "bench"})
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := svc.Customers.Create(ctx, customer.Input{Name: "Bench", Email: "bench@example.com", Phone: "+12175550100",
		Type: customer.TypeResidential, BillingAddress: &addr})
	if err != nil {
		b.Fatal(err)
	}
	for _, price := range []crm.Money{4999, 1999} {
		if _, err := svc.Customers.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Plan", Technology: customer.TechFiber,
			MonthlyPrice: &price, StartDate: &crm.Date{Year: 2023, Month: time.January, Day: 1}}); err != nil {
			b.Fatal(err)
		}
	}
	var invoices []analytics.InvoiceInput
	var payments []analytics.PaymentInput
	var tickets []analytics.TicketInput
	for m := range 24 {
		issued := crm.DateOf(time.Date(2023, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC))
		amount := crm.Money(6998)
		status := analytics.InvoicePaid
		if m == 23 {
			status = analytics.InvoiceOpen
		}
		invoices = append(invoices, analytics.InvoiceInput{InvoiceID: fmt.Sprintf("INV-%02d", m), IssuedAt: issued,
			DueDate: crm.DateOf(issued.Time().AddDate(0, 0, 14)), Amount: &amount, Status: status})
		payments = append(payments, analytics.PaymentInput{TransactionID: fmt.Sprintf("TX-%02d", m), Amount: amount,
			PaidAt: issued.Time().AddDate(0, 0, 10), PaymentMethod: analytics.MethodCreditCard, Autopay: true,
			InvoiceID: fmt.Sprintf("INV-%02d", m)})
		if m%2 == 0 {
			rating := 1 + m%5
			tickets = append(tickets, analytics.TicketInput{TicketID: fmt.Sprintf("T-%02d", m), Subject: "Slow",
				OpenedAt: issued.Time().Add(time.Hour), Satisfaction: &rating})
		}
	}
	if _, err := svc.Analytics.IngestInvoices(ctx, c.ID, invoices); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Analytics.IngestPayments(ctx, c.ID, payments); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Analytics.IngestTickets(ctx, c.ID, tickets); err != nil {
		b.Fatal(err)
	}
	return c.ID
}
