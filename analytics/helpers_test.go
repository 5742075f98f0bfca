package analytics_test

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/churntest"
	"github.com/ispstack/crm/store"
)

// now is the services' fixed clock.
var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is an analytics service over a store that holds one customer
// with one service.
type fixture struct {
	svc       *analytics.Service
	st        store.Store
	customers *customer.Service
	c         *customer.Customer
	sub       *customer.Subscription
}

// newFixture returns a fixture over st.
func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	ctx := t.Context()
	clock := func() time.Time { return now }
	customers := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: clock})
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := customers.Create(ctx, customer.Input{Name: "Owner", Email: "owner@example.com", Phone: "+12125550142",
		Type: customer.TypeResidential, BillingAddress: &addr})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := customers.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Fiber 500", Technology: customer.TechFiber,
		MonthlyPrice: ptr(crm.Money(4999)), StartDate: ptr(crm.Date{Year: 2024, Month: time.March, Day: 1})})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Now: clock, Model: churntest.Flat(0.3)}),
		st, customers, c, sub}
}

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d int) crm.Date { return crm.Date{Year: y, Month: m, Day: d} }

// validInvoice is a valid invoice with every field set.
func validInvoice(id string) analytics.InvoiceInput {
	return analytics.InvoiceInput{InvoiceID: id, IssuedAt: date(2024, time.March, 1), DueDate: date(2024, time.March, 15),
		Amount: ptr(crm.Money(4999)), Status: analytics.InvoicePaid, Delivery: analytics.DeliveryPostal,
		PeriodStart: ptr(date(2024, time.March, 1)), PeriodEnd: ptr(date(2024, time.March, 31))}
}

// validPayment is a valid payment with every field set.
func validPayment(id string) analytics.PaymentInput {
	return analytics.PaymentInput{TransactionID: id, Amount: 4999, PaidAt: time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC),
		PaymentMethod: analytics.MethodCreditCard, Autopay: true, Status: analytics.PaymentSucceeded,
		InvoiceID: "INV-1", FailureReason: "", Notes: "first payment"}
}

// validUsage is a valid usage record of the service.
func validUsage(serviceID string, d crm.Date) analytics.UsageInput {
	return analytics.UsageInput{ServiceID: serviceID, Date: d, DownloadBytes: ptr(int64(5_000_000_000)), UploadBytes: ptr(int64(0))}
}

// validTicket is a valid ticket with every field set.
func validTicket(id string) analytics.TicketInput {
	opened := time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC)
	return analytics.TicketInput{TicketID: id, Subject: "No sync light", Category: analytics.CategoryTechnical,
		Priority: analytics.PriorityHigh, Status: analytics.TicketResolved, OpenedAt: opened,
		ResolvedAt: ptr(opened.Add(2 * time.Hour)), Satisfaction: ptr(5)}
}
