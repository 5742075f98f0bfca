package analytics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// ingestBilling feeds the fixture's customer invoices and payments whose
// figures are computed by hand in TestBillingSummary.
func ingestBilling(t *testing.T, f *fixture) {
	t.Helper()
	ctx := t.Context()
	invoice := func(id string, status analytics.InvoiceStatus, amount crm.Money) analytics.InvoiceInput {
		return analytics.InvoiceInput{InvoiceID: id, IssuedAt: date(2025, time.November, 1), DueDate: date(2025, time.November, 15),
			Amount: &amount, Status: status}
	}
	if _, err := f.svc.IngestInvoices(ctx, f.c.ID, []analytics.InvoiceInput{
		invoice("INV-1", analytics.InvoiceOpen, 10000),
		invoice("INV-2", analytics.InvoicePaid, 4999),
		invoice("INV-3", analytics.InvoiceVoid, 2000),
	}); err != nil {
		t.Fatal(err)
	}
	est := time.FixedZone("EST", -5*3600)
	payment := func(id string, status analytics.PaymentStatus, amount crm.Money, invoiceID string, at time.Time,
		method analytics.PaymentMethod, autopay bool) analytics.PaymentInput {
		return analytics.PaymentInput{TransactionID: id, Amount: amount, PaidAt: at, PaymentMethod: method, Autopay: autopay,
			Status: status, InvoiceID: invoiceID}
	}
	if _, err := f.svc.IngestPayments(ctx, f.c.ID, []analytics.PaymentInput{
		payment("TX-1", analytics.PaymentSucceeded, 4999, "INV-2", time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC), analytics.MethodBankTransfer, false),
		payment("TX-2", analytics.PaymentSucceeded, 3000, "INV-1", time.Date(2025, 12, 15, 23, 30, 0, 0, est), analytics.MethodCreditCard, true),
		payment("TX-3", analytics.PaymentFailed, 10000, "INV-1", time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), analytics.MethodDebitCard, true),
		payment("TX-4", analytics.PaymentRefunded, 500, "", time.Date(2025, 12, 21, 9, 0, 0, 0, time.UTC), analytics.MethodCash, false),
	}); err != nil {
		t.Fatal(err)
	}
}

// TestInsightBilling checks the billing summary and the balance on both
// stores, computed now and as stored with the profile each batch
// refreshes. By hand: the open INV-1 (100.00) minus TX-2 (30.00, paying
// it in part) plus the refund TX-4 (5.00, naming no invoice) is 75.00;
// TX-1 pays the paid INV-2 and TX-3 failed, so neither counts. The last
// succeeded payment is TX-2, at 23:30 EST on 15 December: the 16th in
// UTC. The method and auto-pay are the failed TX-3's, the latest payment
// that is not a refund.
func TestInsightBilling(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		got := insightOf(t, f, f.c)
		if diff := cmp.Diff(customer.BillingSummary{}, got.Billing); diff != "" {
			t.Errorf("summary without feeds (-want +got):\n%s", diff)
		}

		ingestBilling(t, f)
		got = insightOf(t, f, f.c)
		want := customer.BillingSummary{CurrentBalance: 7500, LastPaymentDate: ptr(date(2025, time.December, 16)),
			LastPaymentAmount: ptr(crm.Money(3000)), PaymentMethod: ptr("debit_card"), AutoPayEnabled: true}
		if diff := cmp.Diff(want, got.Billing); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}
		balance, err := f.svc.Balance(ctx, f.c.ID)
		if err != nil || balance != 7500 {
			t.Errorf("Balance = %v, %v; want 75.00", balance, err)
		}

		// Billing marks INV-1 paid: TX-2 now pays a settled invoice, and
		// the refund is owed.
		if _, err := f.svc.IngestInvoices(ctx, f.c.ID, []analytics.InvoiceInput{{InvoiceID: "INV-1",
			IssuedAt: date(2025, time.November, 1), DueDate: date(2025, time.November, 15), Amount: ptr(crm.Money(10000)),
			Status: analytics.InvoicePaid}}); err != nil {
			t.Fatal(err)
		}
		if balance, err := f.svc.Balance(ctx, f.c.ID); err != nil || balance != 500 {
			t.Errorf("Balance after INV-1 is paid = %v, %v; want 5.00", balance, err)
		}
		if got := insightOf(t, f, f.c); got.Billing.CurrentBalance != 500 {
			t.Errorf("current_balance after INV-1 is paid = %v, want 5.00", got.Billing.CurrentBalance)
		}
	})
}

