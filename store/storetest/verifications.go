package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
	"github.com/ispstack/crm/verify/address"
)

// verifications is the verification to the cases every customer's record
// shares. Its records are completed, so several of one customer never
// clash on the rule of one open identity verification; the list is the
// customer's history, newest first.
var verifications = child[verify.Verification]{
	name: "Verification",
	new: func(t testing.TB, customerID string) *verify.Verification {
		return newVerification(t, customerID, verify.KindIdentity)
	},
	vary: func(v *verify.Verification, i int) {
		kinds := []verify.Kind{verify.KindIdentity, verify.KindCredit, verify.KindAddress}
		withKind(v, kinds[i%len(kinds)])
	},
	change: func(v *verify.Verification) {
		v.Status, v.Subject = verify.StatusFailed, "changed"
		v.Job = verify.Job{DueAt: nil, ClaimedBy: "", Claims: 5, Attempts: 9, LastError: verify.CodeUnavailable}
		id := v.Identity
		id.Method, id.Level, id.ThirdParty = verify.MethodManualReview, verify.LevelComprehensive, ""
		id.Documents, id.RequiredActions, id.Findings = nil, []string{}, nil
		id.EstimatedCompletion, id.ProviderReference = at(9*time.Hour), ""
		id.Result = &verify.IdentityOutcome{Decision: verify.DecisionRejected,
			Reasons: []verify.Reason{{Code: verify.CodeUnavailable, Description: "gave up"}}, CompletedAt: at(9 * time.Hour)}
		v.CreatedAt, v.UpdatedAt = at(time.Minute), at(9*time.Hour)
	},
	scribble:     scribbleVerification,
	key:          func(v *verify.Verification) (*string, *string, *int64) { return &v.ID, &v.CustomerID, &v.Version },
	liveCustomer: true,
	create:       store.Store.CreateVerification,
	get:          store.Store.GetVerification,
	update:       store.Store.UpdateVerification,
	list:         store.Store.ListVerifications,
	newestFirst:  true,
}

var verificationTests = append(verifications.tests(),
	test{"RoundTrip", testVerificationRoundTrip},
	test{"StoredTimes", testVerificationStoredTimes},
	test{"KindsAliasing", testVerificationAliasing},
	test{"OpenIdentity", testOpenIdentity},
	test{"OpenIdentityRace", testOpenIdentityRace},
	test{"Latest", testLatestVerification},
	test{"Lock", testLockVerification},
	test{"Due", testDueVerifications},
	test{"DueSkipsLocked", testDueSkipsLocked},
	test{"DueDrainedOnce", testDueDrainedOnce},
	test{"Rollback", testVerificationRollback},
)

// newVerification returns a completed verification of kind with every
// field of that kind set, the Job's too (which the store does not judge).
func newVerification(t testing.TB, customerID string, kind verify.Kind) *verify.Verification {
	v := &verify.Verification{
		ID: newID(t), CustomerID: customerID, Status: verify.StatusCompleted,
		Job:     verify.Job{DueAt: ptr(at(time.Hour)), ClaimedBy: "claim-" + newID(t), Claims: 2, Attempts: 3, LastError: verify.CodeTimeout},
		Version: 1, CreatedAt: base, UpdatedAt: at(3 * time.Hour),
	}
	return withKind(v, kind)
}

