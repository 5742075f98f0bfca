package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
)

// CreateContact inserts a copy of c. not_found when the customer is absent
// or deleted; conflict when the id exists or when c would be a second
// primary contact of its type.
func (s *Store) CreateContact(ctx context.Context, c *contact.Contact) error {
	v := cloneContact(c)
	return s.write(ctx, func(db *database, tx *txn) error {
		if cu, ok := db.customers[v.CustomerID]; !ok || cu.DeletedAt != nil {
			return crm.NotFound("customer")
		}
		if _, ok := db.contacts.byID[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "contact %s already exists", v.ID)
		}
		if err := db.checkPrimary(v); err != nil {
			return err
		}
		db.contacts.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// GetContact returns a copy of a contact of the customer; not_found when it
// does not exist or belongs to another customer.
func (s *Store) GetContact(ctx context.Context, customerID, id string) (*contact.Contact, error) {
	var out *contact.Contact
	err := s.read(ctx, func(db *database) error {
		v, ok := db.contacts.byID[id]
		if !ok || v.CustomerID != customerID {
			return crm.NotFound("contact")
		}
		out = cloneContact(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetPrimaryContact returns a copy of the customer's primary contact of
// type t; not_found when it has none.
func (s *Store) GetPrimaryContact(ctx context.Context, customerID string, t contact.Type) (*contact.Contact, error) {
	var out *contact.Contact
	err := s.read(ctx, func(db *database) error {
		v := db.primaryContact(customerID, t, "")
		if v == nil {
			return crm.NotFound("contact")
		}
		out = cloneContact(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateContact stores a copy of c over the row of c.CustomerID whose
// version is c.Version-1: not_found when the customer has no such contact,
// precondition_failed on another version, conflict when c would be a
// second primary contact of its type.
func (s *Store) UpdateContact(ctx context.Context, c *contact.Contact) error {
	v := cloneContact(c)
	return s.write(ctx, func(db *database, tx *txn) error {
		old, ok := db.contacts.byID[v.ID]
		if !ok || old.CustomerID != v.CustomerID {
			return crm.NotFound("contact")
		}
		if old.Version != v.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "contact %s is at version %d, not %d", v.ID, old.Version, v.Version-1)
		}
		if err := db.checkPrimary(v); err != nil {
			return err
		}
		db.contacts.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// DeleteContact removes the customer's contact id if it is at version:
// not_found when the customer has no such contact, precondition_failed on
// another version.
func (s *Store) DeleteContact(ctx context.Context, customerID, id string, version int64) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		old, ok := db.contacts.byID[id]
		if !ok || old.CustomerID != customerID {
			return crm.NotFound("contact")
		}
		if old.Version != version {
			return crm.Errorf(crm.CodePreconditionFailed, "contact %s is at version %d, not %d", id, old.Version, version)
		}
		db.contacts.remove(tx, customerID, id)
		return nil
	})
}

// ListContacts returns copies of up to limit contacts of the customer (of
// type t unless t is "") ordered by id, strictly after afterID.
func (s *Store) ListContacts(ctx context.Context, customerID string, t contact.Type, afterID string, limit int) ([]contact.Contact, error) {
	var rows []*contact.Contact
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.contacts.of(customerID) {
			if v.ID > afterID && (t == "" || v.Type == t) {
				rows = append(rows, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b *contact.Contact) int { return cmp.Compare(a.ID, b.ID) })
	return values(rows[:limitOf(limit, len(rows))], cloneContact), nil
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
