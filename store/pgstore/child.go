package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ispstack/crm"
)

// A customer's child records (services, contacts, documents) share one
// shape: keyed by (customer_id, id), with a version for optimistic locking.
// Their writes are single statements that change nothing, rather than fail
// and abort the caller's transaction, when the record cannot be written
// (INSERT … SELECT … WHERE EXISTS … ON CONFLICT DO NOTHING, UPDATE … WHERE
// version = n-1); the helpers below run such a statement and, when it
// changed nothing, work out why.

// childTable names what the helpers need to know about a table of child
// records.
type childTable struct {
	what       string // the record in errors, e.g. "service"
	versionSQL string // the version of record ($1 customer_id, $2 id)
	// stateSQL says whether customer $1 can take a new record (exists;
	// or, when the table wants a live customer, is not deleted) and
	// whether it has record $2 already.
	stateSQL string
}

// newChildTable describes table, whose records are called what in errors;
// liveCustomer means a deleted customer takes no new record.
func newChildTable(what, table string, liveCustomer bool) childTable {
	parent := `SELECT 1 FROM customers WHERE id = $1`
	if liveCustomer {
		parent += ` AND deleted_at IS NULL`
	}
	record := `SELECT 1 FROM ` + table + ` WHERE customer_id = $1 AND id = $2`
	return childTable{
		what:       what,
		versionSQL: `SELECT version FROM ` + table + ` WHERE customer_id = $1 AND id = $2`,
		stateSQL:   `SELECT EXISTS (` + parent + `), EXISTS (` + record + `)`,
	}
}

// insert runs query, which inserts record (customerID, id) of t with args
// or nothing, and explains nothing: not_found "customer" when the customer
// cannot take it, conflict when the id is taken, else refused() (a
// rule of the table the statement checked), or the id conflict when
// refused is nil (the record changed between the two statements).
func (s *Store) insert(ctx context.Context, t *childTable, op, customerID, id string, refused func() error, query string, args ...any) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, op, query, args...)
	if err != nil || n == 1 {
		return err
	}
	var live, taken bool
	if err := h.q.QueryRowContext(ctx, t.stateSQL, customerID, id).Scan(&live, &taken); err != nil {
		return s.mapErr(err, op)
	}
	switch {
	case !live:
		return crm.NotFound("customer")
	case taken || refused == nil:
		return conflictError(nil, t.what+" "+id)
	}
	return refused()
}

// writeAtVersion runs query, which changes (updates or deletes) record
// (customerID, id) of t with args only while it is at version want, and
// explains a change of nothing: not_found when the customer has no such
// record, precondition_failed when it is at another version, else
// refused() (a rule of the table the statement checked), or
// precondition_failed when refused is nil (the record changed between the
// two statements).
func (s *Store) writeAtVersion(ctx context.Context, t *childTable, op, customerID, id string, want int64, refused func() error, query string, args ...any) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, op, query, args...)
	if err != nil || n == 1 {
		return err
	}
	var version int64
	err = h.q.QueryRowContext(ctx, t.versionSQL, customerID, id).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound(t.what)
	case err != nil:
		return s.mapErr(err, op)
	case version != want || refused == nil:
		return stale(t.what, id, version, want)
	}
	return refused()
}
