package contact

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Repository is the storage the Service needs. Implementations copy values
// in and out, never return (nil, nil), and report failures as *crm.Error
// codes as documented. store.Store embeds it; memstore and pgstore
// implement it.
type Repository interface {
	customer.Reader
	crm.Recorder

	// CreateContact inserts c. not_found when the customer is absent or
	// deleted; conflict when the id exists, or (PrimaryConflict) when c is
	// primary and the customer already has a primary contact of c's Type.
	CreateContact(ctx context.Context, c *Contact) error
	// GetContact returns a contact of the customer; not_found when it does
	// not exist or belongs to another customer.
	GetContact(ctx context.Context, customerID, id string) (*Contact, error)
	// GetPrimaryContact returns the customer's primary contact of type t;
	// not_found when it has none.
	GetPrimaryContact(ctx context.Context, customerID string, t Type) (*Contact, error)
	// UpdateContact stores c over the row of c.CustomerID whose version is
	// c.Version-1 (the caller increments Version). not_found when the
	// customer has no such contact, precondition_failed when the stored
	// version differs, conflict (PrimaryConflict) as in CreateContact.
	UpdateContact(ctx context.Context, c *Contact) error
	// DeleteContact removes the customer's contact id if its version is
	// version: not_found when the customer has no such contact,
	// precondition_failed when the stored version differs.
	DeleteContact(ctx context.Context, customerID, id string, version int64) error
	// DeleteContactsOf removes every contact of the customer (when the
	// customer is erased); none is not an error.
	DeleteContactsOf(ctx context.Context, customerID string) error
	// ListContacts returns up to limit (all when limit <= 0) contacts of
	// the customer ordered by id, strictly after the id afterID ("" for the
	// first page), only those of type t unless t is "". An unknown
	// customer has none.
	ListContacts(ctx context.Context, customerID string, t Type, afterID string, limit int) ([]Contact, error)
}

// PrimaryConflict is the conflict a Repository reports when a write would
// give a customer a second primary contact of type t. It names is_primary,
// the field a client changes to resolve it.
func PrimaryConflict(t Type) *crm.Error {
	return &crm.Error{
		Code:    crm.CodeConflict,
		Message: "the customer already has a primary " + string(t) + " contact",
		Fields:  []crm.FieldError{{Field: "is_primary", Message: "another " + string(t) + " contact of the customer is primary"}},
	}
}
