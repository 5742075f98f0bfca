package memstore

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

// ClaimIdempotencyKey stores a copy of rec (Done false, no response) unless
// a live record with its Scope and Key exists: one created after
// now-IdempotencyTTL that is Done or was created after now-IdempotencyLease.
// Then it returns a copy of that record and stores nothing; a record that
// is not live is replaced. (nil, nil) means rec was claimed. The store's
// write lock makes the check and the replacement one step.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error) {
	v := cloneIdempotency(rec)
	v.Done, v.Status, v.Header, v.Body = false, 0, nil, nil
	expiry := normTime(now.Add(-store.IdempotencyTTL))
	leaseEnd := normTime(now.Add(-store.IdempotencyLease))
	var existing *crm.IdempotencyRecord
	err := s.write(ctx, func(db *database, tx *txn) error {
		k := idemKey{v.Scope, v.Key}
		if old, ok := db.idempotency[k]; ok && old.CreatedAt.After(expiry) && (old.Done || old.CreatedAt.After(leaseEnd)) {
			existing = cloneIdempotency(old)
			return nil
		}
		set(tx, db.idempotency, k, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return existing, nil
}

// FinishIdempotencyKey stores the response of rec (Status, Header, Body) and
// its CustomerID on the record with its Scope and Key and marks it done;
// not_found when there is none or another claim holds it.
func (s *Store) FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	header, body := cloneBytes(rec.Header), cloneBytes(rec.Body)
	return s.write(ctx, func(db *database, tx *txn) error {
		k := idemKey{rec.Scope, rec.Key}
		old, ok := db.idempotency[k]
		if !ok || old.ClaimID != rec.ClaimID {
			return crm.NotFound("idempotency key")
		}
		v := cloneIdempotency(old)
		v.Done, v.Status, v.Header, v.Body, v.CustomerID = true, rec.Status, header, body, rec.CustomerID
		set(tx, db.idempotency, k, v)
		return nil
	})
}

// ReleaseIdempotencyKey deletes the record with rec's Scope and Key if
// rec.ClaimID still holds it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		k := idemKey{rec.Scope, rec.Key}
		if old, ok := db.idempotency[k]; ok && old.ClaimID == rec.ClaimID {
			del(tx, db.idempotency, k)
		}
		return nil
	})
}

// DeleteIdempotencyKeysOf deletes the records whose CustomerID is
// customerID (none when it is "").
func (s *Store) DeleteIdempotencyKeysOf(ctx context.Context, customerID string) error {
	if customerID == "" {
		return nil
	}
	return s.write(ctx, func(db *database, tx *txn) error {
		for k, v := range db.idempotency {
			if v.CustomerID == customerID {
				del(tx, db.idempotency, k)
			}
		}
		return nil
	})
}

// PurgeIdempotencyKeys deletes the records created strictly before cutoff
// and returns how many.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int, error) {
	cutoff = normTime(cutoff)
	n := 0
	err := s.write(ctx, func(db *database, tx *txn) error {
		for k, v := range db.idempotency {
			if v.CreatedAt.Before(cutoff) {
				del(tx, db.idempotency, k)
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
