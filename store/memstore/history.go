package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// InsertStatusChange appends a copy of sc to the customer's history.
// Conflict when the id exists.
func (s *Store) InsertStatusChange(ctx context.Context, sc *customer.StatusChange) error {
	v := cloneStatusChange(sc)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.statusChanges.byID[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "status change %s already exists", v.ID)
		}
		db.statusChanges.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// ListStatusChanges returns up to limit entries of the customer's history,
// oldest first (by At, then id).
func (s *Store) ListStatusChanges(ctx context.Context, customerID string, limit int) ([]customer.StatusChange, error) {
	var rows []*customer.StatusChange
	err := s.read(ctx, func(db *database) error {
		rows = db.statusChanges.of(customerID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b *customer.StatusChange) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
	})
	return values(rows[:limitOf(limit, len(rows))], cloneStatusChange), nil
}
