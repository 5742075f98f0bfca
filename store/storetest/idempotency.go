package storetest

import (
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
	check(t, "third claim", running, claim(t, s, "key_a", "k1", "hash-1", now.Add(time.Minute)))

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
	ok(t, "ReleaseIdempotencyKey", s.ReleaseIdempotencyKey(ctx, "key_a", "k1"))
	check(t, "claim after release", (*crm.IdempotencyRecord)(nil), claim(t, s, "key_a", "k1", "hash-2", at(time.Second)))
	check(t, "claim after claiming again",
		&crm.IdempotencyRecord{Scope: "key_a", Key: "k1", RequestHash: "hash-2", CreatedAt: at(time.Second)},
		claim(t, s, "key_a", "k1", "hash-3", at(2*time.Second)))
	check(t, "other scope is kept",
		&crm.IdempotencyRecord{Scope: "key_b", Key: "k1", RequestHash: "hash-1", CreatedAt: base},
		claim(t, s, "key_b", "k1", "hash-3", at(2*time.Second)))
	ok(t, "ReleaseIdempotencyKey of a missing key", s.ReleaseIdempotencyKey(ctx, "key_a", "never-claimed"))
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
	check(t, "key at cutoff is kept", &crm.IdempotencyRecord{Scope: "key_a", Key: "at cutoff", RequestHash: "h", CreatedAt: cutoff},
		claim(t, s, "key_a", "at cutoff", "h2", now))
	check(t, "newer key is kept", &crm.IdempotencyRecord{Scope: "key_a", Key: "new", RequestHash: "h", CreatedAt: cutoff.Add(time.Hour)},
		claim(t, s, "key_a", "new", "h2", now))
}
