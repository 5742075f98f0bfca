package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/store"
)

// figureTests are the conformance cases of the billing figures of the
// Facts (the balance and the last payment of the customer details) on
// records of every kind, and of the tickets the details embed.
var figureTests = []test{
	{"BillingFacts", testBillingFacts},
	{"LatestTickets", testLatestTickets},
	{"NoTickets", testNoTickets},
}

// invoiceOf returns an invoice of the customer with the status and amount.
func invoiceOf(customerID, id string, status analytics.InvoiceStatus, amount crm.Money) analytics.Invoice {
	return analytics.Invoice{CustomerID: customerID, InvoiceID: id, IssuedAt: day(0), DueDate: day(14), Amount: amount,
		Status: status, Delivery: analytics.DeliveryEmail, CreatedAt: base, UpdatedAt: base}
}

// paymentOf returns a payment of the customer, made at base+d.
func paymentOf(customerID, id string, status analytics.PaymentStatus, amount crm.Money, invoiceID string, d time.Duration) analytics.Payment {
	return analytics.Payment{CustomerID: customerID, TransactionID: id, Amount: amount, PaidAt: at(d),
		PaymentMethod: analytics.MethodBankTransfer, Status: status, InvoiceID: invoiceID, CreatedAt: base, UpdatedAt: base}
}

// billingFixture stores, for customer a, invoices and payments of every
// kind, and for customer b invoices whose ids a's payments name with
// other statuses, so a store that does not keep the customers apart
// computes other figures. By hand, for a: the open invoices are 10000 +
// 5000; the payments that count are P1 (3000, naming the open I1), P3
// (1000, naming none), P4 (500, naming an invoice a does not have) and the
// refund P5 (400, naming none); P2 and P9 name the paid I3 and the void
// I4, the refund P6 names I3, P7 failed and P8 is pending. So the balance
// is 15000 - 3000 - 1000 - 500 + 400 = 10900; the latest succeeded payment
// is P9 (tied with P4 at 4h, later by id), 700; the latest payment that is
// not a refund is the failed P7 (credit card, autopay), since the refund P6
// is later; and the lifetime value is 3000 + 8000 + 1000 + 500 + 700 - 400
// - 8000 = 4800.
func billingFixture(t *testing.T, s store.Store, a, b string) {
	t.Helper()
	ctx := t.Context()
	_, err := s.UpsertInvoices(ctx, a, []analytics.Invoice{
		invoiceOf(a, "I1", analytics.InvoiceOpen, 10000),
		invoiceOf(a, "I2", analytics.InvoiceOpen, 5000),
		invoiceOf(a, "I3", analytics.InvoicePaid, 8000),
		invoiceOf(a, "I4", analytics.InvoiceVoid, 3000),
		invoiceOf(a, "I5", analytics.InvoiceUncollectible, 2000),
	})
	ok(t, "UpsertInvoices A", err)
	_, err = s.UpsertInvoices(ctx, b, []analytics.Invoice{
		invoiceOf(b, "I1", analytics.InvoicePaid, 1),
		invoiceOf(b, "I3", analytics.InvoiceOpen, 99999),
		invoiceOf(b, "I-ELSEWHERE", analytics.InvoicePaid, 1),
	})
	ok(t, "UpsertInvoices B", err)
	p7 := paymentOf(a, "P7", analytics.PaymentFailed, 5000, "I2", 7*time.Hour)
	p7.PaymentMethod, p7.Autopay = analytics.MethodCreditCard, true
	p6 := paymentOf(a, "P6", analytics.PaymentRefunded, 8000, "I3", 8*time.Hour)
	p6.PaymentMethod = analytics.MethodCash
	_, err = s.UpsertPayments(ctx, a, []analytics.Payment{
		paymentOf(a, "P1", analytics.PaymentSucceeded, 3000, "I1", time.Hour),
		paymentOf(a, "P2", analytics.PaymentSucceeded, 8000, "I3", 2*time.Hour),
		paymentOf(a, "P3", analytics.PaymentSucceeded, 1000, "", 3*time.Hour),
		paymentOf(a, "P4", analytics.PaymentSucceeded, 500, "I-ELSEWHERE", 4*time.Hour),
		paymentOf(a, "P9", analytics.PaymentSucceeded, 700, "I4", 4*time.Hour),
		paymentOf(a, "P5", analytics.PaymentRefunded, 400, "", 5*time.Hour),
		paymentOf(a, "P8", analytics.PaymentPending, 2500, "I2", 6*time.Hour),
		p7, p6,
	})
	ok(t, "UpsertPayments A", err)
	_, err = s.UpsertPayments(ctx, b, []analytics.Payment{paymentOf(b, "P1", analytics.PaymentSucceeded, 123, "", 9*time.Hour)})
	ok(t, "UpsertPayments B", err)
}

// testBillingFacts checks the billing figures of the Facts of
// billingFixture, read after its last payment, and inside a transaction
// too.
func testBillingFacts(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	billingFixture(t, s, a.ID, b.ID)
	type figures struct {
		Balance, LastPaidAmount, LifetimeValue crm.Money
		LastPaidAt                             *time.Time
		Method                                 analytics.PaymentMethod
		Autopay                                bool
	}
	want := []figures{
		{Balance: 10900, LastPaidAt: ptr(at(4 * time.Hour)), LastPaidAmount: 700, LifetimeValue: 4800,
			Method: analytics.MethodCreditCard, Autopay: true},
		{Balance: 99999 - 123, LastPaidAt: ptr(at(9 * time.Hour)), LastPaidAmount: 123, LifetimeValue: 123,
			Method: analytics.MethodBankTransfer},
	}
	read := func(ctx context.Context, s store.Store) []figures {
		fs, err := s.CustomerFacts(ctx, []string{a.ID, b.ID}, at(10*time.Hour))
		ok(t, "CustomerFacts", err)
		out := make([]figures, len(fs))
		for i, f := range fs {
			out[i] = figures{Balance: f.Balance, LastPaidAt: f.LastPaidAt, LastPaidAmount: f.LastPaidAmount,
				LifetimeValue: f.HistoricalRevenue, Method: f.LatestMethod, Autopay: f.LatestAutopay}
		}
		return out
	}
	check(t, "billing figures", want, read(t.Context(), s))
	err := s.RunInTx(t.Context(), func(ctx context.Context, s store.Store) error {
		check(t, "billing figures in a transaction", want, read(ctx, s))
		return nil
	})
	ok(t, "RunInTx", err)
}

// testLatestTickets checks the bound and the newest-first order, ties on
// opened_at broken by ticket id descending.
func testLatestTickets(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	var all []analytics.Ticket
	for i := range 5 {
		v := ticketFeed.new(c.ID, i)
		v.OpenedAt = at(time.Duration(i/2) * time.Hour) // pairs opened together: ties broken by id
		all = append(all, v)
	}
	_, err := s.UpsertTickets(ctx, c.ID, all)
	ok(t, "UpsertTickets", err)
	want := ticketFeed.sorted(all)
	for _, limit := range []int{0, 1, 3, 5, 6} {
		got, err := s.LatestTickets(ctx, c.ID, limit)
		ok(t, "LatestTickets", err)
		n := len(want)
		if limit > 0 && limit < n {
			n = limit
		}
		check(t, fmt.Sprintf("LatestTickets(%d)", limit), want[:n], got)
	}
}

// testNoTickets checks that a customer without tickets has none to show.
func testNoTickets(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ts, err := s.LatestTickets(t.Context(), c.ID, 50)
	ok(t, "LatestTickets", err)
	check(t, "tickets", []analytics.Ticket{}, ts)
}
