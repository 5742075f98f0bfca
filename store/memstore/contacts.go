package memstore

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
)

// contactRows describes contacts to their children table: a contact needs
// a customer that is not deleted, and keeps checkPrimary.
var contactRows = rows[contact.Contact]{name: "contact", clone: cloneContact, parent: liveParent, check: (*database).checkPrimary,
	key: func(v *contact.Contact) (string, string, int64) { return v.ID, v.CustomerID, v.Version }}

// CreateContact inserts a copy of c. not_found when the customer is absent
// or deleted; conflict when the id exists or when c would be a second
// primary contact of its type.
func (s *Store) CreateContact(ctx context.Context, c *contact.Contact) error {
	return s.db.contacts.create(ctx, s, c)
}

// GetContact returns a copy of a contact of the customer; not_found when it
// does not exist or belongs to another customer.
func (s *Store) GetContact(ctx context.Context, customerID, id string) (*contact.Contact, error) {
	return s.db.contacts.get(ctx, s, customerID, id)
}

// GetPrimaryContact returns a copy of the customer's primary contact of
// type t; not_found when it has none.
func (s *Store) GetPrimaryContact(ctx context.Context, customerID string, t contact.Type) (*contact.Contact, error) {
	rows, err := s.db.contacts.list(ctx, s, customerID, "", 1, func(v *contact.Contact) bool { return v.IsPrimary && v.Type == t })
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, crm.NotFound("contact")
	}
	return &rows[0], nil
}

// UpdateContact stores a copy of c over the row of c.CustomerID whose
// version is c.Version-1: not_found when the customer has no such contact,
// precondition_failed on another version, conflict when c would be a
// second primary contact of its type.
func (s *Store) UpdateContact(ctx context.Context, c *contact.Contact) error {
	return s.db.contacts.update(ctx, s, c)
}

// DeleteContact removes the customer's contact id if it is at version:
// not_found when the customer has no such contact, precondition_failed on
// another version.
func (s *Store) DeleteContact(ctx context.Context, customerID, id string, version int64) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, err := db.contacts.at(customerID, id, version); err != nil {
			return err
		}
		db.contacts.remove(tx, customerID, id)
		return nil
	})
}

// ListContacts returns copies of up to limit contacts of the customer (of
// type t unless t is "") ordered by id, strictly after afterID.
func (s *Store) ListContacts(ctx context.Context, customerID string, t contact.Type, afterID string, limit int) ([]contact.Contact, error) {
	var match func(*contact.Contact) bool
	if t != "" {
		match = func(v *contact.Contact) bool { return v.Type == t }
	}
	return s.db.contacts.list(ctx, s, customerID, afterID, limit, match)
}

// checkPrimary is the rule Postgres keeps with a partial unique index: at
// most one primary contact per customer and type.
func (db *database) checkPrimary(c *contact.Contact) error {
	if c.IsPrimary && db.primaryContact(c.CustomerID, c.Type, c.ID) != nil {
		return contact.PrimaryConflict(c.Type)
	}
	return nil
}

// primaryContact returns the customer's primary contact of type t other
// than the contact except, or nil.
func (db *database) primaryContact(customerID string, t contact.Type, except string) *contact.Contact {
	for _, v := range db.contacts.of(customerID) {
		if v.IsPrimary && v.Type == t && v.ID != except {
			return v
		}
	}
	return nil
}
