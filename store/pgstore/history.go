package pgstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/ispstack/crm/customer"
)

const (
	// statusChangeColumns are the columns of a status change, in the
	// order of statusChangeRow.dest and statusChangeRow.values.
	statusChangeColumns = `customer_id, id, from_status, to_status, reason, notes, until, actor_id, request_id, at`
	// DO NOTHING keeps a duplicate from aborting the caller's transaction.
	insertStatusChangeSQL = `INSERT INTO customer_status_changes (` + statusChangeColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`
	listStatusChangesSQL = `SELECT ` + statusChangeColumns + ` FROM customer_status_changes
		WHERE customer_id = $1 ORDER BY at, id LIMIT $2`
)

// InsertStatusChange appends to a customer's status history; conflict when
// the customer already has an entry with that id.
func (s *Store) InsertStatusChange(ctx context.Context, sc *customer.StatusChange) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "insert status change", insertStatusChangeSQL, statusChangeToRow(sc).values()...)
	if err == nil && n == 0 {
		err = conflictError(nil, "status change "+sc.ID)
	}
	return err
}

// ListStatusChanges returns up to limit (all when limit <= 0) entries of the
// customer's status history, oldest first (by time, then id).
func (s *Store) ListStatusChanges(ctx context.Context, customerID string, limit int) ([]customer.StatusChange, error) {
	return listRecords[customer.StatusChange, statusChangeRow](ctx, s, "list status changes", listStatusChangesSQL,
		customerID, limitArg(limit))
}

// statusChangeRow is one row of customer_status_changes.
type statusChangeRow struct {
	CustomerID, ID, From, To, Reason, Notes string
	Until                                   sql.NullTime
	ActorID, RequestID                      string
	At                                      time.Time
}

// dest returns scan destinations in statusChangeColumns order.
func (r *statusChangeRow) dest() []any {
	return []any{&r.CustomerID, &r.ID, &r.From, &r.To, &r.Reason, &r.Notes, &r.Until, &r.ActorID, &r.RequestID, &r.At}
}

// values returns query arguments in statusChangeColumns order.
func (r *statusChangeRow) values() []any {
	return []any{r.CustomerID, r.ID, r.From, r.To, r.Reason, r.Notes, r.Until, r.ActorID, r.RequestID, r.At}
}

// statusChangeToRow converts sc for writing.
func statusChangeToRow(sc *customer.StatusChange) *statusChangeRow {
	return &statusChangeRow{
		CustomerID: sc.CustomerID, ID: sc.ID,
		From: string(sc.From), To: string(sc.To),
		Reason: string(sc.Reason), Notes: sc.Notes, Until: nullTime(sc.Until),
		ActorID: sc.ActorID, RequestID: sc.RequestID, At: ts(sc.At),
	}
}

// decode converts a scanned row.
func (r *statusChangeRow) decode() (*customer.StatusChange, error) {
	return &customer.StatusChange{
		ID: r.ID, CustomerID: r.CustomerID,
		From: customer.Status(r.From), To: customer.Status(r.To),
		Reason: customer.SuspensionReason(r.Reason), Notes: r.Notes, Until: timePtr(r.Until),
		ActorID: r.ActorID, RequestID: r.RequestID, At: r.At.UTC(),
	}, nil
}
