package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// PaymentHistoryRecords returns copies of the customer's invoices due from
// dueFrom to dueTo, by due date then id, and of its payments made at or
// after since or naming one of those invoices, newest first.
func (s *Store) PaymentHistoryRecords(ctx context.Context, customerID string, since time.Time, dueFrom, dueTo crm.Date) ([]analytics.Invoice, []analytics.Payment, error) {
	invoices, err := s.db.invoices.list(ctx, s, customerID, func(a, b *analytics.Invoice) int {
		return cmp.Or(a.DueDate.Time().Compare(b.DueDate.Time()), cmp.Compare(a.InvoiceID, b.InvoiceID))
	})
	if err != nil {
		return nil, nil, err
	}
	invoices = slices.DeleteFunc(invoices, func(v analytics.Invoice) bool {
		return v.DueDate.Time().Before(dueFrom.Time()) || v.DueDate.Time().After(dueTo.Time())
	})
	due := make(map[string]bool, len(invoices))
	for _, v := range invoices {
		due[v.InvoiceID] = true
	}
	payments, err := s.ListPayments(ctx, customerID)
	if err != nil {
		return nil, nil, err
	}
	payments = slices.DeleteFunc(payments, func(p analytics.Payment) bool { return p.PaidAt.Before(since) && !due[p.InvoiceID] })
	return invoices, payments, nil
}