// withKind makes v a verification of kind, the kind's part with every
// field set and the others nil, and returns it.
func withKind(v *verify.Verification, kind verify.Kind) *verify.Verification {
	v.Kind, v.Identity, v.Credit, v.Address = kind, nil, nil, nil
	switch kind {
	case verify.KindIdentity:
		v.Subject = ""
		v.Identity = &verify.Identity{
			Method: verify.MethodThirdPartyService, Level: verify.LevelEnhanced, ThirdParty: verify.ThirdPartyExperian,
			Documents: []verify.Document{
				{Type: verify.DocumentPassport, ID: v.ID + "-passport"},
				{Type: verify.DocumentUtilityBill, ID: v.ID + "-bill"},
			},
			EstimatedCompletion: at(2 * time.Hour),
			RequiredActions:     []string{verify.ActionManualReview},
			ProviderReference:   "exp-Ünïcode-1",
			Findings:            []verify.Reason{{Code: "name_mismatch", Description: "Name differs \"slightly\"\nsee file"}},
			Result: &verify.IdentityOutcome{
				Decision:          verify.DecisionApproved,
				Reasons:           []verify.Reason{{Code: "verified", Description: "Identity confirmed"}},
				CompletedAt:       at(3 * time.Hour),
				ProviderReference: "exp-Ünïcode-1",
				ReviewedBy:        "key_0123456789ab",
				Notes:             "Called back; O'Brien confirmed.",
				ExpiresAt:         ptr(at(365 * 24 * time.Hour)),
			},
		}
	case verify.KindCredit:
		v.Subject = string(verify.CheckHard)
		report := verify.NewCreditReport("eq-42", verify.BureauEquifax, verify.CheckHard, ptr(712),
			[]verify.Reason{{Code: "utilization", Description: "High utilization"}, {Code: "age", Description: "Short history"}})
		v.Credit = &verify.CreditCheck{
			Bureau: verify.BureauEquifax, CheckType: verify.CheckHard, Purpose: verify.PurposeAccountOpening,
			Forced: true, Report: &report, CheckedAt: ptr(at(time.Minute)),
		}
	case verify.KindAddress:
		v.Subject = verify.AddressService
		v.Address = &verify.AddressCheck{
			AddressType: verify.AddressService,
			Input:       address.Address{Street: "1600 main st", Unit: "apt 4", City: "Denvr", State: "co", PostalCode: "80202", Country: "US"},
			Result: address.Result{
				Valid:       true,
				Normalized:  address.Address{Street: "1600 MAIN ST", Unit: "APT 4", City: "DENVER", State: "CO", PostalCode: "80202", Country: "US"},
				Coordinates: &address.Coordinates{Latitude: 39.7525931, Longitude: -104.9995158, Precision: address.PrecisionStreet},
				Confidence:  0.8,
				Messages:    []address.Message{{Code: address.CodeCityCorrected, Field: "city", Message: "Denvr was corrected to DENVER"}},
			},
			Applied:   true,
			CheckedAt: at(time.Minute),
		}
	}
	return v
}

// scribbleVerification changes every part of v that a shallow copy would
// share with the store, of whichever kind v is.
func scribbleVerification(v *verify.Verification) {
	v.Status = "scribbled"
	if v.Job.DueAt != nil {
		*v.Job.DueAt = time.Time{}
	}
	if id := v.Identity; id != nil {
		id.Level = "scribbled"
		id.Documents[0].ID = "scribbled"
		id.RequiredActions[0] = "scribbled"
		id.Findings[0].Code = "scribbled"
		id.Result.Reasons[0].Description = "scribbled"
		*id.Result.ExpiresAt = time.Time{}
	}
	if cr := v.Credit; cr != nil {
		cr.Bureau = "scribbled"
		*cr.CheckedAt = time.Time{}
		*cr.Report.Score = 1
		cr.Report.Factors[0].Code = "scribbled"
	}
	if a := v.Address; a != nil {
		a.Input.City = "scribbled"
		a.Result.Coordinates.Latitude = -1
		a.Result.Messages[0].Field = "scribbled"
	}
}

// createVerifications stores verifications, failing the test on any error.
func createVerifications(t *testing.T, s store.Store, vs ...*verify.Verification) {
	t.Helper()
	verifications.mustCreate(t, s, vs...)
}

