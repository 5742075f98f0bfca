package pgstore

import (
	"context"
	"time"

	"github.com/ispstack/crm/analytics"
)

// ticketsSinceSQL reads a customer's tickets opened at or after $2, newest
// first, along the tickets_opened_idx index.
const ticketsSinceSQL = `SELECT ` + ticketColumns + ` FROM tickets WHERE customer_id = $1 AND opened_at >= $2
	ORDER BY opened_at DESC, ticket_id DESC`

// TicketsSince returns the customer's tickets opened at or after since,
// newest first.
func (s *Store) TicketsSince(ctx context.Context, customerID string, since time.Time) ([]analytics.Ticket, error) {
	return listRecords[analytics.Ticket, ticketRow](ctx, s, "list tickets since", ticketsSinceSQL, customerID, since)
}
