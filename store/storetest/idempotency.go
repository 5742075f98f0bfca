package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

var idempotencyTests = []test{
	{"ClaimFinishReplay", testIdempotencyReplay},
	{"Release", testIdempotencyRelease},
	{"Expiry", testIdempotencyExpiry},
	{"Purge", testIdempotencyPurge},
	{"Lease", testIdempotencyLease},
	{"ConcurrentTakeover", testIdempotencyConcurrentTakeover},
	{"ClaimHolds", testIdempotencyClaimHolds},
	{"DeleteOfCustomer", testIdempotencyDeleteOf},
}

// claim claims (scope, key) at now with hash and returns what
// ClaimIdempotencyKey returned: nil when the claim succeeded.
func claim(t *testing.T, s store.Store, scope, key, hash string, now time.Time) *crm.IdempotencyRecord {
	t.Helper()
	rec := &crm.IdempotencyRecord{Scope: scope, Key: key, RequestHash: hash, CreatedAt: now}
	got, err := s.ClaimIdempotencyKey(t.Context(), rec, now)
	ok(t, "ClaimIdempotencyKey", err)
	return got
}

func testIdempotencyReplay(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	now := base

	check(t, "first claim", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-1", now))
	running := &crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-1", CreatedAt: now}
	// A retry while the first request runs sees the claim, whatever its
	// own hash, and does not replace it.
	check(t, "second claim", running, claim(t, s, "key_a", "k1", "hash-2", now.Add(time.Second)))
	check(t, "third claim", running, claim(t, s, "key_a", "k1", "hash-1", now.Add(store.IdempotencyLease-time.Second)))

	// Keys are scoped by caller.
	check(t, "same key, other scope", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_b", "k1", "hash-9", now))
	check(t, "other key, same scope", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k2", "hash-8", now))

	finished := &crm.IdempotencyRecord{
		Scope: "key_a", Key: "k1", RequestHash: "hash-1", Done: true, Status: 201,
		Header:    []byte(`{"Content-Type": ["application/json"], "Location": ["/api/v1/customers/1"]}`),
		Body:      []byte("{\"id\":\"1\"}\n\x00\xff"),
		CreatedAt: now,
	}
	ok(t, "FinishIdempotencyKey", s.FinishIdempotencyKey(ctx, finished))
	check(t, "claim after finish", finished, claim(t, s, "key_a", "k1", "hash-1", now.Add(time.Hour)))

	// The other records are untouched.
	check(t, "other scope after finish", &crm.IdempotencyRecord{Scope: "key_b", Key: "k1", RequestHash: "hash-9", CreatedAt: now},
		claim(t, s, "key_b", "k1", "hash-1", now))
	check(t, "other key after finish", &crm.IdempotencyRecord{Scope: "key_a", Key: "k2", RequestHash: "hash-8", CreatedAt: now},
		claim(t, s, "key_a", "k2", "hash-1", now))
}

func testIdempotencyRelease(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	check(t, "claim", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-1", base))
	check(t, "claim other scope", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_b", "k1", "hash-1", base))
	ok(t, "ReleaseIdempotencyKey", s.ReleaseIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "key_a", Key: "k1"}))
	check(t, "claim after release", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-2", at(time.Second)))
	check(t, "claim after claiming again",
		&crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-2", CreatedAt: at(time.Second)},
		claim(t, s, "key_a", "k1", "hash-3", at(2*time.Second)))
	check(t, "other scope is kept",
		&crm.IdempotencyRecord{Scope: "key_b", Key: "k1", RequestHash: "hash-1", CreatedAt: base},
		claim(t, s, "key_b", "k1", "hash-3", at(2*time.Second)))
	ok(t, "ReleaseIdempotencyKey of a missing key", s.ReleaseIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "key_a", Key: "never-claimed"}))
}

// A record older than IdempotencyTTL counts as absent: a claim replaces it.
func testIdempotencyExpiry(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	check(t, "claim", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-1", base))
	ok(t, "FinishIdempotencyKey", s.FinishIdempotencyKey(ctx, &crm.IdempotencyRecord{
		Scope: "key_a", Key: "k1", Done: true, Status: 200, Header: []byte(`{}`), Body: []byte("ok"),
	}))
	old := &crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-1", Done: true, Status: 200,
		Header: []byte(`{}`), Body: []byte("ok"), CreatedAt: base}

	justAlive := base.Add(store.IdempotencyTTL - time.Microsecond)
	check(t, "claim just before expiry", old, claim(t, s, "key_a", "k1", "hash-2", justAlive))

	expired := base.Add(store.IdempotencyTTL)
	check(t, "claim at expiry", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-2", expired))
	check(t, "claim after the new claim",
		&crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-2", CreatedAt: expired},
		claim(t, s, "key_a", "k1", "hash-3", expired.Add(time.Second)))
}

func testIdempotencyPurge(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	cutoff := base
	for _, r := range []struct {
		key     string
		created time.Time
	}{
		{"oldest", cutoff.Add(-2 * time.Hour)},
		{"old", cutoff.Add(-time.Microsecond)},
		{"at cutoff", cutoff},
		{"new", cutoff.Add(time.Hour)},
	} {
		check(t, "claim "+r.key, (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", r.key, "h", r.created))
		// Finished, so that only their age counts (not a claim's lease).
		ok(t, "FinishIdempotencyKey "+r.key, s.FinishIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "key_a", Key: r.key, Done: true, Status: 200}))
	}
	n, err := s.PurgeIdempotencyKeys(ctx, cutoff)
	ok(t, "PurgeIdempotencyKeys", err)
	check(t, "purged", 2, n)
	n, err = s.PurgeIdempotencyKeys(ctx, cutoff)
	ok(t, "PurgeIdempotencyKeys again", err)
	check(t, "purged again", 0, n)

	// Claims are checked at a now when every record would still be alive,
	// so only purging can make them absent.
	now := cutoff.Add(time.Hour)
	check(t, "purged key is free", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "oldest", "h2", now))
	check(t, "purged key is free", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "old", "h2", now))
	check(t, "key at cutoff is kept", &crm.IdempotencyRecord{Scope: "key_a", Key: "at cutoff", RequestHash: "h", Done: true, Status: 200, CreatedAt: cutoff},
		claim(t, s, "key_a", "at cutoff", "h2", now))
	check(t, "newer key is kept", &crm.IdempotencyRecord{Scope: "key_a", Key: "new", RequestHash: "h", Done: true, Status: 200, CreatedAt: cutoff.Add(time.Hour)},
		claim(t, s, "key_a", "new", "h2", now))
}

// claimRec claims rec at now and returns what ClaimIdempotencyKey returned:
// nil when the claim succeeded.
func claimRec(t *testing.T, s store.Store, rec crm.IdempotencyRecord, now time.Time) *crm.IdempotencyRecord {
	t.Helper()
	got, err := s.ClaimIdempotencyKey(t.Context(), &rec, now)
	ok(t, "ClaimIdempotencyKey", err)
	return got
}

// An unfinished claim holds its key for IdempotencyLease; after that the
// next claim takes it over. A finished record is replayed until its TTL,
// whatever the lease.
func testIdempotencyLease(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	first := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-1", ClaimID: "claim-1", CustomerID: "c1", CreatedAt: base}
	check(t, "claim", (*crm.IdempotencyRecord)(nil), claimRec(t, s, first, base))

	retry := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-1", ClaimID: "claim-2"}
	fresh := base.Add(store.IdempotencyLease - time.Microsecond)
	retry.CreatedAt = fresh
	check(t, "claim within the lease", &first, claimRec(t, s, retry, fresh))

	stale := base.Add(store.IdempotencyLease)
	retry.CreatedAt = stale
	check(t, "claim at the end of the lease", (*crm.IdempotencyRecord)(nil), claimRec(t, s, retry, stale))
	third := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-1", ClaimID: "claim-3", CreatedAt: stale.Add(time.Second)}
	check(t, "claim after the takeover", &retry, claimRec(t, s, third, stale.Add(time.Second)))

	// The lease runs from the takeover: the new claim holds the key for a
	// whole lease again, and once finished it is replayed beyond it.
	finished := retry
	finished.Done, finished.Status, finished.Header, finished.Body = true, 201, []byte(`{}`), []byte("created")
	ok(t, "FinishIdempotencyKey", s.FinishIdempotencyKey(ctx, &finished))
	for _, d := range []time.Duration{store.IdempotencyLease, store.IdempotencyTTL - time.Microsecond} {
		third.CreatedAt = stale.Add(d)
		check(t, "claim of a finished record, "+d.String()+" after it", &finished, claimRec(t, s, third, stale.Add(d)))
	}
}

// Of concurrent claims that each would take a stale claim over, exactly one
// does; every other one sees the winner's claim.
func testIdempotencyConcurrentTakeover(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	check(t, "claim", (*crm.IdempotencyRecord)(nil),
		claimRec(t, s, crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: "abandoned", CreatedAt: base}, base))
	now := base.Add(store.IdempotencyLease)
	got := make([]*crm.IdempotencyRecord, writers)
	errs := parallel(func(i int) error {
		var err error
		rec := &crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: fmt.Sprintf("retry-%d", i), CreatedAt: now}
		got[i], err = s.ClaimIdempotencyKey(t.Context(), rec, now)
		return err
	})
	var winners []int
	for i, err := range errs {
		ok(t, fmt.Sprintf("ClaimIdempotencyKey %d", i), err)
		if got[i] == nil {
			winners = append(winners, i)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("%d claims won (%v), want exactly 1", len(winners), winners)
	}
	want := &crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: fmt.Sprintf("retry-%d", winners[0]), CreatedAt: now}
	for i, rec := range got {
		if i != winners[0] {
			check(t, fmt.Sprintf("claim %d sees the winner", i), want, rec)
		}
	}
}