// Every kind, open or decided, comes back as it was stored.
func testVerificationRoundTrip(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	mk := func(kind verify.Kind, edit func(v *verify.Verification)) *verify.Verification {
		v := newVerification(t, c.ID, kind)
		edit(v)
		return v
	}
	for _, tc := range []struct {
		name string
		v    *verify.Verification
	}{
		{"identity approved", mk(verify.KindIdentity, func(*verify.Verification) {})},
		{"identity pending", mk(verify.KindIdentity, func(v *verify.Verification) {
			v.Status, v.Job = verify.StatusPending, verify.Job{DueAt: ptr(base)}
			v.Identity.Method, v.Identity.ThirdParty = verify.MethodDocumentUpload, ""
			v.Identity.RequiredActions, v.Identity.ProviderReference, v.Identity.Findings, v.Identity.Result = []string{}, "", nil, nil
		})},
		{"identity rejected", mk(verify.KindIdentity, func(v *verify.Verification) {
			v.Identity.Result.Decision, v.Identity.Result.ExpiresAt = verify.DecisionRejected, nil
			v.Identity.Result.ReviewedBy, v.Identity.Result.Notes = "", ""
		})},
		{"credit scored", mk(verify.KindCredit, func(*verify.Verification) {})},
		{"credit thin file", mk(verify.KindCredit, func(v *verify.Verification) {
			report := verify.NewCreditReport("tu-7", verify.BureauTransUnion, verify.CheckSoft, nil, nil)
			v.Subject, v.Credit.Bureau, v.Credit.CheckType = string(verify.CheckSoft), verify.BureauTransUnion, verify.CheckSoft
			v.Credit.Purpose, v.Credit.Forced, v.Credit.Report = "", false, &report
		})},
		{"credit pending", mk(verify.KindCredit, func(v *verify.Verification) {
			v.Status, v.Job = verify.StatusInProgress, verify.Job{DueAt: ptr(at(time.Minute)), ClaimedBy: "c1", Claims: 1}
			v.Credit.Report, v.Credit.CheckedAt = nil, nil
		})},
		{"credit failed", mk(verify.KindCredit, func(v *verify.Verification) {
			v.Status, v.Credit.Report = verify.StatusFailed, nil
			v.Credit.Failure = &verify.Reason{Code: verify.CodeFileFrozen, Description: "The consumer froze the file"}
		})},
		{"address with coordinates", mk(verify.KindAddress, func(*verify.Verification) {})},
		{"address invalid", mk(verify.KindAddress, func(v *verify.Verification) {
			v.Subject, v.Address.AddressType, v.Address.Applied = "", "", false
			v.Address.Result = address.Result{Messages: []address.Message{
				{Code: address.CodeRequired, Field: "street", Message: "street is required"},
				{Code: address.CodeUnknownPostalCode, Field: "postal_code", Message: "no such ZIP"},
			}}
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := deepCopy(tc.v)
			createVerifications(t, s, tc.v)
			check(t, "GetVerification", want, verifications.mustGet(t, s, c.ID, tc.v.ID))
		})
	}
}

// Every time, the kind's own ones included, is kept as Postgres keeps it:
// UTC, to the microsecond.
func testVerificationStoredTimes(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	zone := time.FixedZone("UTC-7", -7*3600)
	skew := func(t time.Time) time.Time { return t.Add(999 * time.Nanosecond).In(zone) }
	skewPtr := func(t *time.Time) *time.Time { return ptr(skew(*t)) }
	for _, kind := range []verify.Kind{verify.KindIdentity, verify.KindCredit, verify.KindAddress} {
		t.Run(string(kind), func(t *testing.T) {
			v := newVerification(t, c.ID, kind)
			want := deepCopy(v)
			v.CreatedAt, v.UpdatedAt, v.Job.DueAt = skew(v.CreatedAt), skew(v.UpdatedAt), skewPtr(v.Job.DueAt)
			switch kind {
			case verify.KindIdentity:
				r := v.Identity.Result
				v.Identity.EstimatedCompletion = skew(v.Identity.EstimatedCompletion)
				r.CompletedAt, r.ExpiresAt = skew(r.CompletedAt), skewPtr(r.ExpiresAt)
			case verify.KindCredit:
				v.Credit.CheckedAt = skewPtr(v.Credit.CheckedAt)
			case verify.KindAddress:
				v.Address.CheckedAt = skew(v.Address.CheckedAt)
			}
			createVerifications(t, s, v)
			check(t, "GetVerification", want, verifications.mustGet(t, s, c.ID, v.ID))
		})
	}
}

// No value of any kind that goes in or comes out, from any read, shares
// memory with what is stored.
func testVerificationAliasing(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	var want []verify.Verification
	for _, kind := range []verify.Kind{verify.KindIdentity, verify.KindCredit, verify.KindAddress} {
		in := newVerification(t, c.ID, kind)
		want = append(want, *deepCopy(in))
		createVerifications(t, s, in)
		scribbleVerification(in)
	}
	want = verifications.sorted(want)
	stored := func(what string) {
		t.Helper()
		got, err := s.ListVerifications(ctx, c.ID, "", 0)
		ok(t, "ListVerifications", err)
		check(t, what, want, got)
	}
	stored("after changing the inputs")

	for _, v := range want {
		got := verifications.mustGet(t, s, c.ID, v.ID)
		scribbleVerification(got)
		latest, err := s.LatestVerification(ctx, c.ID, v.Kind, "", "")
		ok(t, "LatestVerification", err)
		scribbleVerification(latest)
		err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
			locked, err := tx.LockVerification(ctx, c.ID, v.ID)
			if err == nil {
				scribbleVerification(locked)
			}
			return err
		})
		ok(t, "RunInTx(LockVerification)", err)
	}
	stored("after changing what Get, Latest and Lock returned")

	for _, read := range []func() ([]verify.Verification, error){
		func() ([]verify.Verification, error) { return s.ListVerifications(ctx, c.ID, "", 0) },
		func() ([]verify.Verification, error) { return s.DueVerifications(ctx, at(time.Hour), 0) },
	} {
		rows, err := read()
		ok(t, "read", err)
		check(t, "rows", len(want), len(rows))
		for i := range rows {
			scribbleVerification(&rows[i])
		}
	}
	stored("after changing what List and Due returned")
}

