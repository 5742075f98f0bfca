package memstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// CustomerIDs returns the ids of up to limit (all when limit <= 0)
// customers, the deleted ones only when closed, by id, strictly after
// afterID.
func (s *Store) CustomerIDs(ctx context.Context, afterID string, limit int, closed bool) ([]string, error) {
	var ids []string
	err := s.read(ctx, func(db *database) error {
		for id, c := range db.customers {
			if (closed || c.DeletedAt == nil) && id > afterID {
				ids = append(ids, id)
			}
		}
		return nil
	})
	slices.Sort(ids)
	return ids[:limitOf(limit, len(ids))], err
}

// CustomerFacts gathers the analytics.Facts of the customers among ids,
// deleted ones included, as of asOf, in the order of ids, as
// analytics.Facts documents each figure.
func (s *Store) CustomerFacts(ctx context.Context, ids []string, asOf time.Time) ([]analytics.Facts, error) {
	w := analytics.WindowsOf(asOf)
	var out []analytics.Facts
	err := s.read(ctx, func(db *database) error {
		for _, id := range ids {
			c, ok := db.customers[id]
			if !ok {
				continue
			}
			out = append(out, factsOf(db, c, &w))
		}
		return nil
	})
	return out, err
}

// factsOf gathers one customer's facts within w.
func factsOf(db *database, c *customer.Customer, w *analytics.FactsWindows) analytics.Facts {
	f := analytics.Facts{CustomerID: c.ID, Status: c.Status, Services: []analytics.ServiceFact{}}
	for _, v := range db.subscriptions.of(c.ID) {
		if !w.Day.Before(v.StartDate) {
			f.Services = append(f.Services, analytics.ServiceFactOf(v))
		}
	}
	slices.SortFunc(f.Services, func(a, b analytics.ServiceFact) int { return strings.Compare(a.ID, b.ID) })

	invoices := db.invoices.rows[c.ID]
	var lastInvoice *analytics.Invoice
	for _, v := range invoices {
		if w.Day.Before(v.IssuedAt) {
			continue
		}
		if v.Status == analytics.InvoiceOpen {
			f.Balance += v.Amount
		}
		if lastInvoice == nil || lastInvoice.IssuedAt.Before(v.IssuedAt) ||
			(lastInvoice.IssuedAt == v.IssuedAt && v.InvoiceID > lastInvoice.InvoiceID) {
			lastInvoice = v
		}
	}
	if lastInvoice != nil {
		f.LatestDelivery = lastInvoice.Delivery
	}

	var lastPaid, lastAttempt *analytics.Payment
	for _, p := range db.payments.rows[c.ID] {
		paid := normTime(p.PaidAt)
		if paid.After(w.AsOf) {
			continue
		}
		inWindow := !paid.Before(w.Since)
		// A payment naming a settled invoice of the customer is reflected
		// by the invoice's status; any other is not applied yet.
		inv, named := invoices[p.InvoiceID]
		unapplied := !named || inv.Status == analytics.InvoiceOpen
		switch p.Status {
		case analytics.PaymentRefunded:
			f.HistoricalRevenue -= p.Amount
			if unapplied {
				f.Balance += p.Amount
			}
			continue
		case analytics.PaymentSucceeded:
			f.HistoricalRevenue += p.Amount
			if unapplied {
				f.Balance -= p.Amount
			}
			if later(p, lastPaid) {
				lastPaid = p
			}
			if inv, ok := invoices[p.InvoiceID]; ok && inWindow && !paid.Before(inv.DueDate.Time().AddDate(0, 0, 1)) {
				f.LatePayments++
			}
		case analytics.PaymentFailed:
			if inWindow {
				f.FailedPayments++
			}
		}
		if later(p, lastAttempt) {
			lastAttempt = p
		}
	}
	if lastPaid != nil {
		t := normTime(lastPaid.PaidAt)
		f.LastPaidAt, f.LastPaidAmount = &t, lastPaid.Amount
	}
	if lastAttempt != nil {
		f.LatestMethod, f.LatestAutopay = lastAttempt.PaymentMethod, lastAttempt.Autopay
	}

	for _, t := range db.tickets.rows[c.ID] {
		opened := normTime(t.OpenedAt)
		if opened.After(w.AsOf) {
			continue
		}
		f.Tickets++
		if !opened.Before(w.TicketsSince) {
			f.RecentTickets++
		}
		if t.ResolvedAt != nil {
			if normTime(*t.ResolvedAt).After(w.AsOf) {
				f.OpenTickets++
			}
		} else if t.Status == analytics.TicketOpen || t.Status == analytics.TicketPending {
			f.OpenTickets++
		}
		if t.Satisfaction != nil && !opened.Before(w.Since) {
			f.Rated++
			f.RatingSum += *t.Satisfaction
		}
	}

	for _, sc := range db.statusChanges.of(c.ID) {
		at := normTime(sc.At)
		if sc.To == customer.StatusSuspended && !at.Before(w.Since) && !at.After(w.AsOf) {
			f.Suspensions++
		}
	}

	for _, u := range db.usage.rows[c.ID] {
		bytes := u.DownloadBytes + u.UploadBytes
		switch {
		case w.Day.Before(u.Date), u.Date.Before(w.PriorFrom):
		case u.Date.Before(w.RecentFrom):
			f.UsagePrior += bytes
		default:
			f.UsageRecent += bytes
		}
	}
	return f
}
