package memstore

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

// ClaimIdempotencyKey stores a copy of rec (Done false, no response) unless
// a record with its Scope and Key was created after now-IdempotencyTTL; then
// it returns a copy of that record and stores nothing. An expired record is
// replaced. (nil, nil) means rec was claimed.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error) {
	v := cloneIdempotency(rec)
	v.Done, v.Status, v.Header, v.Body = false, 0, nil, nil
	expiry := normTime(now.Add(-store.IdempotencyTTL))
	var existing *crm.IdempotencyRecord
	err := s.write(ctx, func(db *database, tx *txn) error {
		k := idemKey{v.Scope, v.Key}
		if old, ok := db.idempotency[k]; ok && old.CreatedAt.After(expiry) {
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

// FinishIdempotencyKey stores the response of rec (Status, Header, Body) on
// the record with its Scope and Key and marks it done; not_found when there
// is none.
func (s *Store) FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	header, body := cloneBytes(rec.Header), cloneBytes(rec.Body)
	return s.write(ctx, func(db *database, tx *txn) error {
		k := idemKey{rec.Scope, rec.Key}
		old, ok := db.idempotency[k]
		if !ok {
			return crm.NotFound("idempotency key")
		}
		v := cloneIdempotency(old)
		v.Done, v.Status, v.Header, v.Body = true, rec.Status, header, body
		set(tx, db.idempotency, k, v)
		return nil
	})
}

// ReleaseIdempotencyKey deletes the record, if any.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, scope, key string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		del(tx, db.idempotency, idemKey{scope, key})
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
