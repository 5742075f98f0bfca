package pgstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// The figures of a customer's details are one statement each, scalar
// subqueries over the customer's rows (every one served by an index that
// starts with customer_id), so GET /customers/{id} never loads the
// customer's payments.
const (
	latestTicketsSQL = `SELECT ` + ticketColumns + ` FROM tickets WHERE customer_id = $1
		ORDER BY opened_at DESC, ticket_id DESC LIMIT $2`
	// billingFiguresSQL computes analytics.BillingFigures: a payment or
	// refund counts toward the balance unless its invoice_id names one of
	// the customer's invoices that is not open.
	billingFiguresSQL = `SELECT
		(SELECT coalesce(sum(amount), 0) FROM invoices WHERE customer_id = $1 AND status = 'open')::bigint
		- (SELECT coalesce(sum(CASE p.status WHEN 'succeeded' THEN p.amount ELSE -p.amount END), 0) FROM payments p
			WHERE p.customer_id = $1 AND p.status IN ('succeeded', 'refunded')
			AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = $1 AND i.invoice_id = p.invoice_id
				AND i.status <> 'open'))::bigint,
		last.paid_at, coalesce(last.amount, 0), coalesce(attempt.payment_method, ''), coalesce(attempt.autopay, false)
	FROM (SELECT 1) AS one
	LEFT JOIN LATERAL (SELECT paid_at, amount FROM payments WHERE customer_id = $1 AND status = 'succeeded'
		ORDER BY paid_at DESC, transaction_id DESC LIMIT 1) AS last ON true
	LEFT JOIN LATERAL (SELECT payment_method, autopay FROM payments WHERE customer_id = $1 AND status <> 'refunded'
		ORDER BY paid_at DESC, transaction_id DESC LIMIT 1) AS attempt ON true`
	// accountFiguresSQL computes analytics.AccountFigures, with the ratings
	// of the tickets opened at or after $2.
	accountFiguresSQL = `SELECT
		(SELECT min(start_date) FROM services WHERE customer_id = $1),
		(SELECT coalesce(sum(CASE status WHEN 'succeeded' THEN amount ELSE -amount END), 0) FROM payments
			WHERE customer_id = $1 AND status IN ('succeeded', 'refunded'))::bigint,
		t.tickets, t.rated, t.rating_sum
	FROM (SELECT count(*)::bigint AS tickets,
			count(satisfaction) FILTER (WHERE opened_at >= $2)::bigint AS rated,
			coalesce(sum(satisfaction) FILTER (WHERE opened_at >= $2), 0)::bigint AS rating_sum
		FROM tickets WHERE customer_id = $1) AS t`
)

// LatestTickets returns up to limit of the customer's tickets, newest
// first.
func (s *Store) LatestTickets(ctx context.Context, customerID string, limit int) ([]analytics.Ticket, error) {
	return listRecords[analytics.Ticket, ticketRow](ctx, s, "list tickets", latestTicketsSQL, customerID, limitArg(limit))
}

// BillingFigures sums up the customer's invoices and payments as
// analytics.BillingFigures documents.
func (s *Store) BillingFigures(ctx context.Context, customerID string) (*analytics.BillingFigures, error) {
	var (
		balance, amount int64
		paidAt          sql.NullTime
		method          string
		autopay         bool
	)
	err := s.queryRow(ctx, billingFiguresSQL, []any{customerID}, []any{&balance, &paidAt, &amount, &method, &autopay})
	if err != nil {
		return nil, s.mapErr(err, "billing figures")
	}
	return &analytics.BillingFigures{Balance: crm.Money(balance), LastPaidAt: timePtr(paidAt),
		LastPaidAmount: crm.Money(amount), Method: analytics.PaymentMethod(method), Autopay: autopay}, nil
}

// AccountFigures sums up the customer's services, payments and tickets as
// analytics.AccountFigures documents.
func (s *Store) AccountFigures(ctx context.Context, customerID string, ratedSince time.Time) (*analytics.AccountFigures, error) {
	var (
		start                   sql.NullTime
		value, n, rated, rating int64
	)
	err := s.queryRow(ctx, accountFiguresSQL, []any{customerID, ts(ratedSince)}, []any{&start, &value, &n, &rated, &rating})
	if err != nil {
		return nil, s.mapErr(err, "account figures")
	}
	return &analytics.AccountFigures{FirstServiceStart: datePtr(start), LifetimeValue: crm.Money(value),
		Tickets: int(n), Rated: int(rated), RatingSum: int(rating)}, nil
}
