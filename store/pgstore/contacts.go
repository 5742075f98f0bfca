package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
)

// Contacts are keyed by (customer_id, id), and every query names the
// customer, as for services. The partial unique index contacts_primary_key
// keeps one primary contact per customer and type; the writes below check
// that rule in their own statement first, so a clash is "0 rows" (explained
// afterwards) instead of an error that would abort the caller's
// transaction. A clash with a row committed after the statement's snapshot
// still hits the index, and contactErr reports it the same way.

// primaryIndex is the name of the unique index behind the primary rule.
const primaryIndex = "contacts_primary_key"

const (
	// The casts are needed because INSERT … SELECT cannot infer parameter
	// types from the target columns. WHERE EXISTS turns a missing or
	// deleted customer into "0 rows", as ON CONFLICT DO NOTHING (covering
	// the primary key and the primary rule) does a clash.
	insertContactSQL = `INSERT INTO contacts (` + contactColumns + `)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::boolean,
			$10::boolean, $11::text, $12::text, $13::bigint, $14::timestamptz, $15::timestamptz
		WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::text AND deleted_at IS NULL)
		ON CONFLICT DO NOTHING`
	// contactInsertStateSQL explains an insert of nothing: is the customer
	// live, and is the id taken? If both say go ahead, the primary rule
	// refused it.
	contactInsertStateSQL = `SELECT
		EXISTS (SELECT 1 FROM customers WHERE id = $1 AND deleted_at IS NULL),
		EXISTS (SELECT 1 FROM contacts WHERE customer_id = $1 AND id = $2)`
	getContactSQL     = `SELECT ` + contactColumns + ` FROM contacts WHERE customer_id = $1 AND id = $2`
	primaryContactSQL = `SELECT ` + contactColumns + ` FROM contacts
		WHERE customer_id = $1 AND contact_type = $2 AND is_primary`
	updateContactSQL = `UPDATE contacts SET
		name = $3, title = $4, email = $5, phone = $6, mobile = $7, contact_type = $8, is_primary = $9,
		can_authorize_changes = $10, preferred_contact_method = $11, notes = $12,
		version = $13::bigint, created_at = $14, updated_at = $15
	WHERE customer_id = $2 AND id = $1 AND version = $13::bigint - 1
	  AND NOT ($9::boolean AND EXISTS (SELECT 1 FROM contacts o
		WHERE o.customer_id = $2 AND o.contact_type = $8 AND o.is_primary AND o.id <> $1))`
	contactVersionSQL = `SELECT version FROM contacts WHERE customer_id = $1 AND id = $2`
	deleteContactSQL  = `DELETE FROM contacts WHERE customer_id = $1 AND id = $2 AND version = $3`
	listContactsSQL   = `SELECT ` + contactColumns + ` FROM contacts
		WHERE customer_id = $1 AND id > $2 ORDER BY id`
	listContactsOfTypeSQL = `SELECT ` + contactColumns + ` FROM contacts
		WHERE customer_id = $1 AND id > $2 AND contact_type = $3 ORDER BY id`
)

// CreateContact inserts c. not_found when the customer is absent or
// deleted; conflict when the customer already has a contact with that id,
// or (contact.PrimaryConflict) a primary contact of c's type while c is
// primary.
func (s *Store) CreateContact(ctx context.Context, c *contact.Contact) error {
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, insertContactSQL, contactToRow(c).values()...)
	if err != nil {
		return s.contactErr(err, c, "create contact")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var live, idTaken bool
	if err := h.q.QueryRowContext(ctx, contactInsertStateSQL, c.CustomerID, c.ID).Scan(&live, &idTaken); err != nil {
		return s.mapErr(err, "create contact")
	}
	switch {
	case !live:
		return crm.NotFound("customer")
	case idTaken:
		return conflictError(nil, "contact "+c.ID)
	}
	return contact.PrimaryConflict(c.Type)
}

// GetContact returns a contact of the customer; not_found when it does not
// exist or belongs to another customer.
func (s *Store) GetContact(ctx context.Context, customerID, id string) (*contact.Contact, error) {
	return s.getContact(ctx, "get contact", getContactSQL, customerID, id)
}

// GetPrimaryContact returns the customer's primary contact of type t;
// not_found when it has none.
func (s *Store) GetPrimaryContact(ctx context.Context, customerID string, t contact.Type) (*contact.Contact, error) {
	return s.getContact(ctx, "get primary contact", primaryContactSQL, customerID, string(t))
}

func (s *Store) getContact(ctx context.Context, op, query string, args ...any) (*contact.Contact, error) {
	var r contactRow
	if err := s.queryRow(ctx, query, args, r.dest()); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, crm.NotFound("contact")
		}
		return nil, s.mapErr(err, op)
	}
	c := r.contact()
	return &c, nil
}

// UpdateContact stores c over the row of c.CustomerID whose version is
// c.Version-1: not_found when the customer has no such contact,
// precondition_failed when the stored version differs, conflict
// (contact.PrimaryConflict) when c would be a second primary contact of
// its type.
func (s *Store) UpdateContact(ctx context.Context, c *contact.Contact) error {
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, updateContactSQL, contactToRow(c).values()...)
	if err != nil {
		return s.contactErr(err, c, "update contact")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var version int64
	err = h.q.QueryRowContext(ctx, contactVersionSQL, c.CustomerID, c.ID).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound("contact")
	case err != nil:
		return s.mapErr(err, "update contact")
	case version != c.Version-1:
		return stale("contact", c.ID, version, c.Version-1)
	}
	return contact.PrimaryConflict(c.Type)
}

// DeleteContact removes the customer's contact id if it is at version:
// not_found when the customer has no such contact, precondition_failed
// when the stored version differs.
func (s *Store) DeleteContact(ctx context.Context, customerID, id string, version int64) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "delete contact", deleteContactSQL, customerID, id, version)
	if err != nil || n == 1 {
		return err
	}
	var stored int64
	err = h.q.QueryRowContext(ctx, contactVersionSQL, customerID, id).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound("contact")
	case err != nil:
		return s.mapErr(err, "delete contact")
	}
	return stale("contact", id, stored, version)
}

// ListContacts returns up to limit (all when limit <= 0) contacts of the
// customer, of type t unless t is "", ordered by id, strictly after
// afterID ("" for the first page).
func (s *Store) ListContacts(ctx context.Context, customerID string, t contact.Type, afterID string, limit int) ([]contact.Contact, error) {
	query, args := listContactsSQL, []any{customerID, afterID}
	if t != "" {
		query, args = listContactsOfTypeSQL, append(args, string(t))
	}
	if limit > 0 {
		args = append(args, limit)
		query += " LIMIT $" + strconv.Itoa(len(args))
	}
	out := []contact.Contact{}
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var r contactRow
		if err := rows.Scan(r.dest()...); err != nil {
			return err
		}
		out = append(out, r.contact())
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "list contacts")
	}
	return out, nil
}

// contactErr maps a failed contact write: a violation of the primary rule
// by a row committed after the statement's snapshot is the same conflict
// as one the statement saw; anything else goes through mapErr.
func (s *Store) contactErr(err error, c *contact.Contact, op string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == primaryIndex {
		e := contact.PrimaryConflict(c.Type)
		e.Err = err
		return e
	}
	return s.mapErr(err, op)
}
