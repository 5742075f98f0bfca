package document

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Repository is the storage the Service needs. As customer.Repository, it
// copies values in and out, never returns (nil, nil), and reports failures
// as *crm.Error codes. store.Store embeds it; memstore and pgstore
// implement it.
type Repository interface {
	customer.Reader
	crm.Recorder

	// CreateDocument inserts d. not_found when the customer does not exist;
	// conflict when the id exists.
	CreateDocument(ctx context.Context, d *Document) error
	// GetDocument returns a document of the customer, active or not;
	// not_found when it does not exist or belongs to another customer.
	GetDocument(ctx context.Context, customerID, id string) (*Document, error)
	// UpdateDocument stores d over the row whose version is d.Version-1;
	// not_found when the customer has no such document,
	// precondition_failed when the stored version differs.
	UpdateDocument(ctx context.Context, d *Document) error
	// ListDocuments returns up to f.Limit (all when <= 0) documents of the
	// customer matching f, ordered by id, strictly after f.After.
	ListDocuments(ctx context.Context, customerID string, f Filter) ([]Document, error)
	// DeleteDocumentsOf removes every document row of the customer (when
	// the customer is erased; the files are purged after the commit by
	// Service.OnCustomerDeleted); none is not an error.
	DeleteDocumentsOf(ctx context.Context, customerID string) error
	// PendingScans returns up to limit documents of any customer whose
	// ScanStatus is pending, ordered by id, strictly after the id afterID
	// ("" for the first).
	PendingScans(ctx context.Context, afterID string, limit int) ([]Document, error)
	// ExistingObjectKeys returns those of keys that some document row
	// (active or not) stores as its ObjectKey, in no particular order: the
	// lookup by which the orphan sweep tells live objects from leftovers.
	ExistingObjectKeys(ctx context.Context, keys []string) ([]string, error)
}

// Filter selects documents of a customer.
type Filter struct {
	// Type, when set, keeps documents of that type.
	Type Type
	// ActiveOnly leaves out deactivated documents.
	ActiveOnly bool
	// ExpiringBefore, when set, keeps documents whose ExpirationDate is
	// strictly before it (documents without one never match).
	ExpiringBefore *crm.Date
	// After is the id the page starts after ("" for the first page).
	After string
	// Limit caps the rows returned; 0 or less means no limit.
	Limit int
}