// insightOf returns the customer's Insight computed now, after checking
// that the one stored with its profile (which every feed batch refreshes)
// is the same, when there is a profile.
func insightOf(t *testing.T, f *fixture, c *customer.Customer) *customer.Insight {
	t.Helper()
	got, err := f.svc.Insight(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.st.GetProfile(t.Context(), c.ID)
	switch {
	case crm.ErrorCode(err) == crm.CodeNotFound:
	case err != nil:
		t.Fatal(err)
	default:
		if diff := cmp.Diff(got, p.Insight); diff != "" {
			t.Errorf("stored insight (-computed now +stored):\n%s", diff)
		}
	}
	return got
}

// TestInsightMetrics checks the account metrics on both stores: the
// customer since its earliest service, the lifetime value of the billing
// fixture (49.99 + 30.00 - 5.00), the satisfaction of the tickets opened
// in the 12 months before the clock, the one opened exactly 12 months
// before included and the one a microsecond earlier not: (5 + 4 + 4) / 3
// = 4.33, shown as 4.3; and the churn score, 30 by the fixture's flat
// model. The recurring revenue is the details' own.
func TestInsightMetrics(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		ingestBilling(t, f)
		since := now.AddDate(-1, 0, 0)
		ticket := func(id string, opened time.Time, rating *int) analytics.TicketInput {
			return analytics.TicketInput{TicketID: id, OpenedAt: opened, Satisfaction: rating}
		}
		if _, err := f.svc.IngestTickets(ctx, f.c.ID, []analytics.TicketInput{
			ticket("T-1", since.Add(-time.Microsecond), ptr(1)),
			ticket("T-2", since, ptr(5)),
			ticket("T-3", date(2025, time.June, 1).Time(), ptr(4)),
			ticket("T-4", date(2025, time.July, 1).Time(), ptr(4)),
			ticket("T-5", date(2025, time.August, 1).Time(), nil),
		}); err != nil {
			t.Fatal(err)
		}
		got := insightOf(t, f, f.c)
		want := customer.AccountMetrics{CustomerSince: date(2024, time.March, 1), LifetimeValue: 7499,
			ChurnRiskScore: ptr(30.0), SatisfactionScore: ptr(4.3), SupportTicketsCount: 5}
		if diff := cmp.Diff(want, got.Metrics); diff != "" {
			t.Errorf("metrics (-want +got):\n%s", diff)
		}
		if !got.ComputedAt.Equal(now) {
			t.Errorf("computed at %v, want %v", got.ComputedAt, now)
		}

		// A customer without services, payments or tickets: no start (the
		// details show its creation), nothing earned, scored all the same.
		other, err := f.customers.Create(ctx, customer.Input{Name: "Other", Email: "other@example.com", Phone: "+12125550143",
			Type: customer.TypeResidential, BillingAddress: &f.c.BillingAddress})
		if err != nil {
			t.Fatal(err)
		}
		got = insightOf(t, f, other)
		if diff := cmp.Diff(customer.AccountMetrics{ChurnRiskScore: ptr(30.0)}, got.Metrics); diff != "" {
			t.Errorf("metrics of a new customer (-want +got):\n%s", diff)
		}
		if _, err := f.svc.Insight(ctx, &customer.Customer{ID: "01a22ac7-fd3a-7f09-813e-1929e973a155"}); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("Insight of an unknown customer: %v, want not_found", err)
		}
	})
}

// TestSupportTickets checks on both stores that the details show the
// newest MaxDetailTickets tickets, newest first, mapped field by field.
func TestSupportTickets(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		got, err := f.svc.SupportTickets(ctx, f.c)
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("tickets without a feed = %#v, %v; want an empty slice", got, err)
		}
		opened := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
		var in []analytics.TicketInput
		var want []customer.SupportTicket
		for i := range analytics.MaxDetailTickets + 1 {
			v := analytics.TicketInput{TicketID: fmt.Sprintf("T-%02d", i), Subject: fmt.Sprintf("Ticket %d", i),
				Priority: analytics.PriorityUrgent, Status: analytics.TicketPending, OpenedAt: opened.Add(time.Duration(i) * time.Hour)}
			in = append(in, v)
			if i > 0 { // the oldest is left out
				want = append([]customer.SupportTicket{{ID: v.TicketID, Subject: v.Subject, Status: "pending",
					Priority: "urgent", CreatedAt: v.OpenedAt}}, want...)
			}
		}
		if _, err := f.svc.IngestTickets(ctx, f.c.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err = f.svc.SupportTickets(ctx, f.c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tickets (-want +got):\n%s", diff)
		}
	})
}
