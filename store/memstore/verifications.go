package memstore

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify"
)

// verificationRows describes verifications to their children table: a
// verification needs a customer that is not deleted, and keeps
// checkOpenIdentity.
var verificationRows = rows[verify.Verification]{name: "verification", clone: cloneVerification, parent: liveParent,
	check: (*database).checkOpenIdentity,
	key:   func(v *verify.Verification) (string, string, int64) { return v.ID, v.CustomerID, v.Version }}

// CreateVerification inserts a copy of v. not_found when the customer is
// absent or deleted; conflict when the id exists or when v would be a
// second open identity verification of the customer.
func (s *Store) CreateVerification(ctx context.Context, v *verify.Verification) error {
	return s.db.verifications.create(ctx, s, v)
}

// GetVerification returns a copy of a verification of the customer;
// not_found when it does not exist or belongs to another customer.
func (s *Store) GetVerification(ctx context.Context, customerID, id string) (*verify.Verification, error) {
	return s.db.verifications.get(ctx, s, customerID, id)
}

// LockVerification is GetVerification: transactions run one at a time, so
// what a transaction read stays as it is until it ends.
func (s *Store) LockVerification(ctx context.Context, customerID, id string) (*verify.Verification, error) {
	return s.GetVerification(ctx, customerID, id)
}

// UpdateVerification stores a copy of v over the row of v.CustomerID whose
// version is v.Version-1: not_found when the customer has no such
// verification, precondition_failed on another version, conflict when v
// would be a second open identity verification of the customer.
func (s *Store) UpdateVerification(ctx context.Context, v *verify.Verification) error {
	return s.db.verifications.update(ctx, s, v)
}

// LatestVerification returns a copy of the customer's newest verification
// of kind with the subject and the status ("" for any); not_found when
// there is none.
func (s *Store) LatestVerification(ctx context.Context, customerID string, kind verify.Kind, subject string, status verify.Status) (*verify.Verification, error) {
	all, err := s.db.verifications.stored(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	var latest *verify.Verification
	for _, v := range all {
		if v.Kind == kind && (subject == "" || v.Subject == subject) && (status == "" || v.Status == status) &&
			(latest == nil || v.ID > latest.ID) {
			latest = v
		}
	}
	if latest == nil {
		return nil, crm.NotFound("verification")
	}
	return cloneVerification(latest), nil
}

// ListVerifications returns copies of up to limit (all when limit <= 0)
// verifications of the customer, newest first, strictly before beforeID
// ("" for the first page).
func (s *Store) ListVerifications(ctx context.Context, customerID, beforeID string, limit int) ([]verify.Verification, error) {
	all, err := s.db.verifications.stored(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	page := all[:0]
	for _, v := range all {
		if beforeID == "" || v.ID < beforeID {
			page = append(page, v)
		}
	}
	return s.db.verifications.sortedBy(page, limit, func(a, b *verify.Verification) int {
		return strings.Compare(b.ID, a.ID)
	}), nil
}

// DueVerifications returns copies of up to limit (all when limit <= 0)
// verifications of any customer whose Job.DueAt is at or before now, by
// due time then id. Transactions run one at a time, so no row can be held
// by another one.
func (s *Store) DueVerifications(ctx context.Context, now time.Time, limit int) ([]verify.Verification, error) {
	now = normTime(now)
	var due []*verify.Verification
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.verifications.byID {
			if v.Job.DueAt != nil && !v.Job.DueAt.After(now) {
				due = append(due, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.db.verifications.sortedBy(due, limit, func(a, b *verify.Verification) int {
		return cmp.Or(a.Job.DueAt.Compare(*b.Job.DueAt), strings.Compare(a.ID, b.ID))
	}), nil
}

// DeleteVerificationsOf removes every verification of the customer.
func (s *Store) DeleteVerificationsOf(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		db.verifications.removeAll(tx, customerID)
		return nil
	})
}

// checkOpenIdentity is the rule Postgres keeps with a partial unique
// index: at most one open identity verification per customer.
func (db *database) checkOpenIdentity(v *verify.Verification) error {
	if v.Kind != verify.KindIdentity || !v.Status.Open() {
		return nil
	}
	for _, o := range db.verifications.of(v.CustomerID) {
		if o.ID != v.ID && o.Kind == verify.KindIdentity && o.Status.Open() {
			return verify.OpenIdentityConflict("")
		}
	}
	return nil
}

// cloneVerification copies v (Verification.Clone) with every time as
// Postgres keeps it.
func cloneVerification(v *verify.Verification) *verify.Verification {
	c := v.Clone()
	c.CreatedAt, c.UpdatedAt = normTime(c.CreatedAt), normTime(c.UpdatedAt)
	c.Job.DueAt = cloneTime(c.Job.DueAt)
	if id := c.Identity; id != nil {
		id.EstimatedCompletion = normTime(id.EstimatedCompletion)
		if r := id.Result; r != nil {
			r.CompletedAt = normTime(r.CompletedAt)
			r.ExpiresAt = cloneTime(r.ExpiresAt)
		}
	}
	if cr := c.Credit; cr != nil {
		cr.CheckedAt = cloneTime(cr.CheckedAt)
	}
	if a := c.Address; a != nil {
		a.CheckedAt = normTime(a.CheckedAt)
	}
	return c
}