// At most one identity verification of a customer is open: creating or
// reopening a second is a conflict that changes nothing, while a closed
// one, another kind or another customer's does not count.
func testOpenIdentity(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	open := func(customerID string, status verify.Status) *verify.Verification {
		v := newVerification(t, customerID, verify.KindIdentity)
		v.Status, v.Identity.Result = status, nil
		return v
	}
	first := open(a.ID, verify.StatusPending)
	createVerifications(t, s, first)
	for _, status := range []verify.Status{verify.StatusPending, verify.StatusInProgress} {
		v := open(a.ID, status)
		wantCode(t, "CreateVerification of a second open identity ("+string(status)+")", s.CreateVerification(ctx, v), crm.CodeConflict)
		_, err := s.GetVerification(ctx, a.ID, v.ID)
		wantCode(t, "GetVerification of the refused one", err, crm.CodeNotFound)
	}
	credit := newVerification(t, a.ID, verify.KindCredit)
	credit.Status = verify.StatusPending
	createVerifications(t, s, credit, open(b.ID, verify.StatusPending), open(a.ID, verify.StatusCompleted))

	// Inside a transaction, a refused create leaves the transaction usable.
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		wantCode(t, "CreateVerification in a transaction", tx.CreateVerification(ctx, open(a.ID, verify.StatusPending)), crm.CodeConflict)
		_, err := tx.GetVerification(ctx, a.ID, first.ID)
		return err
	})
	ok(t, "RunInTx after a refused create", err)

	// The open one may change and stay open.
	first.Status, first.Version = verify.StatusInProgress, 2
	ok(t, "UpdateVerification of the open one", s.UpdateVerification(ctx, first))

	// Once it is closed, another may open, and the closed one cannot reopen.
	for _, status := range []verify.Status{verify.StatusCompleted, verify.StatusFailed} {
		first.Status, first.Version = status, first.Version+1
		ok(t, "UpdateVerification closing it", s.UpdateVerification(ctx, first))
		next := open(a.ID, verify.StatusPending)
		createVerifications(t, s, next)

		reopened := deepCopy(first)
		reopened.Status, reopened.Version = verify.StatusPending, first.Version+1
		wantCode(t, "UpdateVerification reopening a closed one", s.UpdateVerification(ctx, reopened), crm.CodeConflict)
		check(t, "closed one after a refused reopening", first, verifications.mustGet(t, s, a.ID, first.ID))

		// next becomes the one to close in the next round.
		first = next
	}
}

// Of concurrent creates of an open identity verification for one
// customer, or concurrent reopenings of closed ones, exactly one wins.
func testOpenIdentityRace(t *testing.T, newStore newStoreFunc) {
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		// write stores v open: as a new verification, or over v stored
		// closed.
		write func(s store.Store, v *verify.Verification) error
	}{
		{"create", func(s store.Store, v *verify.Verification) error { return s.CreateVerification(ctx, v) }},
		{"reopen", func(s store.Store, v *verify.Verification) error { return s.UpdateVerification(ctx, v) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := oneCustomer(t, newStore)
			vs := make([]*verify.Verification, writers)
			for i := range vs {
				vs[i] = newVerification(t, c.ID, verify.KindIdentity)
				if tc.name == "reopen" {
					createVerifications(t, s, vs[i])
					vs[i].Version++
				}
				vs[i].Status, vs[i].Identity.Result = verify.StatusPending, nil
			}
			errs := parallel(func(i int) error {
				if i%2 == 0 {
					return tc.write(s, vs[i])
				}
				return s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error { return tc.write(tx, vs[i]) })
			})
			winners := 0
			for i, err := range errs {
				if err == nil {
					winners++
					continue
				}
				wantCode(t, fmt.Sprintf("writer %d", i), err, crm.CodeConflict)
			}
			check(t, "winners", 1, winners)
			open, err := s.LatestVerification(ctx, c.ID, verify.KindIdentity, "", verify.StatusPending)
			ok(t, "LatestVerification", err)
			rows, err := s.ListVerifications(ctx, c.ID, "", 0)
			ok(t, "ListVerifications", err)
			for _, v := range rows {
				if v.Status.Open() && v.ID != open.ID {
					t.Errorf("verification %s is open besides %s", v.ID, open.ID)
				}
			}
		})
	}
}

