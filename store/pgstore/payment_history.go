package pgstore

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// The reads of a payment history. The payments read uses payments_paid_idx
// for the window and the customer's rows for the invoices it names.
const (
	historyInvoicesSQL = `SELECT ` + invoiceColumns + ` FROM invoices WHERE customer_id = $1
		AND due_date BETWEEN $2::date AND $3::date ORDER BY due_date, invoice_id`
	historyPaymentsSQL = `SELECT ` + paymentColumns + ` FROM payments WHERE customer_id = $1
		AND (paid_at >= $2 OR invoice_id IN (SELECT invoice_id FROM invoices WHERE customer_id = $1
			AND due_date BETWEEN $3::date AND $4::date))
		ORDER BY paid_at DESC, transaction_id DESC`
)

// PaymentHistoryRecords returns the customer's invoices due from dueFrom to
// dueTo, by due date then id, and its payments made at or after since or
// naming one of those invoices, newest first.
func (s *Store) PaymentHistoryRecords(ctx context.Context, customerID string, since time.Time, dueFrom, dueTo crm.Date) ([]analytics.Invoice, []analytics.Payment, error) {
	invoices, err := listRecords[analytics.Invoice, invoiceRow](ctx, s, "read history invoices", historyInvoicesSQL,
		customerID, dueFrom.Time(), dueTo.Time())
	if err != nil {
		return nil, nil, err
	}
	payments, err := listRecords[analytics.Payment, paymentRow](ctx, s, "read history payments", historyPaymentsSQL,
		customerID, since, dueFrom.Time(), dueTo.Time())
	if err != nil {
		return nil, nil, err
	}
	return invoices, payments, nil
}
