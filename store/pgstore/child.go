package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ispstack/crm"
)

// A customer's child records (services, contacts, documents,
// verifications) share one shape: keyed by (customer_id, id), with a
// version for optimistic locking.
// Their writes are single statements that change nothing, rather than fail
// and abort the caller's transaction, when the record cannot be written
// (INSERT … SELECT … WHERE EXISTS … ON CONFLICT DO NOTHING, UPDATE … WHERE
// version = n-1); the methods below run such a statement and, when it
// changed nothing, work out why. Reads of them go through getRecord and
// listRecords (db.go).

// childTable describes the table of child records of type T, stored as
// rows of type W.
type childTable[T any, W interface{ values() []any }] struct {
	what  string // the record in errors, e.g. "service"
	table string
	// liveCustomer means a deleted customer takes no new record.
	liveCustomer bool
	// insertSQL inserts the record whose row values are its arguments,
	// or nothing; updateSQL writes it over the row whose version is one
	// less, or nothing.
	insertSQL, updateSQL string
	// row encodes a record; its values are the arguments of insertSQL and
	// updateSQL.
	row func(*T) (W, error)
	// key returns a record's customer, id and version.
	key func(*T) (customerID, id string, version int64)
	// refused, when set, explains a write that its statement refused
	// although the customer, the id and the version allowed it (a rule of
	// the table that the statement checks).
	refused func(*T) error
}

// create inserts v: not_found "customer" when the customer cannot take it,
// conflict when the customer has a record with that id, else t.refused.
func (t *childTable[T, W]) create(ctx context.Context, s *Store, v *T) error {
	r, err := t.row(v)
	if err != nil {
		return err
	}
	customerID, id, _ := t.key(v)
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, t.insertSQL, r.values()...)
	if err != nil {
		return s.mapErr(err, "create "+t.what)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	parent := `SELECT 1 FROM customers WHERE id = $1`
	if t.liveCustomer {
		parent += ` AND deleted_at IS NULL`
	}
	var live, taken bool
	err = h.q.QueryRowContext(ctx, `SELECT EXISTS (`+parent+`),
		EXISTS (SELECT 1 FROM `+t.table+` WHERE customer_id = $1 AND id = $2)`, customerID, id).Scan(&live, &taken)
	switch {
	case err != nil:
		return s.mapErr(err, "create "+t.what)
	case !live:
		return crm.NotFound("customer")
	case taken || t.refused == nil:
		// Without a rule to break, the record was there and is gone.
		return conflictError(nil, t.what+" "+id)
	}
	return t.refused(v)
}

// update stores v over the row whose version is one less: not_found when
// the customer has no such record, precondition_failed when the stored
// version differs, else t.refused.
func (t *childTable[T, W]) update(ctx context.Context, s *Store, v *T) error {
	r, err := t.row(v)
	if err != nil {
		return err
	}
	customerID, id, version := t.key(v)
	var refused func() error
	if t.refused != nil {
		refused = func() error { return t.refused(v) }
	}
	return t.writeAtVersion(ctx, s, "update", customerID, id, version-1, refused, t.updateSQL, r.values()...)
}

// writeAtVersion runs query, which changes (verb: updates or deletes)
// record (customerID, id) only while it is at version want, and explains a
// change of nothing: not_found when the customer has no such record,
// precondition_failed when it is at another version, else refused() (a
// rule the statement checks), or precondition_failed when refused is nil
// (the record changed between the two statements).
func (t *childTable[T, W]) writeAtVersion(ctx context.Context, s *Store, verb, customerID, id string, want int64, refused func() error, query string, args ...any) error {
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, query, args...)
	if err != nil {
		return s.mapErr(err, verb+" "+t.what)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var version int64
	err = h.q.QueryRowContext(ctx, `SELECT version FROM `+t.table+` WHERE customer_id = $1 AND id = $2`,
		customerID, id).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound(t.what)
	case err != nil:
		return s.mapErr(err, verb+" "+t.what)
	case version != want || refused == nil:
		return stale(t.what, id, version, want)
	}
	return refused()
}
