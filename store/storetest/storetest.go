// Package storetest is the conformance suite every store.Store must pass, so
// the in-memory and the Postgres store behave the same (in the style of
// go-cloud's drivertest). A store's test file is one function:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
//	}
//
// The suite relies only on the documented semantics of store.Store,
// customer.Repository and contact.Repository. Where those leave a choice open, the resolution is
// written next to the test that pins it.
package storetest

import (
	"testing"

	"github.com/ispstack/crm/store"
)

// Run runs the conformance suite against the stores newStore returns.
//
// newStore must return a new, empty store each time: every subtest makes its
// own and subtests run in parallel. Run never closes a store; newStore
// should register that with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Customers", customerTests},
		{"Filters", filterTests},
		{"Sorting", sortTests},
		{"StatusHistory", historyTests},
		{"Subscriptions", subscriptionTests},
		{"Contacts", contactTests},
		{"Documents", documentTests},
		{"Verifications", verificationTests},
		{"Analytics", analyticsTests},
		{"AnalyticsBilling", figureTests},
		{"SupportHistory", supportTests},
		{"UsageHistory", usageTests},
		{"AnalyticsProfiles", profileTests},
		{"AnalyticsSweeps", sweepTests},
		{"AnalyticsLists", analyticsListTests},
		{"Segments", segmentTests},
		{"Jobs", jobTests},
		{"Messages", messageTests},
		{"AnalyticsFacts", factTests},
		{"Audit", auditTests},
		{"Outbox", outboxTests},
		{"Erasure", eraseTests},
		{"Idempotency", idempotencyTests},
		{"Transactions", txTests},
		{"Concurrency", concurrencyTests},
		{"Aliasing", aliasTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, newStore)
				})
			}
		})
	}
}

// test is one conformance test; it makes its own stores with newStore.
type test struct {
	name string
	run  func(t *testing.T, newStore newStoreFunc)
}

// newStoreFunc is the newStore argument of Run.
type newStoreFunc = func(t *testing.T) store.Store
