package storetest

import (
	"testing"
	"time"

	"github.com/ispstack/crm/analytics"
)

// testPaymentHistoryRecords checks the windowed read of a payment history:
// the invoices due within the dates (both ends included) by due date then
// id, and the payments made at or after the instant or naming one of those
// invoices, newest first; never another customer's.
func testPaymentHistoryRecords(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	since := at(0)
	invoice := func(customerID, id string, due int) analytics.Invoice {
		v := invoiceFeed.new(customerID, 0)
		v.InvoiceID, v.IssuedAt, v.DueDate = id, day(0), day(due)
		return v
	}
	payment := func(customerID, id string, d time.Duration, invoiceID string) analytics.Payment {
		v := paymentFeed.new(customerID, 0)
		v.TransactionID, v.PaidAt, v.InvoiceID = id, at(d), invoiceID
		return v
	}
	ofA := []analytics.Invoice{invoice(a.ID, "I-EARLY", 19), invoice(a.ID, "I-A", 30), invoice(a.ID, "I-M", 25),
		invoice(a.ID, "I-X", 20), invoice(a.ID, "I-LATE", 31), invoice(a.ID, "I-N", 25)}
	payA := []analytics.Payment{
		payment(a.ID, "P-OLD-MID", -48*time.Hour, "I-M"),
		payment(a.ID, "P-OLD-FROM", -24*time.Hour, "I-X"),
		payment(a.ID, "P-OLD-TO", -72*time.Hour, "I-A"),
		payment(a.ID, "P-OLD-EARLY", -time.Hour, "I-EARLY"),
		payment(a.ID, "P-OLD-LATE", -time.Hour, "I-LATE"),
		payment(a.ID, "P-OLD", -time.Hour, ""),
		payment(a.ID, "P-JUST-BEFORE", -time.Microsecond, ""),
		payment(a.ID, "P-SINCE", 0, ""),
		payment(a.ID, "P-NEW", time.Hour, "I-EARLY"),
	}
	_, err := s.UpsertInvoices(ctx, a.ID, ofA)
	ok(t, "UpsertInvoices A", err)
	_, err = s.UpsertPayments(ctx, a.ID, payA)
	ok(t, "UpsertPayments A", err)
	// B's I-EARLY is due within the dates, but A's is not.
	_, err = s.UpsertInvoices(ctx, b.ID, []analytics.Invoice{invoice(b.ID, "I-M", 25), invoice(b.ID, "I-B", 25),
		invoice(b.ID, "I-EARLY", 25)})
	ok(t, "UpsertInvoices B", err)
	_, err = s.UpsertPayments(ctx, b.ID, []analytics.Payment{payment(b.ID, "P-B-NEW", time.Hour, ""),
		payment(b.ID, "P-B-OLD", -time.Hour, "I-B")})
	ok(t, "UpsertPayments B", err)

	invoices, payments, err := s.PaymentHistoryRecords(ctx, a.ID, since, day(20), day(30))
	ok(t, "PaymentHistoryRecords", err)
	check(t, "invoices", []analytics.Invoice{ofA[3], ofA[2], ofA[5], ofA[1]}, invoices)
	check(t, "payments", []analytics.Payment{payA[8], payA[7], payA[1], payA[0], payA[2]}, payments)

	invoices, payments, err = s.PaymentHistoryRecords(ctx, "0190a7e2-0000-7000-8000-00000000dead", since, day(20), day(30))
	ok(t, "PaymentHistoryRecords of no customer", err)
	check(t, "invoices of no customer", []analytics.Invoice{}, invoices)
	check(t, "payments of no customer", []analytics.Payment{}, payments)
}
