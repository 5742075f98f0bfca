package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

// Idempotency keys are shared by every replica, so claiming one must be a
// single atomic statement: INSERT … ON CONFLICT DO UPDATE … WHERE not live
// either inserts the claim, takes over an expired record or an abandoned
// claim, or changes nothing because a live record exists. Row locks taken
// by the upsert serialize concurrent claims of the same key: a claim that
// waited re-checks the WHERE against the row the winner wrote, which is
// live, so exactly one of them sees its row returned.

const (
	claimIdempotencySQL = `INSERT INTO idempotency_keys AS k
		(scope, key, request_hash, claim_id, customer_id, done, status, header, body, created_at)
		VALUES ($1, $2, $3, $4, $5, false, 0, NULL, NULL, $6)
		ON CONFLICT (scope, key) DO UPDATE
		SET request_hash = EXCLUDED.request_hash, claim_id = EXCLUDED.claim_id,
		    customer_id = EXCLUDED.customer_id, done = false, status = 0,
		    header = NULL, body = NULL, created_at = EXCLUDED.created_at
		WHERE k.created_at <= $7 OR (NOT k.done AND k.created_at <= $8)
		RETURNING true`
	getIdempotencySQL = `SELECT request_hash, claim_id, customer_id, done, status, header, body, created_at
		FROM idempotency_keys WHERE scope = $1 AND key = $2`
	finishIdempotencySQL = `UPDATE idempotency_keys
		SET done = true, status = $4, header = $5, body = $6, customer_id = $7
		WHERE scope = $1 AND key = $2 AND claim_id = $3`
	releaseIdempotencySQL  = `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND claim_id = $3`
	deleteIdempotencyOfSQL = `DELETE FROM idempotency_keys WHERE customer_id = $1`
)

// maxClaimAttempts bounds the retries of ClaimIdempotencyKey when the
// record it collided with disappears (released) before it can be read.
const maxClaimAttempts = 5

// ClaimIdempotencyKey inserts rec (Done false, created at rec.CreatedAt)
// unless a live record with the same Scope and Key exists: one created
// after now-store.IdempotencyTTL that is done or was created after
// now-store.IdempotencyLease. Then it returns that record and changes
// nothing; a record that is not live is replaced. It returns (nil, nil) when
// rec was claimed. Safe across replicas.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error) {
	expiry, leaseEnd := ts(now.Add(-store.IdempotencyTTL)), ts(now.Add(-store.IdempotencyLease))
	h := s.use(ctx)
	defer h.release()
	for range maxClaimAttempts {
		var claimed bool
		err := h.q.QueryRowContext(ctx, claimIdempotencySQL, rec.Scope, rec.Key, rec.RequestHash,
			rec.ClaimID, rec.CustomerID, ts(rec.CreatedAt), expiry, leaseEnd).Scan(&claimed)
		if err == nil {
			return nil, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, s.mapErr(err, "claim idempotency key")
		}
		// A live record exists. Read it; in READ COMMITTED this statement
		// sees the record the upsert collided with, unless it was released
		// in between, in which case the claim is tried again.
		got, err := s.getIdempotency(ctx, h, rec.Scope, rec.Key)
		if err == nil {
			return got, nil
		}
		if crm.ErrorCode(err) != crm.CodeNotFound {
			return nil, err
		}
	}
	return nil, crm.Errorf(crm.CodeUnavailable, "the idempotency key is contended; retry")
}

func (s *Store) getIdempotency(ctx context.Context, h handle, scope, key string) (*crm.IdempotencyRecord, error) {
	r := crm.IdempotencyRecord{Scope: scope, Key: key}
	var status int64
	err := h.q.QueryRowContext(ctx, getIdempotencySQL, scope, key).
		Scan(&r.RequestHash, &r.ClaimID, &r.CustomerID, &r.Done, &status, &r.Header, &r.Body, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crm.NotFound("idempotency key")
	}
	if err != nil {
		return nil, s.mapErr(err, "get idempotency key")
	}
	r.Status = int(status)
	r.CreatedAt = r.CreatedAt.UTC()
	return &r, nil
}

// FinishIdempotencyKey stores the response of a claimed record (Done true)
// and its CustomerID; not_found when the record does not exist (released,
// purged or erased) or another claim holds it (taken over).
func (s *Store) FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "finish idempotency key", finishIdempotencySQL,
		rec.Scope, rec.Key, rec.ClaimID, rec.Status, rec.Header, rec.Body, rec.CustomerID)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.NotFound("idempotency key")
	}
	return nil
}

// ReleaseIdempotencyKey deletes a claim so the key can be used again,
// provided rec.ClaimID still holds it; a record that is gone or held by
// another claim is not an error.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	h := s.use(ctx)
	defer h.release()
	_, err := s.execCount(ctx, h, "release idempotency key", releaseIdempotencySQL, rec.Scope, rec.Key, rec.ClaimID)
	return err
}

// DeleteIdempotencyKeysOf deletes the records whose customer_id is
// customerID (none when it is "").
func (s *Store) DeleteIdempotencyKeysOf(ctx context.Context, customerID string) error {
	if customerID == "" {
		return nil
	}
	h := s.use(ctx)
	defer h.release()
	_, err := s.execCount(ctx, h, "delete idempotency keys of customer", deleteIdempotencyOfSQL, customerID)
	return err
}

// PurgeIdempotencyKeys deletes the records created strictly before cutoff
// (truncated to microseconds, as every stored time is) and returns how many.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, cutoff time.Time) (int, error) {
	h := s.use(ctx)
	defer h.release()
	res, err := h.idb.NewDelete().
		TableExpr("idempotency_keys").
		Where("created_at < ?", ts(cutoff)).
		Exec(ctx)
	if err != nil {
		return 0, s.mapErr(err, "purge idempotency keys")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.mapErr(err, "purge idempotency keys")
	}
	return int(n), nil
}
