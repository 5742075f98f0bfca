package memstore

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/ispstack/crm"
)

// The erasers of a deleted customer's records. Each runs inside the
// deleting transaction (or alone, atomically) and records its undo.

// DeleteContactsOf removes every contact of the customer.
func (s *Store) DeleteContactsOf(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		db.contacts.removeAll(tx, customerID)
		return nil
	})
}

// DeleteDocumentsOf removes every document row of the customer.
func (s *Store) DeleteDocumentsOf(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		db.documents.removeAll(tx, customerID)
		return nil
	})
}

// RedactStatusNotes replaces the notes of the customer's status history
// with crm.Redacted. Stored values are replaced, never modified.
func (s *Store) RedactStatusNotes(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		for _, v := range db.statusChanges.of(customerID) {
			if v.Notes != "" {
				r := cloneStatusChange(v)
				r.Notes = crm.Redacted
				db.statusChanges.put(tx, customerID, r.ID, r)
			}
		}
		return nil
	})
}

// RedactEvents reduces the payload of each of the customer's events to its
// id and customer id.
func (s *Store) RedactEvents(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		for i, e := range db.events {
			if e.CustomerID != customerID {
				continue
			}
			r := cloneEvent(e)
			r.Payload = redactedPayload(e)
			db.events[i] = r
			tx.onRollback(func() { db.events[i] = e })
		}
		return nil
	})
}

// redactedPayload is what stays of an erased customer's event: the id of
// the record it was about and the customer's id, as Postgres'
// jsonb_build_object writes them.
func redactedPayload(e *crm.Event) json.RawMessage {
	var p struct {
		ID any `json:"id"`
	}
	_ = json.Unmarshal(e.Payload, &p)
	b, _ := json.Marshal(struct {
		CustomerID string `json:"customer_id"`
		ID         any    `json:"id"`
	}{e.CustomerID, p.ID})
	return b
}

// PruneEvents deletes the events that occurred before cutoff.
func (s *Store) PruneEvents(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	err := s.write(ctx, func(db *database, tx *txn) error {
		old := db.events
		db.events = slices.DeleteFunc(slices.Clone(old), func(e *crm.Event) bool { return e.OccurredAt.Before(cutoff) })
		n = len(old) - len(db.events)
		tx.onRollback(func() { db.events = old })
		return nil
	})
	return n, err
}
