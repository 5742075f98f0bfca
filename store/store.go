// Package store defines Store, the persistence every domain package needs in
// one interface, implemented by store/memstore (in process) and
// store/pgstore (PostgreSQL) and checked by the one conformance suite in
// store/storetest.
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/verify"
)

// Store is everything the domain packages and the HTTP API persist.
type Store interface {
	customer.Repository
	contact.Repository
	document.Repository
	analytics.Repository
	verify.Repository
	bulk.JobRepository
	bulk.MessageRepository
	Idempotency
	Outbox

	// RunInTx runs fn in one transaction: every write through s commits
	// when fn returns nil and none does when it returns an error (or
	// panics). Calls nested inside fn use savepoints.
	RunInTx(ctx context.Context, fn func(ctx context.Context, s Store) error) error
	// Ping reports whether the store is reachable (unavailable otherwise).
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyLease is how long an unfinished claim holds its key. A claim
// older than this was abandoned (its request could neither store its
// response nor release the key, for example because its process or its
// database connection died), and the next claim of the key takes it over.
const IdempotencyLease = time.Minute

// Idempotency keeps Idempotency-Key records shared by every server replica.
type Idempotency interface {
	// ClaimIdempotencyKey inserts rec (Done false, no response) unless a
	// live record with the same Scope and Key exists, in which case it
	// returns that record and inserts nothing. A record is live when it was
	// created after now-IdempotencyTTL and, while not Done, after
	// now-IdempotencyLease; rec replaces a record that is not, atomically:
	// of concurrent claims of one key, exactly one succeeds. It returns
	// (nil, nil) only when rec was claimed: the one documented exception to
	// "never (nil, nil)", since absence is the success case here.
	ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error)
	// FinishIdempotencyKey stores the response of rec (Status, Header,
	// Body) and its CustomerID on the record with rec's Scope and Key and
	// marks it Done, provided the record is still held by rec.ClaimID;
	// not_found otherwise (released, taken over, purged or erased).
	// Finishing again with the same rec stores the same response.
	FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error
	// ReleaseIdempotencyKey deletes the record with rec's Scope and Key
	// provided it is still held by rec.ClaimID, so the key can be used
	// again after a failure a retry may fix. A record that is gone or held
	// by another claim is left as it is, without error.
	ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error
	// DeleteIdempotencyKeysOf deletes every record, finished or not, whose
	// CustomerID is customerID, so no response about an erased customer is
	// replayed. An empty customerID deletes nothing.
	DeleteIdempotencyKeysOf(ctx context.Context, customerID string) error
	// PurgeIdempotencyKeys deletes records created before cutoff and returns
	// how many.
	PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int, error)
}

// Outbox reads the events written by the domain services, for relays that
// publish them to billing and network systems.
type Outbox interface {
	// ListEvents returns up to limit events with ids greater than afterID
	// ("" for the first), ordered by id.
	ListEvents(ctx context.Context, afterID string, limit int) ([]crm.Event, error)
	// RedactEvents reduces the payload of every event of the customer to
	// {"id", "customer_id"} (when the customer is erased: the outbox must
	// not keep personal data the customer asked to have removed).
	RedactEvents(ctx context.Context, customerID string) error
	// PruneEvents deletes the events that occurred before cutoff (relays
	// have long delivered them) and returns how many.
	PruneEvents(ctx context.Context, cutoff time.Time) (int, error)
}

// Tx adapts s to the transaction runner of a domain Service whose
// Repository is R: the Store bound to each transaction is handed to fn as
// its R. It panics when Store does not implement R, which only a
// programming error (a Repository that Store does not embed) can cause.
func Tx[R any](s Store) crm.TxFunc[R] {
	if _, ok := any(s).(R); !ok {
		panic(fmt.Sprintf("store.Tx: %T does not implement %T", s, (*R)(nil)))
	}
	return func(ctx context.Context, fn func(ctx context.Context, r R) error) error {
		return s.RunInTx(ctx, func(ctx context.Context, tx Store) error { return fn(ctx, any(tx).(R)) })
	}
}
