package httpapi_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ispstack/crm/httpapi"
)

// BenchmarkCustomerGet measures the API's hot path, GET of one customer
// with its default includes, over the memory store: the handler's own CPU
// and allocations, without network I/O. Run with -benchmem.
func BenchmarkCustomerGet(b *testing.B) {
	// The access log is formatted as in production but written nowhere:
	// the tests' log buffer would grow for the whole run and dominate.
	e := newEnv(b, func(c *httpapi.Config) { c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil)) })
	c := e.createCustomer(nil)
	e.do(req{method: "POST", path: "/api/v1/customers/" + c.ID + "/services", key: agentKey, body: serviceBody(nil)})
	r := httptest.NewRequest(http.MethodGet, "/api/v1/customers/"+c.ID, nil)
	r.Header.Set("Authorization", "Bearer "+viewerKey)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkCustomerCreate measures POST /api/v1/customers over the memory
// store: validation, the insert with its status history, audit entry and
// event, and whatever the customer's watchers do in the transaction.
func BenchmarkCustomerCreate(b *testing.B) {
	e := newEnv(b, func(c *httpapi.Config) { c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil)) })
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := customerBody(map[string]any{"email": fmt.Sprintf("b%d@example.com", i), "phone": fmt.Sprintf("+1212%03d%04d", 200+i/10000%800, i%10000)})
		e.do(req{method: "POST", path: "/api/v1/customers", key: agentKey, body: body}).want(b, 201)
	}
}
