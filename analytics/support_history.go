package analytics

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
)

// The bounds of the months a support history covers.
const (
	// MaxSupportTickets bounds SupportHistory.Tickets: the newest tickets
	// of the window. The summary counts every ticket of the window.
	MaxSupportTickets = 500
	// RecentTicketDays is the span of SupportSummary.TicketsLast90Days.
	RecentTicketDays = 90
)

// SupportHistory is a customer's support tickets over a window: the
// tickets opened at or after the instant `months` calendar months before
// the clock (as time.Time.AddDate counts them, in UTC: a month before
// 31 March is 3 March in a non-leap year), tickets dated after the clock
// included. A ticket opened exactly at the window's start is in it.
type SupportHistory struct {
	CustomerID string         `json:"customer_id"`
	Summary    SupportSummary `json:"summary"`
	// Tickets are the window's newest MaxSupportTickets tickets, newest
	// first (by opened_at, then ticket_id, both descending).
	Tickets []Ticket `json:"tickets"`
}

// SupportSummary are the figures of a SupportHistory. Every figure but
// TicketsLast90Days is over the tickets of the window (all of them, also
// when Tickets holds only the newest MaxSupportTickets).
type SupportSummary struct {
	// TotalTickets is the number of tickets in the window.
	TotalTickets int `json:"total_tickets"`
	// OpenTickets is the number of tickets in the window whose status is
	// open or pending.
	OpenTickets int `json:"open_tickets"`
	// TicketsLast90Days is the number of the customer's tickets opened at
	// or after RecentTicketDays days (of 24 hours) before the clock,
	// whatever the window.
	TicketsLast90Days int `json:"tickets_last_90_days"`
	// AverageResolutionHours is the mean of resolved_at minus opened_at, in
	// hours rounded to one decimal, over the tickets in the window that
	// have a resolved_at, whatever their status; nil when none has.
	AverageResolutionHours *float64 `json:"average_resolution_hours"`
	// AverageSatisfaction is the mean rating, rounded to one decimal, of
	// the tickets in the window that carry one; nil when none does.
	AverageSatisfaction *float64 `json:"average_satisfaction"`
	// ByCategory is the number of tickets in the window of each category;
	// every TicketCategory is a key, with 0 when it has none.
	ByCategory map[TicketCategory]int `json:"by_category"`
}

// SupportHistory returns the customer's support history over the last
// months (1 to MaxHistoryMonths) before the Service's clock, as
// SupportHistoryOf computes it from the tickets the store reads opened
// since the window's start or RecentTicketDays before the clock, whichever
// is earlier (Repository.TicketsSince). Errors: invalid naming months,
// not_found when the customer does not exist or is deleted.
func (s *Service) SupportHistory(ctx context.Context, customerID string, months int) (*SupportHistory, error) {
	if err := checkHistoryMonths(months); err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	now := s.clock()
	since, recent := WindowStart(now, months), recentSince(now)
	if recent.Before(since) {
		since = recent
	}
	tickets, err := s.repo.TicketsSince(ctx, customerID, since)
	if err != nil {
		return nil, err
	}
	return SupportHistoryOf(customerID, tickets, now, months), nil
}

// recentSince is the first instant of SupportSummary.TicketsLast90Days:
// RecentTicketDays days of 24 hours before now.
func recentSince(now time.Time) time.Time { return now.Add(-RecentTicketDays * 24 * time.Hour) }

// SupportHistoryOf computes the support history of the customer over the
// months before now from tickets, which must hold at least every ticket
// of the customer opened at or after the earlier of WindowStart and
// RecentTicketDays before now, in any order; earlier ones, and ones opened
// after now, are ignored.
// The figures are as SupportSummary documents.
func SupportHistoryOf(customerID string, tickets []Ticket, now time.Time, months int) *SupportHistory {
	start, recent := WindowStart(now, months), recentSince(now)
	h := &SupportHistory{CustomerID: customerID, Tickets: []Ticket{},
		Summary: SupportSummary{ByCategory: make(map[TicketCategory]int, len(TicketCategories))}}
	for _, c := range TicketCategories {
		h.Summary.ByCategory[c] = 0
	}
	var (
		resolved, rated        int
		resolvedHours, ratings float64
	)
	for _, t := range tickets {
		// A ticket dated after the clock is outside every window, as a
		// payment is in the payment history.
		if t.OpenedAt.After(now) {
			continue
		}
		if !t.OpenedAt.Before(recent) {
			h.Summary.TicketsLast90Days++
		}
		if t.OpenedAt.Before(start) {
			continue
		}
		h.Tickets = append(h.Tickets, t)
		h.Summary.TotalTickets++
		h.Summary.ByCategory[t.Category]++
		if t.Status == TicketOpen || t.Status == TicketPending {
			h.Summary.OpenTickets++
		}
		if t.ResolvedAt != nil {
			resolved++
			resolvedHours += t.ResolvedAt.Sub(t.OpenedAt).Hours()
		}
		if t.Satisfaction != nil {
			rated++
			ratings += float64(*t.Satisfaction)
		}
	}
	h.Summary.AverageResolutionHours = meanTenths(resolvedHours, resolved)
	h.Summary.AverageSatisfaction = meanTenths(ratings, rated)
	slices.SortFunc(h.Tickets, func(a, b Ticket) int {
		return cmp.Or(b.OpenedAt.Compare(a.OpenedAt), cmp.Compare(b.TicketID, a.TicketID))
	})
	h.Tickets = h.Tickets[:min(len(h.Tickets), MaxSupportTickets)]
	return h
}

// meanTenths returns sum/n rounded to one decimal (halves away from zero);
// nil when n is 0.
func meanTenths(sum float64, n int) *float64 {
	if n == 0 {
		return nil
	}
	m := round(sum/float64(n), 1)
	return &m
}
