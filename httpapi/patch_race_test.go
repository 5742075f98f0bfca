package httpapi_test

import (
	"fmt"
	"sync"
	"testing"
)

// Concurrent PATCHes without If-Match all apply: the merge happens under
// the lock of the write, so no client gets a 412 it did not ask for, and
// every patch bumps the version once.
func TestConcurrentPatchWithoutIfMatch(t *testing.T) {
	const writers = 50
	runOnStores(t, func(t *testing.T, e *env) {
		c := e.createCustomer(nil)
		sub := e.addService(c.ID, nil)
		con := e.addContact(c.ID, nil)
		for _, tc := range []struct {
			name, path string
			body       func(i int) map[string]any
		}{
			{"customer", "/api/v1/customers/" + c.ID, func(i int) map[string]any { return map[string]any{"notes": fmt.Sprintf("note %d", i)} }},
			{"service", "/api/v1/customers/" + c.ID + "/services/" + sub, func(i int) map[string]any { return map[string]any{"bandwidth_down_mbps": 100 + i} }},
			{"contact", contactsPath(c.ID) + "/" + con, func(i int) map[string]any { return map[string]any{"title": fmt.Sprintf("Title %d", i)} }},
		} {
			statuses := make([]int, writers)
			var wg sync.WaitGroup
			for i := range writers {
				wg.Go(func() {
					statuses[i] = serve(t, e.h, req{method: "PATCH", path: tc.path, key: agentKey, body: tc.body(i)}).status
				})
			}
			wg.Wait()
			for i, s := range statuses {
				if s != 200 {
					t.Errorf("%s PATCH %d without If-Match: status %d, want 200", tc.name, i, s)
				}
			}
			var got struct {
				Version int `json:"version"`
			}
			e.do(req{method: "GET", path: tc.path, key: viewerKey}).want(t, 200).decode(t, &got)
			if got.Version != 1+writers {
				t.Errorf("%s version after %d patches = %d, want %d", tc.name, writers, got.Version, 1+writers)
			}
		}
	})
}
