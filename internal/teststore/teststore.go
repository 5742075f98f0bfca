// Package teststore opens the stores that store-backed tests run on: a
// feature that works only on the memory store is not done, so tests run
// the same checks on store/memstore and on store/pgstore.
//
// The Postgres database comes from internal/pgtest: one of its own per
// test, skipped locally without a server and failed when CI is set.
package teststore

import (
	"context"
	"testing"

	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/store/pgstore"
)

// Kind is a kind of store the tests run on.
type Kind struct {
	Name string                         // the subtest name: "memstore" or "pgstore"
	Open func(t testing.TB) store.Store // a fresh, empty store, closed when t ends
}

// Kinds are the stores store-backed tests run on.
var Kinds = []Kind{
	{"memstore", Memory},
	{"pgstore", Postgres},
}

// Memory returns a fresh, empty memory store.
func Memory(testing.TB) store.Store { return memstore.New() }

// Postgres returns a store over a fresh, migrated database of t's own (see
// pgtest.DSN), closed when t ends, before its database is dropped.
func Postgres(t testing.TB) store.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), pgtest.DSN(t), pgstore.Options{})
	if err != nil {
		t.Fatalf("pgstore.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ForEach runs fn as the parallel subtests "memstore" and "pgstore"; open
// returns a fresh, empty store of the subtest's kind on each call.
func ForEach(t *testing.T, fn func(t *testing.T, open func(t testing.TB) store.Store)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, k.Open)
		})
	}
}

// Run runs fn as ForEach does, with one fresh, empty store per subtest.
func Run(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	ForEach(t, func(t *testing.T, open func(t testing.TB) store.Store) {
		fn(t, open(t))
	})
}
