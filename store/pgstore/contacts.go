package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
)

// Contacts are keyed by (customer_id, id), and every query names the
// customer, as for services. The partial unique index contacts_primary_key
// keeps one primary contact per customer and type; the writes below check
// that rule in their own statement first, so a clash is "0 rows" (explained
// afterwards) instead of an error that would abort the caller's
// transaction. A clash with a row committed after the statement's snapshot
// still hits the index, and primaryViolation reports it the same way.

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
	deleteContactSQL = `DELETE FROM contacts WHERE customer_id = $1 AND id = $2 AND version = $3`
	listContactsSQL  = `SELECT ` + contactColumns + ` FROM contacts
		WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3`
	listContactsOfTypeSQL = `SELECT ` + contactColumns + ` FROM contacts
		WHERE customer_id = $1 AND id > $2 AND contact_type = $4 ORDER BY id LIMIT $3`
)

// CreateContact inserts c. not_found when the customer is absent or
// deleted; conflict when the customer already has a contact with that id,
// or (contact.PrimaryConflict) a primary contact of c's type while c is
// primary.
func (s *Store) CreateContact(ctx context.Context, c *contact.Contact) error {
	return primaryViolation(contacts.create(ctx, s, c), c)
}

// GetContact returns a contact of the customer; not_found when it does not
// exist or belongs to another customer.
func (s *Store) GetContact(ctx context.Context, customerID, id string) (*contact.Contact, error) {
	return getRecord[contact.Contact, contactRow](ctx, s, "contact", getContactSQL, customerID, id)
}

// GetPrimaryContact returns the customer's primary contact of type t;
// not_found when it has none.
func (s *Store) GetPrimaryContact(ctx context.Context, customerID string, t contact.Type) (*contact.Contact, error) {
	return getRecord[contact.Contact, contactRow](ctx, s, "contact", primaryContactSQL, customerID, string(t))
}

// UpdateContact stores c over the row of c.CustomerID whose version is
// c.Version-1: not_found when the customer has no such contact,
// precondition_failed when the stored version differs, conflict
// (contact.PrimaryConflict) when c would be a second primary contact of
// its type.
func (s *Store) UpdateContact(ctx context.Context, c *contact.Contact) error {
	return primaryViolation(contacts.update(ctx, s, c), c)
}

// DeleteContact removes the customer's contact id if it is at version:
// not_found when the customer has no such contact, precondition_failed
// when the stored version differs.
func (s *Store) DeleteContact(ctx context.Context, customerID, id string, version int64) error {
	return contacts.writeAtVersion(ctx, s, "delete", customerID, id, version, nil, deleteContactSQL, customerID, id, version)
}

// ListContacts returns up to limit (all when limit <= 0) contacts of the
// customer, of type t unless t is "", ordered by id, strictly after
// afterID ("" for the first page).
func (s *Store) ListContacts(ctx context.Context, customerID string, t contact.Type, afterID string, limit int) ([]contact.Contact, error) {
	query, args := listContactsSQL, []any{customerID, afterID, limitArg(limit)}
	if t != "" {
		query, args = listContactsOfTypeSQL, append(args, string(t))
	}
	return listRecords[contact.Contact, contactRow](ctx, s, "list contacts", query, args...)
}

// primaryViolation reports a violation of the primary rule by a row
// committed after the statement's snapshot (the unique index
// contacts_primary_key) as the same conflict as one the statement saw; any
// other err is returned as it is.
func primaryViolation(err error, c *contact.Contact) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == primaryIndex {
		e := contact.PrimaryConflict(c.Type)
		e.Err = err
		return e
	}
	return err
}

// contacts is the contacts table, for the methods of child.go: only a live
// customer takes a new contact, and a write the statement refused otherwise
// would make a second primary contact of its type.
var contacts = childTable[contact.Contact, *contactRow]{
	what: "contact", table: "contacts", liveCustomer: true,
	insertSQL: insertContactSQL, updateSQL: updateContactSQL,
	row:     contactToRow,
	key:     func(c *contact.Contact) (string, string, int64) { return c.CustomerID, c.ID, c.Version },
	refused: func(c *contact.Contact) error { return contact.PrimaryConflict(c.Type) },
}

// contactColumns are the columns of a contact, in the order of
// contactRow.dest and contactRow.values.
const contactColumns = `id, customer_id, name, title, email, phone, mobile, contact_type, is_primary,
	can_authorize_changes, preferred_contact_method, notes, version, created_at, updated_at`

// contactRow is one row of the contacts table.
type contactRow struct {
	ID, CustomerID, Name, Title, Email, Phone, Mobile, Type string
	IsPrimary, CanAuthorizeChanges                          bool
	PreferredContactMethod, Notes                           string
	Version                                                 int64
	CreatedAt, UpdatedAt                                    time.Time
}

// dest returns scan destinations in contactColumns order.
func (r *contactRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Name, &r.Title, &r.Email, &r.Phone, &r.Mobile, &r.Type, &r.IsPrimary,
		&r.CanAuthorizeChanges, &r.PreferredContactMethod, &r.Notes, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

// values returns query arguments in contactColumns order.
func (r *contactRow) values() []any {
	return []any{r.ID, r.CustomerID, r.Name, r.Title, r.Email, r.Phone, r.Mobile, r.Type, r.IsPrimary,
		r.CanAuthorizeChanges, r.PreferredContactMethod, r.Notes, r.Version, r.CreatedAt, r.UpdatedAt}
}

// contactToRow converts c for writing.
func contactToRow(c *contact.Contact) (*contactRow, error) {
	return &contactRow{
		ID: c.ID, CustomerID: c.CustomerID, Name: c.Name, Title: c.Title,
		Email: c.Email, Phone: c.Phone, Mobile: c.Mobile, Type: string(c.Type),
		IsPrimary: c.IsPrimary, CanAuthorizeChanges: c.CanAuthorizeChanges,
		PreferredContactMethod: string(c.PreferredContactMethod), Notes: c.Notes,
		Version: c.Version, CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt),
	}, nil
}

// decode converts a scanned row.
func (r *contactRow) decode() (*contact.Contact, error) {
	return &contact.Contact{
		ID: r.ID, CustomerID: r.CustomerID, Name: r.Name, Title: r.Title,
		Email: r.Email, Phone: r.Phone, Mobile: r.Mobile, Type: contact.Type(r.Type),
		IsPrimary: r.IsPrimary, CanAuthorizeChanges: r.CanAuthorizeChanges,
		PreferredContactMethod: customer.ContactMethod(r.PreferredContactMethod), Notes: r.Notes,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}, nil
}
