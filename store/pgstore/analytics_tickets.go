package pgstore

import (
	"context"

	"github.com/ispstack/crm/analytics"
)

// The tickets a customer's details embed when asked for: a walk of the
// newest-first index.
const (
	latestTicketsSQL = `SELECT ` + ticketColumns + ` FROM tickets WHERE customer_id = $1
		ORDER BY opened_at DESC, ticket_id DESC LIMIT $2`
)

// LatestTickets returns up to limit of the customer's tickets, newest
// first.
func (s *Store) LatestTickets(ctx context.Context, customerID string, limit int) ([]analytics.Ticket, error) {
	return listRecords[analytics.Ticket, ticketRow](ctx, s, "list tickets", latestTicketsSQL, customerID, limitArg(limit))
}
