package pgstore_test

import (
	"context"
	"testing"

	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/pgstore"
	"github.com/ispstack/crm/store/storetest"
)

// TestConformance runs the store conformance suite, each subtest on its own
// freshly migrated database (see internal/pgtest for where it comes from).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := pgstore.Open(context.Background(), pgtest.DSN(t), pgstore.Options{MaxOpenConns: 8})
		if err != nil {
			t.Fatalf("pgstore.Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