// The latest verification is the newest by id of the kind, narrowed by
// subject and status where they are not "".
func testLatestVerification(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	ids := newIDs(t, 8)
	mk := func(i int, kind verify.Kind, subject string, status verify.Status) *verify.Verification {
		v := newVerification(t, a.ID, kind)
		v.ID, v.Subject, v.Status = ids[i], subject, status
		return v
	}
	identityDone := mk(0, verify.KindIdentity, "", verify.StatusCompleted)
	softDone := mk(1, verify.KindCredit, "soft", verify.StatusCompleted)
	hardFailed := mk(2, verify.KindCredit, "hard", verify.StatusFailed)
	identityFailed := mk(3, verify.KindIdentity, "", verify.StatusFailed)
	softPending := mk(4, verify.KindCredit, "soft", verify.StatusPending)
	billing := mk(5, verify.KindAddress, verify.AddressBilling, verify.StatusCompleted)
	given := mk(6, verify.KindAddress, "", verify.StatusCompleted)
	othersNewest := mk(7, verify.KindCredit, "soft", verify.StatusCompleted)
	othersNewest.CustomerID = b.ID
	// Created out of id order: the newest is the greatest id, not the last
	// written.
	createVerifications(t, s, othersNewest, given, softPending, identityFailed, billing, identityDone, hardFailed, softDone)

	for _, tc := range []struct {
		name       string
		customerID string
		kind       verify.Kind
		subject    string
		status     verify.Status
		want       *verify.Verification // nil: not_found
	}{
		{"identity", a.ID, verify.KindIdentity, "", "", identityFailed},
		{"identity completed", a.ID, verify.KindIdentity, "", verify.StatusCompleted, identityDone},
		{"identity pending", a.ID, verify.KindIdentity, "", verify.StatusPending, nil},
		{"credit", a.ID, verify.KindCredit, "", "", softPending},
		{"credit completed", a.ID, verify.KindCredit, "", verify.StatusCompleted, softDone},
		{"soft credit completed", a.ID, verify.KindCredit, "soft", verify.StatusCompleted, softDone},
		{"hard credit", a.ID, verify.KindCredit, "hard", "", hardFailed},
		{"hard credit completed", a.ID, verify.KindCredit, "hard", verify.StatusCompleted, nil},
		{"address", a.ID, verify.KindAddress, "", "", given},
		{"billing address", a.ID, verify.KindAddress, verify.AddressBilling, "", billing},
		{"service address", a.ID, verify.KindAddress, verify.AddressService, "", nil},
		{"other customer", b.ID, verify.KindCredit, "soft", "", othersNewest},
		{"other customer's identity", b.ID, verify.KindIdentity, "", "", nil},
		{"unknown customer", newID(t), verify.KindCredit, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.LatestVerification(ctx, tc.customerID, tc.kind, tc.subject, tc.status)
			if tc.want == nil {
				wantCode(t, "LatestVerification", err, crm.CodeNotFound)
				return
			}
			ok(t, "LatestVerification", err)
			check(t, "LatestVerification", tc.want, got)
		})
	}
}

