package pgstore

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// The erasers of a deleted customer's records: one statement each, run on
// the deleting transaction's connection when called with its context.
const (
	deleteContactsOfSQL  = `DELETE FROM contacts WHERE customer_id = $1`
	deleteDocumentsOfSQL = `DELETE FROM documents WHERE customer_id = $1`
	redactStatusNotesSQL = `UPDATE customer_status_changes SET notes = $2 WHERE customer_id = $1 AND notes <> ''`
	// redactEventsSQL keeps of each payload the id of the record it was
	// about and the customer's id, and nothing else.
	redactEventsSQL = `UPDATE outbox_events
		SET payload = jsonb_build_object('id', payload::jsonb -> 'id', 'customer_id', customer_id)::json
		WHERE customer_id = $1`
	pruneEventsSQL = `DELETE FROM outbox_events WHERE occurred_at < $1`
)

// DeleteContactsOf removes every contact of the customer.
func (s *Store) DeleteContactsOf(ctx context.Context, customerID string) error {
	return s.exec(ctx, "erase contacts", deleteContactsOfSQL, customerID)
}

// DeleteDocumentsOf removes every document row of the customer.
func (s *Store) DeleteDocumentsOf(ctx context.Context, customerID string) error {
	return s.exec(ctx, "erase documents", deleteDocumentsOfSQL, customerID)
}

// RedactStatusNotes replaces the notes of the customer's status history
// with crm.Redacted.
func (s *Store) RedactStatusNotes(ctx context.Context, customerID string) error {
	return s.exec(ctx, "redact status notes", redactStatusNotesSQL, customerID, crm.Redacted)
}

// RedactEvents reduces the payload of each of the customer's events to its
// id and customer id.
func (s *Store) RedactEvents(ctx context.Context, customerID string) error {
	return s.exec(ctx, "redact events", redactEventsSQL, customerID)
}

// PruneEvents deletes the events that occurred before cutoff.
func (s *Store) PruneEvents(ctx context.Context, cutoff time.Time) (int, error) {
	h := s.use(ctx)
	defer h.release()
	return s.execCount(ctx, h, "prune events", pruneEventsSQL, ts(cutoff))
}
