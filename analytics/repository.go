package analytics

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Repository is the storage the Service needs. Implementations copy values
// in and out, never return (nil, nil), and report failures as *crm.Error
// codes as documented. store.Store embeds it; memstore and pgstore
// implement it.
//
// The Upsert methods write records of one customer whose source ids are
// distinct (the Service refuses a batch that repeats one): a record whose
// source id the customer has no record with is inserted with its
// CreatedAt and UpdatedAt; one that differs from the stored record in any
// other field replaces it, keeping the stored CreatedAt; one equal to it
// leaves it as it is. They return the Outcome of each record, in the order
// given, and not_found when the customer does not exist.
type Repository interface {
	customer.Reader
	crm.Recorder

	// ListSubscriptions returns up to limit (all when limit <= 0) services
	// of the customer ordered by id, strictly after afterID.
	ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]customer.Subscription, error)

	// UpsertInvoices upserts invoices by (customer, InvoiceID).
	UpsertInvoices(ctx context.Context, customerID string, v []Invoice) ([]Outcome, error)
	// UpsertPayments upserts payments by (customer, TransactionID).
	UpsertPayments(ctx context.Context, customerID string, v []Payment) ([]Outcome, error)
	// UpsertUsage upserts usage by (customer, ServiceID, Date).
	UpsertUsage(ctx context.Context, customerID string, v []Usage) ([]Outcome, error)
	// UpsertTickets upserts tickets by (customer, TicketID).
	UpsertTickets(ctx context.Context, customerID string, v []Ticket) ([]Outcome, error)

	// ListInvoices returns up to limit (all when limit <= 0) invoices of
	// the customer, newest first: by IssuedAt descending, then InvoiceID
	// descending, strictly after the invoice at after (nil for the first
	// page).
	ListInvoices(ctx context.Context, customerID string, after *InvoiceKey, limit int) ([]Invoice, error)
	// ListPayments returns every payment of the customer, newest first: by
	// PaidAt descending, then TransactionID descending.
	ListPayments(ctx context.Context, customerID string) ([]Payment, error)
	// ListUsage returns every usage record of the customer, by Date, then
	// ServiceID.
	ListUsage(ctx context.Context, customerID string) ([]Usage, error)
	// ListTickets returns every ticket of the customer, newest first: by
	// OpenedAt descending, then TicketID descending.
	ListTickets(ctx context.Context, customerID string) ([]Ticket, error)

	// TicketsSince returns the customer's tickets opened at or after
	// since, newest first as ListTickets orders them.
	TicketsSince(ctx context.Context, customerID string, since time.Time) ([]Ticket, error)
	// PaymentHistoryRecords returns what a payment history reads of the
	// customer: its invoices with DueDate from dueFrom to dueTo (both
	// included), by DueDate then InvoiceID, and its payments with PaidAt at
	// or after since or naming one of those invoices, newest first as
	// ListPayments orders them.
	PaymentHistoryRecords(ctx context.Context, customerID string, since time.Time, dueFrom, dueTo crm.Date) ([]Invoice, []Payment, error)
	// UsageSums sums the customer's usage dated from to to (both
	// included), only that of serviceID when it is not "", per period of g
	// and per service, in the store, as SumUsage documents: a usage history
	// reads at most one row per period and per service, however many
	// records there are. Empty sums when there are none.
	UsageSums(ctx context.Context, customerID, serviceID string, g Granularity, from, to crm.Date) (*UsageSums, error)

	// LatestTickets returns up to limit (all when limit <= 0) tickets of
	// the customer, newest first as ListTickets orders them.
	LatestTickets(ctx context.Context, customerID string, limit int) ([]Ticket, error)

	// CustomerIDs returns the ids of up to limit (all when limit <= 0)
	// customers, by id, strictly after afterID: non-deleted ones only,
	// the deleted (closed) ones too when closed is true. The walks of the
	// sweep (live customers) and of the refit (where a customer who left
	// and closed the account is the very case to learn from).
	CustomerIDs(ctx context.Context, afterID string, limit int, closed bool) ([]string, error)
	// CustomerFacts gathers the Facts of the customers among ids, deleted
	// (closed) ones included, as of asOf, in the order of ids (unknown ids
	// are left out), as Facts documents each figure and WindowsOf(asOf)
	// bounds them, in one read. A deleted customer's records stay for the
	// books, so its Facts are what they were, with Status closed.
	CustomerFacts(ctx context.Context, ids []string, asOf time.Time) ([]Facts, error)

	// SaveProfiles upserts the profiles by customer id; not_found when a
	// customer does not exist.
	SaveProfiles(ctx context.Context, ps []Profile) error
	// GetProfile returns the customer's profile; not_found when none was
	// saved.
	GetProfile(ctx context.Context, customerID string) (*Profile, error)

	// LockSweep returns the state of the sweep named name, a zero state
	// with that Name when none was saved. Inside a transaction it holds
	// the state until the transaction ends, so a LockSweep of the same
	// name in another transaction waits for it: the servers sharing a
	// store claim a sweep's batches one after another.
	LockSweep(ctx context.Context, name string) (*SweepState, error)
	// SaveSweep stores the state of the sweep named st.Name.
	SaveSweep(ctx context.Context, st *SweepState) error
	// ListProfiled returns up to q.Limit (all when q.Limit <= 0)
	// non-deleted customers that meet every element of q.Where, each with
	// its profile (NoProfile when none was saved), in q's order, strictly
	// after its position. A customer meets Conditions when it meets their
	// Customer filter as ListCustomers applies it (its Sort, After and
	// Limit aside) and ProfileFilter.Matches accepts its profile. invalid
	// for an unknown sort field or a cursor key that does not fit it, as
	// ListCustomers.
	ListProfiled(ctx context.Context, q ProfileQuery) ([]Profiled, error)
	// CountProfiled counts the customers that ListProfiled returns for
	// where, without a position or a limit.
	CountProfiled(ctx context.Context, where []Conditions) (int, error)
	// LTVAtRank returns the predicted lifetime value of the customer at
	// rank (1 for the first) in the ByLTV order of the customers that meet
	// where, and false when fewer than rank meet them.
	LTVAtRank(ctx context.Context, where []Conditions, rank int) (crm.Money, bool, error)

	// CreateSegment inserts s; conflict when its id exists.
	CreateSegment(ctx context.Context, s *Segment) error
	// GetSegment returns the segment; not_found when absent.
	GetSegment(ctx context.Context, id string) (*Segment, error)
	// LockSegment is GetSegment that also holds the segment's row until
	// the enclosing transaction ends, so read-check-write sequences do
	// not race.
	LockSegment(ctx context.Context, id string) (*Segment, error)
	// UpdateSegment stores s over the row whose version is s.Version-1 (the
	// caller increments Version); not_found when absent,
	// precondition_failed when the stored version differs.
	UpdateSegment(ctx context.Context, s *Segment) error
	// DeleteSegment removes the segment if it is at version; not_found
	// when absent, precondition_failed when the stored version differs.
	DeleteSegment(ctx context.Context, id string, version int64) error
	// ListSegments returns up to limit (all when limit <= 0) segments
	// ordered by id (their creation order), strictly after afterID.
	ListSegments(ctx context.Context, afterID string, limit int) ([]Segment, error)

	// RedactTicketSubjects replaces the non-empty subjects of the
	// customer's tickets with crm.Redacted (when erasing the customer).
	RedactTicketSubjects(ctx context.Context, customerID string) error
	// RedactPaymentNotes replaces the non-empty notes of the customer's
	// payments with crm.Redacted (when erasing the customer).
	RedactPaymentNotes(ctx context.Context, customerID string) error
}

// InvoiceKey is the position of an invoice in the newest-first order of
// ListInvoices.
type InvoiceKey struct {
	IssuedAt  crm.Date
	InvoiceID string
}
