package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify"
)

// Verifications are keyed by (customer_id, id) like contacts; only the
// workers' queue (DueVerifications) reads across customers. The partial
// unique index verifications_open_identity_key keeps one open identity
// verification per customer; the writes check that rule in their own
// statement first, so a clash is "0 rows" (explained afterwards) instead
// of an error that would abort the caller's transaction: the insert's ON
// CONFLICT DO NOTHING covers the index, the update says NOT EXISTS. An
// update clashing with a row committed after its snapshot still hits the
// index, and openIdentityViolation reports it as the same conflict.

// openIdentityIndex is the name of the unique index behind the rule of one
// open identity verification per customer.
const openIdentityIndex = "verifications_open_identity_key"

const (
	// As insertContactSQL: a missing or deleted customer, a duplicate id
	// and a second open identity verification are all "0 rows".
	insertVerificationSQL = `INSERT INTO verifications (` + verificationColumns + `)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::jsonb, $7::timestamptz, $8::text,
			$9::integer, $10::integer, $11::text, $12::bigint, $13::timestamptz, $14::timestamptz
		WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::text AND deleted_at IS NULL)
		ON CONFLICT DO NOTHING`
	getVerificationSQL  = `SELECT ` + verificationColumns + ` FROM verifications WHERE customer_id = $1 AND id = $2`
	lockVerificationSQL = getVerificationSQL + ` FOR UPDATE`
	// The open statuses and the identity kind are verify.Status.Open and
	// verify.KindIdentity, as in the index's predicate.
	updateVerificationSQL = `UPDATE verifications SET
		kind = $3, subject = $4, status = $5, detail = $6, due_at = $7, claimed_by = $8,
		claims = $9, attempts = $10, last_error = $11, version = $12::bigint, created_at = $13, updated_at = $14
	WHERE customer_id = $2 AND id = $1 AND version = $12::bigint - 1
	  AND NOT ($3 = 'identity' AND $5 IN ('pending', 'in_progress') AND EXISTS (SELECT 1 FROM verifications o
		WHERE o.customer_id = $2 AND o.kind = 'identity' AND o.status IN ('pending', 'in_progress') AND o.id <> $1))`
	// The optional filters are written so one statement (one cached plan)
	// serves every combination.
	latestVerificationSQL = `SELECT ` + verificationColumns + ` FROM verifications
		WHERE customer_id = $1 AND kind = $2 AND ($3 = '' OR subject = $3) AND ($4 = '' OR status = $4)
		ORDER BY id DESC LIMIT 1`
	listVerificationsSQL = `SELECT ` + verificationColumns + ` FROM verifications
		WHERE customer_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3`
	dueVerificationsSQL = `SELECT ` + verificationColumns + ` FROM verifications
		WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2
		FOR UPDATE SKIP LOCKED`
	deleteVerificationsOfSQL = `DELETE FROM verifications WHERE customer_id = $1`
)

// CreateVerification inserts v. not_found when the customer is absent or
// deleted; conflict when the customer already has a verification with that
// id, or an open identity verification while v is one.
func (s *Store) CreateVerification(ctx context.Context, v *verify.Verification) error {
	return verifications.create(ctx, s, v)
}

// GetVerification returns a verification of the customer; not_found when
// it does not exist or belongs to another customer.
func (s *Store) GetVerification(ctx context.Context, customerID, id string) (*verify.Verification, error) {
	return getRecord[verify.Verification, verificationRow](ctx, s, "verification", getVerificationSQL, customerID, id)
}

// LockVerification is GetVerification holding the row (FOR UPDATE) until
// the enclosing transaction ends.
func (s *Store) LockVerification(ctx context.Context, customerID, id string) (*verify.Verification, error) {
	return getRecord[verify.Verification, verificationRow](ctx, s, "verification", lockVerificationSQL, customerID, id)
}

// UpdateVerification stores v over the row of v.CustomerID whose version
// is v.Version-1: not_found when the customer has no such verification,
// precondition_failed when the stored version differs, conflict when v
// would be a second open identity verification of the customer.
func (s *Store) UpdateVerification(ctx context.Context, v *verify.Verification) error {
	return openIdentityViolation(verifications.update(ctx, s, v))
}

// LatestVerification returns the customer's newest verification of kind
// with the subject and the status ("" for any); not_found when there is
// none.
func (s *Store) LatestVerification(ctx context.Context, customerID string, kind verify.Kind, subject string, status verify.Status) (*verify.Verification, error) {
	return getRecord[verify.Verification, verificationRow](ctx, s, "verification", latestVerificationSQL,
		customerID, string(kind), subject, string(status))
}

// ListVerifications returns up to limit (all when limit <= 0)
// verifications of the customer, newest first, strictly before beforeID
// ("" for the first page).
func (s *Store) ListVerifications(ctx context.Context, customerID, beforeID string, limit int) ([]verify.Verification, error) {
	return listRecords[verify.Verification, verificationRow](ctx, s, "list verifications", listVerificationsSQL,
		customerID, beforeID, limitArg(limit))
}

// DueVerifications returns up to limit (all when limit <= 0)
// verifications of any customer due at or before now, by due time then id.
// The rows are selected FOR UPDATE SKIP LOCKED: inside RunInTx they stay
// locked and rows another transaction holds are skipped, so two workers
// never claim the same verification.
func (s *Store) DueVerifications(ctx context.Context, now time.Time, limit int) ([]verify.Verification, error) {
	return listRecords[verify.Verification, verificationRow](ctx, s, "due verifications", dueVerificationsSQL,
		ts(now), limitArg(limit))
}

