package memstore

import (
	"context"
	"time"

	"github.com/ispstack/crm/analytics"
)

// LatestTickets returns copies of up to limit of the customer's tickets,
// newest first.
func (s *Store) LatestTickets(ctx context.Context, customerID string, limit int) ([]analytics.Ticket, error) {
	all, err := s.ListTickets(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return all[:limitOf(limit, len(all))], nil
}

// BillingFigures sums up the customer's invoices and payments as
// analytics.BillingFigures documents.
func (s *Store) BillingFigures(ctx context.Context, customerID string) (*analytics.BillingFigures, error) {
	f := &analytics.BillingFigures{}
	err := s.read(ctx, func(db *database) error {
		invoices := db.invoices.rows[customerID]
		for _, v := range invoices {
			if v.Status == analytics.InvoiceOpen {
				f.Balance += v.Amount
			}
		}
		var last, lastAttempt *analytics.Payment
		for _, p := range db.payments.rows[customerID] {
			inv, named := invoices[p.InvoiceID]
			unapplied := !named || inv.Status == analytics.InvoiceOpen
			switch p.Status {
			case analytics.PaymentSucceeded:
				if unapplied {
					f.Balance -= p.Amount
				}
				if later(p, last) {
					last = p
				}
			case analytics.PaymentRefunded:
				if unapplied {
					f.Balance += p.Amount
				}
				continue
			}
			if later(p, lastAttempt) {
				lastAttempt = p
			}
		}
		if last != nil {
			t := normTime(last.PaidAt)
			f.LastPaidAt, f.LastPaidAmount = &t, last.Amount
		}
		if lastAttempt != nil {
			f.Method, f.Autopay = lastAttempt.PaymentMethod, lastAttempt.Autopay
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// later reports whether p comes after q (nil: none) in the order of
// payments, by PaidAt then TransactionID.
func later(p, q *analytics.Payment) bool {
	if q == nil {
		return true
	}
	if c := p.PaidAt.Compare(q.PaidAt); c != 0 {
		return c > 0
	}
	return p.TransactionID > q.TransactionID
}

// AccountFigures sums up the customer's services, payments and tickets as
// analytics.AccountFigures documents.
func (s *Store) AccountFigures(ctx context.Context, customerID string, ratedSince time.Time) (*analytics.AccountFigures, error) {
	f := &analytics.AccountFigures{}
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.subscriptions.of(customerID) {
			if f.FirstServiceStart == nil || v.StartDate.Before(*f.FirstServiceStart) {
				d := v.StartDate
				f.FirstServiceStart = &d
			}
		}
		for _, p := range db.payments.rows[customerID] {
			switch p.Status {
			case analytics.PaymentSucceeded:
				f.LifetimeValue += p.Amount
			case analytics.PaymentRefunded:
				f.LifetimeValue -= p.Amount
			}
		}
		for _, t := range db.tickets.rows[customerID] {
			f.Tickets++
			if t.Satisfaction != nil && !t.OpenedAt.Before(ratedSince) {
				f.Rated++
				f.RatingSum += *t.Satisfaction
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}
