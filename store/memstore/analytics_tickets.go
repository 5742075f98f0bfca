package memstore

import (
	"context"

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
