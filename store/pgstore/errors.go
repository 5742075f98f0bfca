package pgstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/ispstack/crm"
	"github.com/jackc/pgx/v5/pgconn"
)

// conflictFields names the field behind each unique index, so a unique
// violation (SQLSTATE 23505) becomes a conflict naming the field the client
// sent. Matching is on the constraint name Postgres reports, never on message
// text. Primary keys are absent on purpose: a duplicate id is a conflict
// without fields, as in memstore.
var conflictFields = map[string]string{
	"customers_account_number_key": "account_number",
	"customers_email_key":          "email",
	"customers_phone_key":          "phone",
	"customers_external_id_key":    "external_id",
}

// parentKinds names the parent record behind each foreign key, so a
// foreign-key violation (SQLSTATE 23503) becomes not_found naming what is
// missing. The keys are the constraint names Postgres gives the REFERENCES
// clauses of migrations/ (table_column_fkey).
var parentKinds = map[string]string{
	"services_customer_id_fkey":           "customer",
	"contacts_customer_id_fkey":           "customer",
	"documents_customer_id_fkey":          "customer",
	"invoices_customer_id_fkey":           "customer",
	"payments_customer_id_fkey":           "customer",
	"usage_days_customer_id_fkey":         "customer",
	"tickets_customer_id_fkey":            "customer",
	"customer_analytics_customer_id_fkey": "customer",
	"verifications_customer_id_fkey":      "customer",
	"job_errors_job_id_fkey":              "job",
	"job_inputs_job_id_fkey":              "job",
	"job_messages_job_id_fkey":            "job",
	"job_messages_customer_id_fkey":       "customer",
}

// parentOf is the parent record of the foreign key constraint: "parent
// record" for one parentKinds does not name.
func parentOf(constraint string) string {
	if kind, ok := parentKinds[constraint]; ok {
		return kind
	}
	return "parent record"
}

// conflictError is the conflict naming fields as in use; with no fields it
// is the duplicate-id conflict of what.
func conflictError(cause error, what string, fields ...string) *crm.Error {
	if len(fields) == 0 {
		return &crm.Error{Code: crm.CodeConflict, Message: what + " already exists", Err: cause}
	}
	e := &crm.Error{Code: crm.CodeConflict, Message: "a customer with these details already exists", Err: cause}
	for _, f := range fields {
		e.Fields = append(e.Fields, crm.FieldError{Field: f, Message: "is already in use"})
	}
	return e
}

// stale is the precondition_failed error of an optimistic-locking miss.
func stale(what, id string, stored, want int64) *crm.Error {
	return crm.Errorf(crm.CodePreconditionFailed, "%s %s is at version %d, not %d", what, id, stored, want)
}

// mapErr turns a database error into a *crm.Error (op says what was being
// done, for the logs): unique violations into conflict, serialization
// failures, deadlocks, lock timeouts, shutdowns, connection failures,
// cancelled contexts and any failure after Close into unavailable, and
// everything else into internal with the cause kept. *crm.Error values pass
// through unchanged.
func (s *Store) mapErr(err error, op string) error {
	if err == nil {
		return nil
	}
	var ce *crm.Error
	if errors.As(err, &ce) {
		return err
	}
	if s.closed.Load() {
		return crm.Wrap(err, crm.CodeUnavailable, "the store is closed")
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == uniqueViolation:
			if f, ok := conflictFields[pe.ConstraintName]; ok {
				return conflictError(err, "", f)
			}
			return conflictError(err, "the record")
		case pe.Code == "23503": // foreign_key_violation: the parent is missing
			return crm.Wrap(err, crm.CodeNotFound, parentOf(pe.ConstraintName)+" not found")
		case pe.Code == "40001", // serialization_failure
			pe.Code == "40P01",               // deadlock_detected
			pe.Code == "55P03",               // lock_not_available
			pe.Code == "57014",               // query_canceled (statement_timeout, cancelled context)
			pe.Code == "57P01",               // admin_shutdown
			pe.Code == "57P02",               // crash_shutdown
			pe.Code == "57P03",               // cannot_connect_now
			pe.Code == "53300",               // too_many_connections
			pe.Code == "25006",               // read_only_sql_transaction (a failover demoted the primary)
			strings.HasPrefix(pe.Code, "08"): // connection_exception
			return crm.Wrap(err, crm.CodeUnavailable, "the database is busy or unreachable; retry")
		}
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if isConnErr(err) {
		return crm.Wrap(err, crm.CodeUnavailable, "the database is unreachable; retry")
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// isConnErr reports whether err means the connection (not the query) failed.
func isConnErr(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) ||
		errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		pgconn.Timeout(err) ||
		pgconn.SafeToRetry(err)
}
