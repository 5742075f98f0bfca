package memstore

import (
	"cmp"
	"context"

	"github.com/ispstack/crm/customer"
)

// statusChangeRows describes the status history to its children table.
// Entries are written once and checked against no customer.
var statusChangeRows = rows[customer.StatusChange]{name: "status change", clone: cloneStatusChange,
	key: func(v *customer.StatusChange) (string, string, int64) { return v.ID, v.CustomerID, 0 }}

// InsertStatusChange appends a copy of sc to the customer's history.
// Conflict when the id exists.
func (s *Store) InsertStatusChange(ctx context.Context, sc *customer.StatusChange) error {
	return s.db.statusChanges.create(ctx, s, sc)
}

// ListStatusChanges returns up to limit entries of the customer's history,
// oldest first (by At, then id).
func (s *Store) ListStatusChanges(ctx context.Context, customerID string, limit int) ([]customer.StatusChange, error) {
	rows, err := s.db.statusChanges.stored(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	return s.db.statusChanges.sortedBy(rows, limit, func(a, b *customer.StatusChange) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
	}), nil
}
