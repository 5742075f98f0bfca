// Package memstore is the in-memory store.Store: maps guarded by locks, with
// every value deep-copied on the way in and out so callers can never change
// what is stored except through the interface.
//
// It is meant for tests and for embedding the library without a database.
// It behaves like store/pgstore as the conformance suite in store/storetest
// checks (including Postgres' microsecond time precision); nothing survives
// the process.
//
// # Isolation
//
// Transactions are serialisable: RunInTx holds an exclusive lock for the
// whole transaction, so at most one transaction (or single write) runs at a
// time, while calls outside a transaction that only read share the lock and
// wait for a running transaction to end. Readers therefore never see
// uncommitted writes. A transaction writes in place and keeps an undo log;
// rolling back (fn returned an error or panicked) replays it backwards, and a
// nested RunInTx is a savepoint that rolls back only its own part of the log.
//
// Calls made with a context that comes from inside a running transaction of
// the same Store join that transaction, even when made on the root Store
// rather than the one passed to fn; otherwise they would wait for the lock
// the transaction itself holds and deadlock. The Store passed to fn must not
// be used after fn returns.
package memstore

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory store.Store. The value returned by New is safe for
// concurrent use; the transaction-bound Stores that RunInTx passes to its fn
// are valid only until fn returns.
type Store struct {
	db *database
	tx *txn // the transaction this Store is bound to; nil for the root
}

// database is the state shared by the root Store and its transactions.
type database struct {
	// txMu serialises writers: a transaction holds it exclusively from begin
	// to end, a write outside a transaction for that one call. Reads outside
	// a transaction hold it shared, so they only ever see committed data.
	txMu sync.RWMutex
	// mu guards the maps below. Only one transaction runs at a time, but fn
	// may use its Store from several goroutines.
	mu     sync.RWMutex
	closed atomic.Bool

	customers map[string]*customer.Customer // by id
	// Unique indexes, value to customer id: emails, phones and external
	// ids of non-deleted customers, account numbers of all customers.
	emails, phones, externals, accounts map[string]string

	statusChanges *children[customer.StatusChange]
	subscriptions *children[customer.Subscription]
	contacts      *children[contact.Contact]
	documents     *children[document.Document]
	verifications *children[verify.Verification]
	invoices      *feed[analytics.Invoice]
	payments      *feed[analytics.Payment]
	usage         *feed[analytics.Usage]
	tickets       *feed[analytics.Ticket]
	profiles      map[string]*analytics.Profile       // by customer id
	sweeps        map[string]*analytics.SweepState    // by name
	segments      map[string]*analytics.Segment       // by id
	jobs          map[string]*bulk.Job                // by id
	jobErrors     map[string]map[int]bulk.RowError    // by job id, then number
	jobInputs     map[string]map[int][]byte           // by job id, then seq
	messages      map[string]map[string]*bulk.Message // by job id, then id
	messageJobs   map[string]string                   // job id by message id
	messageOf     map[messageKey]string               // message id by job and customer
	audit         *children[crm.AuditEntry]
	events        []*crm.Event // ordered by id
	idempotency   map[idemKey]*crm.IdempotencyRecord
}

// idemKey identifies an idempotency record.
type idemKey struct{ scope, key string }

// New returns an empty Store.
func New() *Store {
	return &Store{db: &database{
		customers:     map[string]*customer.Customer{},
		emails:        map[string]string{},
		phones:        map[string]string{},
		externals:     map[string]string{},
		accounts:      map[string]string{},
		statusChanges: newChildren(statusChangeRows),
		subscriptions: newChildren(subscriptionRows),
		contacts:      newChildren(contactRows),
		documents:     newChildren(documentRows),
		verifications: newChildren(verificationRows),
		invoices:      newInvoices(),
		payments:      newPayments(),
		usage:         newUsage(),
		tickets:       newTickets(),
		profiles:      map[string]*analytics.Profile{},
		sweeps:        map[string]*analytics.SweepState{},
		segments:      map[string]*analytics.Segment{},
		jobs:          map[string]*bulk.Job{},
		jobErrors:     map[string]map[int]bulk.RowError{},
		jobInputs:     map[string]map[int][]byte{},
		messages:      map[string]map[string]*bulk.Message{},
		messageJobs:   map[string]string{},
		messageOf:     map[messageKey]string{},
		audit:         newChildren(auditRows),
		idempotency:   map[idemKey]*crm.IdempotencyRecord{},
	}}
}

// Ping reports whether the store is usable: unavailable once closed.
func (s *Store) Ping(ctx context.Context) error { return s.usable(ctx) }

// Close marks the store closed; every later call fails with unavailable.
// Closing twice is harmless.
func (s *Store) Close() error {
	s.db.closed.Store(true)
	return nil
}

// usable fails when the store is closed or ctx is done, as a database call
// would.
func (s *Store) usable(ctx context.Context) error {
	if s.db.closed.Load() {
		return crm.Errorf(crm.CodeUnavailable, "the store is closed")
	}
	if err := ctx.Err(); err != nil {
		return crm.Wrap(err, crm.CodeUnavailable, "the request was cancelled")
	}
	return nil
}

// read runs f with the maps readable: inside the caller's transaction, or
// else after any running transaction has ended.
func (s *Store) read(ctx context.Context, f func(db *database) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	tx, err := s.txFor(ctx)
	if err != nil {
		return err
	}
	if tx == nil {
		s.db.txMu.RLock()
		defer s.db.txMu.RUnlock()
	}
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	return f(s.db)
}

// write runs f with the maps writable. Inside a transaction f records how to
// undo its changes in tx; outside one tx is nil and f must change nothing
// when it fails, which every write here ensures by checking before it
// changes anything.
func (s *Store) write(ctx context.Context, f func(db *database, tx *txn) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	tx, err := s.txFor(ctx)
	if err != nil {
		return err
	}
	if tx == nil {
		s.db.txMu.Lock()
		defer s.db.txMu.Unlock()
	}
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	return f(s.db, tx)
}

// limitOf turns a limit into a slice bound: like Bun's Limit(0), a limit of
// zero or less means no limit.
func limitOf(limit, n int) int {
	if limit <= 0 || limit > n {
		return n
	}
	return limit
}
