package customer

import (
	"context"

	"github.com/ispstack/crm"
)

// DetailOptions says which related data Details loads.
type DetailOptions struct {
	Subscriptions bool
	Billing       bool
	Metrics       bool
	Tickets       bool
}

// maxDetailSubscriptions bounds the services embedded in a customer's details;
// the services endpoint pages through all of them.
const maxDetailSubscriptions = 100

// Details is a customer with the related data a support agent needs on one
// screen. A nil field was not requested.
type Details struct {
	Customer      *Customer
	Subscriptions []Subscription
	// SubscriptionsTruncated is set when the customer has more services than
	// embedded.
	SubscriptionsTruncated bool
	Billing                *BillingSummary
	Metrics                *AccountMetrics
	Tickets                []SupportTicket
}

// Details returns the customer and the related data opts asks for. Errors:
// not_found.
func (s *Service) Details(ctx context.Context, id string, opts DetailOptions) (*Details, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("customer")
	}
	// The customer, its services and its stored Insight come in one read:
	// this is the hot path of the API (GET /customers/{id}).
	var (
		c      *Customer
		subs   []Subscription
		stored *Insight
		err    error
	)
	if opts.Subscriptions || opts.Billing || opts.Metrics {
		c, subs, stored, err = s.repo.GetCustomerDetails(ctx, id, maxDetailSubscriptions+1)
	} else {
		c, err = s.repo.GetCustomer(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	d := &Details{Customer: c}
	truncated := len(subs) > maxDetailSubscriptions
	if opts.Subscriptions {
		d.Subscriptions, d.SubscriptionsTruncated = subs[:min(len(subs), maxDetailSubscriptions)], truncated
	}
	if opts.Billing || opts.Metrics {
		in := stored
		if in == nil || !s.stored {
			// Never stored (or not to be used): computed now, which costs
			// the read what Insights does.
			if in, err = s.insights.Insight(ctx, c); err != nil {
				return nil, err
			}
		}
		if opts.Billing {
			b := in.Billing
			d.Billing = &b
		}
		if opts.Metrics {
			totals := totalsOf(subs)
			if truncated {
				if totals, err = s.repo.SubscriptionTotals(ctx, id); err != nil {
					return nil, err
				}
			}
			m := in.Metrics
			m.MonthlyRecurringRevenue = totals.MonthlyRecurring
			// The relationship began with the earliest service, or at the
			// customer's own customer_since (its creation, or the date a
			// migration backdated it to) if that is earlier.
			if !c.CustomerSince.IsZero() && (m.CustomerSince.IsZero() || c.CustomerSince.Before(m.CustomerSince)) {
				m.CustomerSince = c.CustomerSince
			}
			d.Metrics = &m
		}
	}
	if opts.Tickets {
		if d.Tickets, err = s.insights.SupportTickets(ctx, c); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// totalsOf sums the active services among subs.
func totalsOf(subs []Subscription) SubscriptionTotals {
	var t SubscriptionTotals
	for _, s := range subs {
		if s.Status == SubscriptionActive {
			t.Active++
			t.MonthlyRecurring += s.MonthlyPrice
		}
	}
	return t
}

// Audit returns a page of the customer's audit trail, newest first; it stays
// readable after the customer is deleted. cursor is the NextCursor of the
// previous page. Errors: not_found (no such customer ever), invalid.
func (s *Service) Audit(ctx context.Context, customerID, cursor string, limit int) (*crm.Page[crm.AuditEntry], error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ListAudit(ctx, customerID, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 && cursor == "" {
		return nil, crm.NotFound("customer")
	}
	return crm.NewPage(rows, limit, func(last *crm.AuditEntry) string { return last.ID }), nil
}
