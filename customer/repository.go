package customer

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// Repository is the storage the Service needs. Implementations copy values in
// and out (callers may modify what they pass or get back), never return
// (nil, nil), and report failures as *crm.Error codes as documented.
// store.Store embeds it; memstore and pgstore implement it.
type Repository interface {
	Reader
	crm.Recorder

	// CreateCustomer inserts c. Conflict when the email, phone or external
	// id is used by another non-deleted customer, or the account number by
	// any customer (closed accounts keep theirs for the books), with Fields
	// naming "email", "phone", "external_id" or "account_number".
	CreateCustomer(ctx context.Context, c *Customer) error
	// GetCustomerByExternalID returns the non-deleted customer whose
	// ExternalID is externalID, compared exactly; not_found when none is
	// (always for "").
	GetCustomerByExternalID(ctx context.Context, externalID string) (*Customer, error)
	// GetCustomerByEmail returns the non-deleted customer whose Email is
	// email, compared exactly (as the Service stores it: the domain
	// lower-cased, the local part as given); not_found when none is
	// (always for "").
	GetCustomerByEmail(ctx context.Context, email string) (*Customer, error)
	// CreateCustomers writes each creation as CreateCustomer,
	// InsertStatusChange, InsertAudit and InsertEvent would, in as few
	// statements as the store allows: a bulk import's batch. A creation
	// whose customer clashes with a stored one is left out whole, and its
	// conflict (as CreateCustomer's, naming the fields) is at its index of
	// the errors returned; the others are written. The caller makes sure
	// the creations do not clash among themselves. The error is the
	// store's failure, after which nothing is known to be written.
	CreateCustomers(ctx context.Context, cs []Creation) ([]error, error)
	// GetCustomerDetails returns the customer, up to limit of its
	// services ordered by id, and the Insight stored for it (nil when none
	// is), read together (one round trip where the store allows): the read
	// behind a customer's detail view. not_found as GetCustomer.
	GetCustomerDetails(ctx context.Context, id string, limit int) (*Customer, []Subscription, *Insight, error)
	// UpdateCustomer stores c over the row whose version is c.Version-1
	// (the caller increments Version). not_found when absent or already
	// deleted; precondition_failed when the stored version differs; conflict
	// as in CreateCustomer. Setting DeletedAt closes the row for good: it is
	// not found afterwards. What other modules keep about the customer is
	// erased by their Erasers in the same transaction.
	UpdateCustomer(ctx context.Context, c *Customer) error
	// ListCustomers returns up to f.Limit non-deleted customers matching f,
	// in f.Sort order, strictly after f.After.
	ListCustomers(ctx context.Context, f Filter) ([]Customer, error)
	// CountCustomers counts the non-deleted customers matching f, ignoring
	// f.After, f.Limit and f.Sort.
	CountCustomers(ctx context.Context, f Filter) (int, error)
	// DueReactivations returns the ids of up to limit suspended customers
	// whose Suspension.Until is at or before now, oldest first. Inside a
	// transaction the rows stay locked and rows locked by another
	// transaction are skipped, so two servers never reactivate the same
	// customer.
	DueReactivations(ctx context.Context, now time.Time, limit int) ([]string, error)

	// InsertStatusChange appends to a customer's status history.
	InsertStatusChange(ctx context.Context, sc *StatusChange) error
	// RedactStatusNotes replaces the free-text notes of the customer's
	// status history with crm.Redacted (when erasing the customer).
	RedactStatusNotes(ctx context.Context, customerID string) error
	// ListStatusChanges returns up to limit entries of the history, oldest
	// first.
	ListStatusChanges(ctx context.Context, customerID string, limit int) ([]StatusChange, error)

	// CreateSubscription inserts s.
	CreateSubscription(ctx context.Context, s *Subscription) error
	// GetSubscription returns a service of the customer; not_found when it
	// does not exist or belongs to another customer.
	GetSubscription(ctx context.Context, customerID, id string) (*Subscription, error)
	// UpdateSubscription stores s over the row whose version is s.Version-1;
	// not_found or precondition_failed as UpdateCustomer.
	UpdateSubscription(ctx context.Context, s *Subscription) error
	// ListSubscriptions returns up to limit services of the customer ordered
	// by id, strictly after the id afterID ("" for the first page).
	ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]Subscription, error)
	// SubscriptionTotals sums the customer's active services.
	SubscriptionTotals(ctx context.Context, customerID string) (SubscriptionTotals, error)
	// SuspendSubscriptions sets every active service of the customer to
	// suspended with SuspendedWithCustomer, bumping versions; it returns how
	// many changed.
	SuspendSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error)
	// RestoreSubscriptions sets the services suspended with the customer back
	// to active and clears the mark; it returns how many changed.
	RestoreSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error)
	// CancelSubscriptions cancels every service of the customer that is not
	// cancelled yet (EndDate = end when unset) and erases the service
	// address of all of them; it returns how many were cancelled.
	CancelSubscriptions(ctx context.Context, customerID string, end crm.Date, at time.Time) (int, error)

	// ListAudit returns up to limit audit entries of the customer, newest
	// first, strictly before the entry with id beforeID ("" for the newest).
	// Entries stay readable after the customer is deleted.
	ListAudit(ctx context.Context, customerID, beforeID string, limit int) ([]crm.AuditEntry, error)
}

// SubscriptionTotals summarises a customer's active services.
type SubscriptionTotals struct {
	Active           int
	MonthlyRecurring crm.Money
}

// Reader reads the customer a record belongs to. Every module whose
// records hang off a customer embeds it in its Repository, so its writes can
// lock the customer first: writes of one customer's records, and its
// deletion, then never interleave.
type Reader interface {
	// GetCustomer returns the customer; not_found when absent or deleted.
	GetCustomer(ctx context.Context, id string) (*Customer, error)
	// LockCustomer is GetCustomer that also holds the customer's row until
	// the enclosing transaction ends, so read-check-write sequences do not
	// race.
	LockCustomer(ctx context.Context, id string) (*Customer, error)
}
