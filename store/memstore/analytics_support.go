package memstore

import (
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm/analytics"
)

// TicketsSince returns copies of the customer's tickets opened at or after
// since, newest first.
func (s *Store) TicketsSince(ctx context.Context, customerID string, since time.Time) ([]analytics.Ticket, error) {
	all, err := s.ListTickets(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(v analytics.Ticket) bool { return v.OpenedAt.Before(since) }), nil
}
