package memstore_test

import (
	"testing"

	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/store/storetest"
)

// TestConformance runs the store conformance suite against a new memstore
// per subtest.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
}
