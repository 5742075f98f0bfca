package pgstore

import (
	"context"

	"github.com/ispstack/crm/customer"
)

// Status changes are rare, so they use Bun's query builder.

// InsertStatusChange appends to a customer's status history; conflict when
// the customer already has an entry with that id.
func (s *Store) InsertStatusChange(ctx context.Context, sc *customer.StatusChange) error {
	h := s.use(ctx)
	defer h.release()
	// DO NOTHING keeps a duplicate from aborting the caller's transaction.
	res, err := h.idb.NewInsert().Model(statusChangeToRow(sc)).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return s.mapErr(err, "insert status change")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflictError(nil, "status change "+sc.ID)
	}
	return nil
}

// ListStatusChanges returns up to limit (all when limit <= 0) entries of the
// customer's status history, oldest first (by time, then id).
func (s *Store) ListStatusChanges(ctx context.Context, customerID string, limit int) ([]customer.StatusChange, error) {
	h := s.use(ctx)
	defer h.release()
	var rows []statusChangeRow
	err := h.idb.NewSelect().
		Model(&rows).
		Where("customer_id = ?", customerID).
		OrderExpr("at, id").
		Limit(int64(max(limit, 0))).
		Scan(ctx)
	if err != nil {
		return nil, s.mapErr(err, "list status changes")
	}
	out := make([]customer.StatusChange, len(rows))
	for i := range rows {
		out[i] = rows[i].statusChange()
	}
	return out, nil
}