// LockVerification is GetVerification that holds the row until the
// transaction ends, so concurrent read-modify-write transactions lose no
// update.
func testLockVerification(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	v := newVerification(t, a.ID, verify.KindCredit)
	v.Job.Attempts = 0
	createVerifications(t, s, v)
	for _, tc := range []struct{ name, customerID, id string }{
		{"missing", a.ID, newID(t)},
		{"other customer's", b.ID, v.ID},
	} {
		err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
			_, err := tx.LockVerification(ctx, tc.customerID, tc.id)
			return err
		})
		wantCode(t, "LockVerification of a "+tc.name+" verification", err, crm.CodeNotFound)
	}

	const each = 5
	errs := parallel(func(int) error {
		for range each {
			err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
				cur, err := tx.LockVerification(ctx, a.ID, v.ID)
				if err != nil {
					return err
				}
				cur.Job.Attempts++
				cur.Version++
				return tx.UpdateVerification(ctx, cur)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		ok(t, fmt.Sprintf("writer %d", i), err)
	}
	got := verifications.mustGet(t, s, a.ID, v.ID)
	check(t, "attempts", writers*each, got.Job.Attempts)
	check(t, "version", v.Version+writers*each, got.Version)
}

// dueAt returns a pending verification of the customer due at due (nil:
// none).
func dueAt(t testing.TB, customerID string, id string, due *time.Time) *verify.Verification {
	v := newVerification(t, customerID, verify.KindCredit)
	v.ID, v.Status, v.Job = id, verify.StatusPending, verify.Job{DueAt: due}
	v.Credit.Report, v.Credit.CheckedAt = nil, nil
	return v
}

func testDueVerifications(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	now := at(24 * time.Hour)
	ids := newIDs(t, 6)
	// The ties on DueAt get ids in the order opposite to their creation.
	tieB := dueAt(t, a.ID, ids[1], ptr(now.Add(-time.Hour)))
	tieA := dueAt(t, b.ID, ids[0], ptr(now.Add(-time.Hour)))
	oldest := dueAt(t, a.ID, ids[5], ptr(now.Add(-48*time.Hour)))
	exactlyNow := dueAt(t, b.ID, ids[2], ptr(now))
	later := dueAt(t, a.ID, ids[3], ptr(now.Add(time.Microsecond)))
	none := dueAt(t, a.ID, ids[4], nil)
	createVerifications(t, s, tieB, tieA, oldest, exactlyNow, later, none)

	all := []verify.Verification{*oldest, *tieA, *tieB, *exactlyNow}
	dueInOrder(t, s, verificationQueue, now, all, *later)
}

// claimDue is what a worker does with the rows DueVerifications gave it:
// takes each over with a lease that ends after now, in the transaction
// that selected it.
func claimDue(ctx context.Context, tx store.Store, rows []verify.Verification, worker string, now time.Time) error {
	for i := range rows {
		v := rows[i]
		v.Job.DueAt, v.Job.ClaimedBy, v.Job.Claims = ptr(now.Add(time.Hour)), worker, v.Job.Claims+1
		v.Status, v.Version = verify.StatusInProgress, v.Version+1
		if err := tx.UpdateVerification(ctx, &v); err != nil {
			return err
		}
	}
	return nil
}

// verificationQueue is the verifications as the claim tests drive them.
var verificationQueue = claimQueue[verify.Verification]{
	due: func(ctx context.Context, tx store.Store, now time.Time, limit int) ([]verify.Verification, error) {
		return tx.DueVerifications(ctx, now, limit)
	},
	claim: claimDue,
	id:    func(v verify.Verification) string { return v.ID },
}

// Two transactions that select due verifications at once get different
// ones (see skipsLocked).
func testDueSkipsLocked(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	now := at(24 * time.Hour)
	ids := newIDs(t, 4)
	for i, id := range ids {
		createVerifications(t, s, dueAt(t, c.ID, id, ptr(now.Add(time.Duration(i-10)*time.Minute))))
	}
	skipsLocked(t, s, verificationQueue, now, ids)
}

// Workers draining the queue at once each claim what they select: every
// due verification is claimed exactly once, and no claim fails.
func testDueDrainedOnce(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	now := at(24 * time.Hour)
	const n = 30
	var want []string
	for i := range n {
		owner := a.ID
		if i%2 == 1 {
			owner = b.ID
		}
		v := dueAt(t, owner, newID(t), ptr(now.Add(-time.Duration(i%5)*time.Minute)))
		createVerifications(t, s, v)
		want = append(want, v.ID)
	}
	drainedOnce(t, s, verificationQueue, now, want)
}

// A failing transaction leaves no verification it created or changed.
func testVerificationRollback(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	kept := newVerification(t, c.ID, verify.KindCredit)
	createVerifications(t, s, kept)
	added := newVerification(t, c.ID, verify.KindIdentity)
	added.Status, added.Identity.Result = verify.StatusPending, nil
	boom := errors.New("boom")
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateVerification in tx", tx.CreateVerification(ctx, added))
		u := *kept
		u.Status, u.Version = verify.StatusFailed, 2
		ok(t, "UpdateVerification in tx", tx.UpdateVerification(ctx, &u))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("RunInTx = %v, want boom", err)
	}
	check(t, "kept verification after rollback", kept, verifications.mustGet(t, s, c.ID, kept.ID))
	_, err = s.GetVerification(ctx, c.ID, added.ID)
	wantCode(t, "GetVerification of a rolled-back verification", err, crm.CodeNotFound)
	// The rolled-back open identity verification holds no place.
	again := deepCopy(added)
	again.ID = newID(t)
	createVerifications(t, s, again)
}
