package analytics

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// MaxDetailTickets bounds the tickets SupportTickets returns: the newest
// ones of the customer.
const MaxDetailTickets = 50

// The Service is what the customer details and the reactivation rule read
// the feeds through.
var (
	_ customer.Insights      = (*Service)(nil)
	_ customer.BalanceSource = (*Service)(nil)
)

// InsightOf is the customer.Insight of the customer f describes, as of
// asOf, with its churn score (0–100):
//
//   - the billing summary: CurrentBalance is Facts.Balance, the last
//     payment's date (UTC) and amount those of the latest succeeded
//     payment, PaymentMethod and AutoPayEnabled those of the latest
//     payment that is not a refund; the feeds carry no credit limit, so
//     CreditLimit is nil;
//   - the account metrics: CustomerSince is the earliest start date of
//     the customer's services (zero when it has none: the details then
//     show its creation date), LifetimeValue its succeeded payments minus
//     its refunds of all time, SatisfactionScore the mean rating, rounded
//     to one decimal, of its tickets opened in the last FactsMonths (nil
//     when none is rated), SupportTicketsCount the number of its tickets.
//     MonthlyRecurringRevenue is left to the details.
func InsightOf(f *Facts, asOf time.Time, churnScore int) customer.Insight {
	in := customer.Insight{ComputedAt: crm.StoredTime(asOf)}
	b := &in.Billing
	b.CurrentBalance, b.AutoPayEnabled = f.Balance, f.LatestAutopay
	if f.LastPaidAt != nil {
		d, amount := crm.DateOf(*f.LastPaidAt), f.LastPaidAmount
		b.LastPaymentDate, b.LastPaymentAmount = &d, &amount
	}
	if f.LatestMethod != "" {
		m := string(f.LatestMethod)
		b.PaymentMethod = &m
	}
	m := &in.Metrics
	m.LifetimeValue, m.SupportTicketsCount = f.HistoricalRevenue, f.Tickets
	for i := range f.Services {
		if start := f.Services[i].StartDate; m.CustomerSince.IsZero() || start.Before(m.CustomerSince) {
			m.CustomerSince = start
		}
	}
	m.SatisfactionScore = meanTenths(float64(f.RatingSum), f.Rated)
	score := float64(churnScore)
	m.ChurnRiskScore = &score
	return in
}

// Balance returns what the customer owes (positive) or holds as credit
// (negative) now, by the rule of Facts.Balance: its open invoices minus
// the payments, net of refunds, that do not name a paid, void or
// uncollectible invoice. Nothing is owed by an unknown customer. A
// customer.BalanceSource, read live (the reactivation rule must not trust
// a stored figure).
func (s *Service) Balance(ctx context.Context, customerID string) (crm.Money, error) {
	fs, err := s.repo.CustomerFacts(ctx, []string{customerID}, s.clock())
	if err != nil || len(fs) == 0 {
		return 0, err
	}
	return fs[0].Balance, nil
}

// Insight computes the customer's Insight from its Facts now, scored by
// the Service's model, without storing it: what the details show of a
// customer whose Profile (which keeps the Insight) was never stored.
// not_found when the customer does not exist.
func (s *Service) Insight(ctx context.Context, c *customer.Customer) (*customer.Insight, error) {
	asOf := s.clock()
	fs, err := s.repo.CustomerFacts(ctx, []string{c.ID}, asOf)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, crm.NotFound("customer")
	}
	return ProfileOf(&fs[0], s.model, asOf).Insight, nil
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