// Only the claim that holds a record finishes or releases it: a request
// whose claim was taken over cannot overwrite or free its successor's.
func testIdempotencyClaimHolds(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	old := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: "old", CreatedAt: base}
	check(t, "claim", (*crm.IdempotencyRecord)(nil), claimRec(t, s, old, base))
	now := base.Add(store.IdempotencyLease)
	holder := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: "new", CreatedAt: now}
	check(t, "takeover", (*crm.IdempotencyRecord)(nil), claimRec(t, s, holder, now))

	late := old
	late.Done, late.Status, late.Body = true, 201, []byte("late")
	wantCode(t, "FinishIdempotencyKey by the old claim", s.FinishIdempotencyKey(ctx, &late), crm.CodeNotFound)
	ok(t, "ReleaseIdempotencyKey by the old claim", s.ReleaseIdempotencyKey(ctx, &old))
	probe := crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "h", ClaimID: "probe", CreatedAt: now}
	check(t, "record after the old claim's finish and release", &holder, claimRec(t, s, probe, now))

	done := holder
	done.Done, done.Status, done.Header, done.Body = true, 200, []byte(`{}`), []byte("ok")
	ok(t, "FinishIdempotencyKey", s.FinishIdempotencyKey(ctx, &done))
	ok(t, "FinishIdempotencyKey again", s.FinishIdempotencyKey(ctx, &done))
	check(t, "record after finishing twice", &done, claimRec(t, s, probe, now))

	gone := crm.IdempotencyRecord{Scope: "key_a", Key: "never-claimed", ClaimID: "x", Status: 200}
	wantCode(t, "FinishIdempotencyKey of a missing key", s.FinishIdempotencyKey(ctx, &gone), crm.CodeNotFound)
}