// DeleteVerificationsOf removes every verification of the customer.
func (s *Store) DeleteVerificationsOf(ctx context.Context, customerID string) error {
	return s.exec(ctx, "erase verifications", deleteVerificationsOfSQL, customerID)
}

// verifications is the verifications table, for the methods of child.go:
// only a live customer takes a new verification, and a write the statement
// refused otherwise would make a second open identity verification.
var verifications = childTable[verify.Verification, *verificationRow]{
	what: "verification", table: "verifications", liveCustomer: true,
	insertSQL: insertVerificationSQL, updateSQL: updateVerificationSQL,
	row:     verificationToRow,
	key:     func(v *verify.Verification) (string, string, int64) { return v.CustomerID, v.ID, v.Version },
	refused: func(*verify.Verification) error { return openIdentityConflict(nil) },
}

// openIdentityConflict is the conflict of a second open identity
// verification of a customer.
func openIdentityConflict(cause error) *crm.Error {
	e := verify.OpenIdentityConflict("")
	e.Err = cause
	return e
}

// openIdentityViolation reports a violation of the open identity rule by
// a row committed after an update's snapshot (SQLSTATE 23505 on the
// unique index verifications_open_identity_key) as the same conflict as
// one the statement saw; any other err is returned as it is.
func openIdentityViolation(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == openIdentityIndex {
		return openIdentityConflict(err)
	}
	return err
}

// verificationColumns are the columns of a verification, in the order of
// verificationRow.dest and verificationRow.values.
const verificationColumns = `id, customer_id, kind, subject, status, detail, due_at, claimed_by,
	claims, attempts, last_error, version, created_at, updated_at`

// verificationRow is one row of the verifications table.
type verificationRow struct {
	ID, CustomerID, Kind, Subject, Status string
	Detail                                []byte
	DueAt                                 sql.NullTime
	ClaimedBy                             string
	Claims, Attempts                      int
	LastError                             string
	Version                               int64
	CreatedAt, UpdatedAt                  time.Time
}

// verificationDetail is the detail column: the kind's own part, under its
// name.
type verificationDetail struct {
	Identity *verify.Identity     `json:"identity,omitempty"`
	Credit   *verify.CreditCheck  `json:"credit,omitempty"`
	Address  *verify.AddressCheck `json:"address,omitempty"`
}

// dest returns scan destinations in verificationColumns order.
func (r *verificationRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Kind, &r.Subject, &r.Status, &r.Detail, &r.DueAt, &r.ClaimedBy,
		&r.Claims, &r.Attempts, &r.LastError, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

// values returns query arguments in verificationColumns order.
func (r *verificationRow) values() []any {
	return []any{r.ID, r.CustomerID, r.Kind, r.Subject, r.Status, r.Detail, r.DueAt, r.ClaimedBy,
		r.Claims, r.Attempts, r.LastError, r.Version, r.CreatedAt, r.UpdatedAt}
}

// verificationToRow converts v for writing, every time in it as ts keeps
// it (the ones inside the detail too).
func verificationToRow(v *verify.Verification) (*verificationRow, error) {
	c := v.Clone()
	storedDetailTimes(c)
	raw, err := json.Marshal(verificationDetail{Identity: c.Identity, Credit: c.Credit, Address: c.Address})
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode verification %s: %w", v.ID, err)
	}
	return &verificationRow{
		ID: v.ID, CustomerID: v.CustomerID, Kind: string(v.Kind), Subject: v.Subject, Status: string(v.Status),
		Detail: raw, DueAt: nullTime(v.Job.DueAt), ClaimedBy: v.Job.ClaimedBy,
		Claims: v.Job.Claims, Attempts: v.Job.Attempts, LastError: v.Job.LastError,
		Version: v.Version, CreatedAt: ts(v.CreatedAt), UpdatedAt: ts(v.UpdatedAt),
	}, nil
}

// storedDetailTimes sets every time of v's kind-specific part to what ts
// keeps, as the columns' times are; v is a copy the caller owns.
func storedDetailTimes(v *verify.Verification) {
	if id := v.Identity; id != nil {
		id.EstimatedCompletion = ts(id.EstimatedCompletion)
		if r := id.Result; r != nil {
			r.CompletedAt = ts(r.CompletedAt)
			r.ExpiresAt = timePtr(nullTime(r.ExpiresAt))
		}
	}
	if cr := v.Credit; cr != nil {
		cr.CheckedAt = timePtr(nullTime(cr.CheckedAt))
	}
	if a := v.Address; a != nil {
		a.CheckedAt = ts(a.CheckedAt)
	}
}

// decode converts a scanned row.
func (r *verificationRow) decode() (*verify.Verification, error) {
	var d verificationDetail
	if err := json.Unmarshal(r.Detail, &d); err != nil {
		return nil, fmt.Errorf("pgstore: decode verification %s: %w", r.ID, err)
	}
	return &verify.Verification{
		ID: r.ID, CustomerID: r.CustomerID, Kind: verify.Kind(r.Kind), Subject: r.Subject,
		Status: verify.Status(r.Status), Identity: d.Identity, Credit: d.Credit, Address: d.Address,
		Job: verify.Job{DueAt: timePtr(r.DueAt), ClaimedBy: r.ClaimedBy, Claims: r.Claims,
			Attempts: r.Attempts, LastError: r.LastError},
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}, nil
}
