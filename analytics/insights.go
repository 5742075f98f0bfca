package analytics

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// MaxDetailTickets bounds the tickets SupportTickets returns: the newest
// ones of the customer.
const MaxDetailTickets = 50

// RatingMonths is how far back, from the Service's clock, the tickets whose
// ratings make the satisfaction score were opened.
const RatingMonths = 12

// The Service is what the customer details and the reactivation rule read
// the feeds through.
var (
	_ customer.Insights      = (*Service)(nil)
	_ customer.BalanceSource = (*Service)(nil)
)

// Balance returns what the customer owes (positive) or holds as credit
// (negative), by the rule of BillingFigures.Balance: its open invoices
// minus the payments, net of refunds, that do not name a paid, void or
// uncollectible invoice. A customer.BalanceSource.
func (s *Service) Balance(ctx context.Context, customerID string) (crm.Money, error) {
	f, err := s.repo.BillingFigures(ctx, customerID)
	if err != nil {
		return 0, err
	}
	return f.Balance, nil
}

// BillingSummary returns the customer's standing with billing: the
// Balance, the date (UTC) and amount of its latest succeeded payment, and
// the method and auto-pay of its latest payment that is not a refund (see
// BillingFigures). The feeds carry no credit limit, so CreditLimit is nil.
func (s *Service) BillingSummary(ctx context.Context, c *customer.Customer) (*customer.BillingSummary, error) {
	f, err := s.repo.BillingFigures(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	b := &customer.BillingSummary{CurrentBalance: f.Balance, AutoPayEnabled: f.Autopay}
	if f.LastPaidAt != nil {
		d, amount := crm.DateOf(*f.LastPaidAt), f.LastPaidAmount
		b.LastPaymentDate, b.LastPaymentAmount = &d, &amount
	}
	if f.Method != "" {
		m := string(f.Method)
		b.PaymentMethod = &m
	}
	return b, nil
}

// AccountMetrics returns figures about the relationship: CustomerSince is
// the earliest start date of the customer's services (its creation date
// when it has none), LifetimeValue its succeeded payments minus its
// refunds of all time, MonthlyRecurringRevenue that of totals (its active
// services), SatisfactionScore the mean rating, rounded to one decimal, of
// its tickets opened in the RatingMonths before the clock (nil when none
// is rated), SupportTicketsCount the number of its tickets and
// ChurnRiskScore the churn score (0–100) of its stored Profile (nil
// before one is stored).
func (s *Service) AccountMetrics(ctx context.Context, c *customer.Customer, totals customer.SubscriptionTotals) (*customer.AccountMetrics, error) {
	f, err := s.repo.AccountFigures(ctx, c.ID, s.clock().AddDate(0, -RatingMonths, 0))
	if err != nil {
		return nil, err
	}
	m := &customer.AccountMetrics{CustomerSince: crm.DateOf(c.CreatedAt), LifetimeValue: f.LifetimeValue,
		MonthlyRecurringRevenue: totals.MonthlyRecurring, SupportTicketsCount: f.Tickets}
	if f.FirstServiceStart != nil {
		m.CustomerSince = *f.FirstServiceStart
	}
	m.SatisfactionScore = meanTenths(float64(f.RatingSum), f.Rated)
	p, err := s.repo.GetProfile(ctx, c.ID)
	switch {
	case err == nil:
		score := float64(p.ChurnScore)
		m.ChurnRiskScore = &score
	case crm.ErrorCode(err) != crm.CodeNotFound:
		return nil, err
	}
	return m, nil
}

// SupportTickets returns the customer's newest MaxDetailTickets tickets,
// newest first (by opened_at, then ticket_id); a ticket's id is its
// ticket_id and its creation its opened_at.
func (s *Service) SupportTickets(ctx context.Context, c *customer.Customer) ([]customer.SupportTicket, error) {
	ts, err := s.repo.LatestTickets(ctx, c.ID, MaxDetailTickets)
	if err != nil {
		return nil, err
	}
	out := make([]customer.SupportTicket, len(ts))
	for i, t := range ts {
		out[i] = customer.SupportTicket{ID: t.TicketID, Subject: t.Subject, Status: string(t.Status),
			Priority: string(t.Priority), CreatedAt: t.OpenedAt}
	}
	return out, nil
}
