package analytics

import (
	"time"

	"github.com/ispstack/crm"
)

// BillingFigures are what a store sums up over a customer's invoices and
// payments for the billing summary and the balance, in one read.
type BillingFigures struct {
	// Balance is what the customer owes (positive) or holds as credit
	// (negative): the amounts of its open invoices, minus its succeeded
	// payments, plus its refunds, counting only the payments and refunds
	// that do not name a settled invoice (one of the customer's invoices
	// with status paid, void or uncollectible). A payment naming a settled
	// invoice is already reflected by that invoice's status; every other
	// one (naming an open invoice, an invoice not in the feed, or none) is
	// money not yet applied. Failed and pending payments count for nothing.
	Balance crm.Money
	// LastPaidAt and LastPaidAmount are those of the latest succeeded
	// payment (by PaidAt, then TransactionID); LastPaidAt is nil when the
	// customer has none.
	LastPaidAt     *time.Time
	LastPaidAmount crm.Money
	// Method and Autopay are those of the latest payment that is not a
	// refund (succeeded, failed or pending: an attempt shows how the
	// customer pays now); Method is "" when the customer has none.
	Method  PaymentMethod
	Autopay bool
}

// AccountFigures are what a store sums up over a customer's services,
// payments and tickets for the account metrics, in one read.
type AccountFigures struct {
	// FirstServiceStart is the earliest StartDate of the customer's
	// services, whatever their status; nil when it has none.
	FirstServiceStart *crm.Date
	// LifetimeValue is the sum of the customer's succeeded payments minus
	// the sum of its refunds, all time.
	LifetimeValue crm.Money
	// Tickets is the number of the customer's tickets.
	Tickets int
	// Rated is the number of the customer's tickets opened at or after the
	// instant asked for that carry a satisfaction rating, and RatingSum the
	// sum of those ratings.
	Rated     int
	RatingSum int
}
