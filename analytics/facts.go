package analytics

import (
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The look-back windows of the Facts, before their instant asOf.
const (
	// FactsMonths is the window of the failed and late payments, the
	// suspensions and the ratings.
	FactsMonths = 12
	// TicketDays is the window of the recent tickets.
	TicketDays = 90
	// TrendMonths is the length of each of the two usage windows compared
	// by the usage trend: the last TrendMonths, and the TrendMonths before.
	TrendMonths = 3
)

// Facts are what one customer's churn features, lifetime value and
// materialised Profile are computed from, as of an instant asOf. A store
// gathers them in one read (Repository.CustomerFacts) and counts only what
// was known at asOf: services started on or before asOf's date, invoices
// issued and payments made at or before it, tickets opened at or before
// it, usage dated on or before it. So the same code scores a customer today
// and describes where a customer stood a year ago, when an operator refits
// the model on its own history.
//
// A window "of the last N months" is [WindowStart(asOf, N), asOf]; for
// usage, whose records are days, the dates of those two instants (UTC),
// both included, and the earlier window ends the day before the later
// starts.
type Facts struct {
	CustomerID string
	Status     customer.Status
	// Services are the customer's services started on or before asOf's
	// date, whatever their status, ordered by id.
	Services []ServiceFact
	// HistoricalRevenue is the sum of the succeeded payments minus the sum
	// of the refunds (status refunded), all time up to asOf.
	HistoricalRevenue crm.Money
	// Balance is what the customer owes (positive) or holds as credit
	// (negative): the amounts of its open invoices issued on or before
	// asOf's date, minus its succeeded payments, plus its refunds, counting
	// only the payments and refunds that do not name a settled invoice (one
	// of the customer's invoices with status paid, void or uncollectible).
	// A payment naming a settled invoice is already reflected by that
	// invoice's status; every other one (naming an open invoice, an
	// invoice not in the feed, or none) is money not yet applied. Failed
	// and pending payments count for nothing. Statuses are the invoices'
	// current ones: the feeds keep no history of them.
	Balance crm.Money
	// LastPaidAt and LastPaidAmount are those of the latest succeeded
	// payment (by PaidAt, then TransactionID); LastPaidAt is nil when there
	// is none.
	LastPaidAt     *time.Time
	LastPaidAmount crm.Money
	// LatestDelivery is the delivery of the latest invoice (by IssuedAt,
	// then InvoiceID); "" when there is none.
	LatestDelivery Delivery
	// LatestMethod and LatestAutopay are those of the latest payment that
	// is not a refund (succeeded, failed or pending: an attempt shows how
	// the customer pays now), by PaidAt, then TransactionID; LatestMethod
	// is "" when there is none.
	LatestMethod  PaymentMethod
	LatestAutopay bool
	// FailedPayments counts the failed payments of the last FactsMonths.
	FailedPayments int
	// LatePayments counts the succeeded payments of the last FactsMonths
	// that name an invoice of the customer and were made after the end
	// (UTC) of its due date.
	LatePayments int
	// Tickets counts the customer's tickets, of all time up to asOf.
	Tickets int
	// RecentTickets counts the tickets opened in the TicketDays before asOf.
	RecentTickets int
	// OpenTickets counts the tickets open at asOf: opened at or before it,
	// and either resolved after it or, with no ResolvedAt, in status open
	// or pending.
	OpenTickets int
	// Suspensions counts the customer's status changes to suspended of the
	// last FactsMonths.
	Suspensions int
	// UsageRecent and UsagePrior are the bytes (download plus upload) of the
	// last TrendMonths and of the TrendMonths before those.
	UsageRecent, UsagePrior int64
	// Rated counts the tickets opened in the last FactsMonths that carry a
	// satisfaction rating, and RatingSum adds those ratings up.
	Rated, RatingSum int
}

// ServiceFact is what the Facts keep of one service.
type ServiceFact struct {
	ID           string
	Type         customer.ServiceType
	Technology   customer.Technology
	Status       customer.SubscriptionStatus
	MonthlyPrice crm.Money
	ContractTerm customer.ContractTerm
	StartDate    crm.Date
	EndDate      *crm.Date
}

// ServiceFactOf is what the Facts keep of s.
func ServiceFactOf(s *customer.Subscription) ServiceFact {
	return ServiceFact{ID: s.ID, Type: s.ServiceType, Technology: s.Technology, Status: s.Status,
		MonthlyPrice: s.MonthlyPrice, ContractTerm: s.ContractTerm, StartDate: s.StartDate, EndDate: s.EndDate}
}

// HeldOn reports whether the customer held the service on day d: it had
// started, and it had not ended. A service with an EndDate ends on that
// day; one without ends only by being cancelled (then it is not held), and
// a pending one is not live yet.
func (s *ServiceFact) HeldOn(d crm.Date) bool {
	if d.Before(s.StartDate) {
		return false
	}
	if s.EndDate != nil {
		return d.Before(*s.EndDate)
	}
	return s.Status == customer.SubscriptionActive || s.Status == customer.SubscriptionSuspended
}

// FactsWindows are the bounds the stores gather Facts within, for one asOf.
type FactsWindows struct {
	// AsOf is the instant, as stored (UTC, microseconds).
	AsOf time.Time
	// Day is AsOf's date.
	Day crm.Date
	// Since is the start of the last FactsMonths.
	Since time.Time
	// TicketsSince is the start of the last TicketDays.
	TicketsSince time.Time
	// RecentFrom is the first day of the last TrendMonths of usage;
	// PriorFrom the first day of the TrendMonths before (which end the day
	// before RecentFrom).
	RecentFrom, PriorFrom crm.Date
}

// WindowsOf returns the bounds of the Facts as of asOf.
func WindowsOf(asOf time.Time) FactsWindows {
	asOf = crm.StoredTime(asOf)
	return FactsWindows{
		AsOf:         asOf,
		Day:          crm.DateOf(asOf),
		Since:        WindowStart(asOf, FactsMonths),
		TicketsSince: asOf.AddDate(0, 0, -TicketDays),
		RecentFrom:   crm.DateOf(WindowStart(asOf, TrendMonths)),
		PriorFrom:    crm.DateOf(WindowStart(asOf, 2*TrendMonths)),
	}
}