// DeleteIdempotencyKeysOf drops every record of one customer, finished or
// not and in every scope, and nothing else. Finishing a record stores its
// CustomerID (a create learns its customer only from the response).
func testIdempotencyDeleteOf(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	recs := []crm.IdempotencyRecord{
		{Scope: "key_a", Key: "create", RequestHash: "h", ClaimID: "c1"},                    // finished below as customer c1's create
		{Scope: "key_a", Key: "suspend", RequestHash: "h", ClaimID: "c2", CustomerID: "c1"}, // finished
		{Scope: "key_b", Key: "contact", RequestHash: "h", ClaimID: "c3", CustomerID: "c1"}, // still running
		{Scope: "key_a", Key: "other", RequestHash: "h", ClaimID: "c4", CustomerID: "c2"},
		{Scope: "key_a", Key: "none", RequestHash: "h", ClaimID: "c5"},
	}
	for i := range recs {
		recs[i].CreatedAt = base
		check(t, "claim "+recs[i].Key, (*crm.IdempotencyRecord)(nil), claimRec(t, s, recs[i], base))
	}
	for _, i := range []int{0, 1, 3} {
		recs[i].Done, recs[i].Status, recs[i].Header, recs[i].Body = true, 201, []byte(`{}`), []byte("body")
		if i == 0 {
			recs[i].CustomerID = "c1"
		}
		ok(t, "FinishIdempotencyKey "+recs[i].Key, s.FinishIdempotencyKey(ctx, &recs[i]))
	}
	ok(t, "DeleteIdempotencyKeysOf(\"\")", s.DeleteIdempotencyKeysOf(ctx, ""))
	ok(t, "DeleteIdempotencyKeysOf(c1)", s.DeleteIdempotencyKeysOf(ctx, "c1"))
	ok(t, "DeleteIdempotencyKeysOf(unknown)", s.DeleteIdempotencyKeysOf(ctx, "unknown"))
	for i, rec := range recs {
		probe := rec
		probe.ClaimID, probe.CustomerID, probe.Done, probe.Status, probe.Header, probe.Body = "probe", "", false, 0, nil, nil
		want := &recs[i]
		if rec.CustomerID == "c1" {
			want = nil
		}
		check(t, "claim "+rec.Key+" after deleting c1's records", want, claimRec(t, s, probe, base))
	}
}
