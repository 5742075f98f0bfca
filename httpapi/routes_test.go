package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/httpapi"
)

// concrete turns a route pattern into a path that matches it.
func concrete(pattern string) string {
	r := strings.NewReplacer(":service_id", "0195f0a0-0000-7000-8000-000000000002", ":contact_id", "0195f0a0-0000-7000-8000-000000000003",
		":document_id", "0195f0a0-0000-7000-8000-000000000004", ":segment_id", "0195f0a0-0000-7000-8000-000000000005",
		":verification_id", "0195f0a0-0000-7000-8000-000000000006", ":job_id", "0195f0a0-0000-7000-8000-000000000007",
		":id", "0195f0a0-0000-7000-8000-000000000001")
	return r.Replace(pattern)
}

// specified are the routes of the issues (2, 3, 9, …) and API.md.
var specified = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /api/v1/openapi.json",
	"GET /api/v1/customers",
	"POST /api/v1/customers",
	"GET /api/v1/customers/:id",
	"PUT /api/v1/customers/:id",
	"PATCH /api/v1/customers/:id",
	"DELETE /api/v1/customers/:id",
	"POST /api/v1/customers/:id/suspend",
	"POST /api/v1/customers/:id/reactivate",
	"GET /api/v1/customers/:id/status-history",
	"GET /api/v1/customers/:id/audit",
	"GET /api/v1/customers/:id/services",
	"POST /api/v1/customers/:id/services",
	"GET /api/v1/customers/:id/services/:service_id",
	"PATCH /api/v1/customers/:id/services/:service_id",
	"GET /api/v1/customers/:id/contacts",
	"POST /api/v1/customers/:id/contacts",
	"GET /api/v1/customers/:id/contacts/:contact_id",
	"PUT /api/v1/customers/:id/contacts/:contact_id",
	"PATCH /api/v1/customers/:id/contacts/:contact_id",
	"DELETE /api/v1/customers/:id/contacts/:contact_id",
	"GET /api/v1/customers/:id/documents",
	"POST /api/v1/customers/:id/documents",
	"GET /api/v1/customers/:id/documents/:document_id",
	"PATCH /api/v1/customers/:id/documents/:document_id",
	"DELETE /api/v1/customers/:id/documents/:document_id",
	"GET /api/v1/customers/:id/documents/:document_id/content",
	"GET /api/v1/customers/:id/invoices",
	"POST /api/v1/customers/:id/invoices",
	"POST /api/v1/customers/:id/payments",
	"POST /api/v1/customers/:id/usage",
	"POST /api/v1/customers/:id/tickets",
	"GET /api/v1/customers/:id/support-history",
	"GET /api/v1/customers/:id/payment-history",
	"GET /api/v1/customers/:id/usage-history",
	"GET /api/v1/customers/:id/churn-risk",
	"GET /api/v1/customers/:id/lifetime-value",
	"GET /api/v1/customers/high-value",
	"GET /api/v1/customers/at-risk",
	"GET /api/v1/customers/segments",
	"POST /api/v1/customers/segments",
	"GET /api/v1/customers/segments/:segment_id",
	"PATCH /api/v1/customers/segments/:segment_id",
	"DELETE /api/v1/customers/segments/:segment_id",
	"POST /api/v1/customers/:id/verify-identity",
	"GET /api/v1/customers/:id/verifications/:verification_id",
	"POST /api/v1/customers/:id/verifications/:verification_id/review",
	"POST /api/v1/customers/:id/credit-check",
	"POST /api/v1/customers/:id/address-verify",
	"GET /api/v1/customers/:id/verification-status",
	"GET /api/v1/customers/export",
	"POST /api/v1/customers/bulk-import",
	"POST /api/v1/customers/bulk-update",
	"POST /api/v1/customers/bulk-communication",
	"GET /api/v1/jobs",
	"GET /api/v1/jobs/:job_id",
	"GET /api/v1/jobs/:job_id/errors",
	"GET /api/v1/jobs/:job_id/messages",
	"POST /api/v1/jobs/:job_id/cancel",
}

// TestRoutesResolve checks that the route table is the specified set and
// that every route resolves to its own handler.
func TestRoutesResolve(t *testing.T) {
	got := httpapi.RouteKeys()
	want := slices.Clone(specified)
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("route table (-want +got):\n%s", diff)
	}
	h := httpapi.NewStubHandler(testKeys(t))
	for _, rt := range specified {
		t.Run(rt, func(t *testing.T) {
			method, pattern, _ := strings.Cut(rt, " ")
			r := serve(t, h, req{method: method, path: concrete(pattern), key: adminKey})
			if got := r.header.Get("X-Route"); got != rt {
				t.Errorf("resolved to %q (status %d)", got, r.status)
			}
		})
	}
}

// TestReservedNames checks the dispatch of API.md's routing note: the
// collection-level names never reach the :id routes; a name without a
// handler is 404 (not implemented yet) for every method, a name with
// routes answers the others with 405 and a path below it that no route
// serves with a plain 404.
func TestReservedNames(t *testing.T) {
	h := httpapi.NewStubHandler(testKeys(t))
	served := map[string]bool{}
	for _, rt := range specified {
		_, pattern, _ := strings.Cut(rt, " ")
		if rest, ok := strings.CutPrefix(pattern, "/api/v1/customers/"); ok {
			name, _, _ := strings.Cut(rest, "/")
			served[name] = true
		}
	}
	for _, name := range httpapi.ReservedNames {
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			t.Run(method+" "+name, func(t *testing.T) {
				for _, path := range []string{"/api/v1/customers/" + name, "/api/v1/customers/" + name + "/x/y"} {
					r := serve(t, h, req{method: method, path: path, key: adminKey})
					if served[name] && path == "/api/v1/customers/"+name {
						if got := r.header.Get("X-Route"); got != "" && !strings.HasSuffix(got, " /api/v1/customers/"+name) {
							t.Errorf("%s %s resolved to %q", method, path, got)
						}
						if r.status != 200 && r.status != 405 {
							t.Errorf("%s %s: status %d, want its route or 405", method, path, r.status)
						}
						continue
					}
					r.want(t, 404)
					p := r.problem(t)
					if p.Code != "not_found" || served[name] == strings.Contains(p.Detail, "not implemented yet") {
						t.Errorf("%s: problem = %+v", path, p)
					}
				}
			})
		}
	}

	r := serve(t, h, req{method: "DELETE", path: "/api/v1/customers/export", key: adminKey}).want(t, 405)
	if got := r.header.Get("Allow"); got != "GET, OPTIONS" {
		t.Errorf("Allow = %q", got)
	}
	r.problem(t)
}

// TestUnknownPathsAndMethods checks the JSON 404 and 405 (with Allow).
func TestUnknownPathsAndMethods(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/api/v1", "/api/v1/customers/", "/API/V1/CUSTOMERS", "/api/v2/customers", "/api/v1/customers/x/y/z"} {
		t.Run("404 "+path, func(t *testing.T) {
			p := e.do(req{method: "GET", path: path, key: adminKey}).want(t, 404).problem(t)
			if p.Code != "not_found" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}
	tests := []struct {
		method, path, allow string
	}{
		{"PUT", "/api/v1/customers", "GET, OPTIONS, POST"},
		{"DELETE", "/api/v1/customers", "GET, OPTIONS, POST"},
		{"POST", "/api/v1/customers/0195f0a0-0000-7000-8000-000000000001", "DELETE, GET, OPTIONS, PATCH, PUT"},
		{"GET", "/api/v1/customers/0195f0a0-0000-7000-8000-000000000001/suspend", "OPTIONS, POST"},
		{"DELETE", "/api/v1/customers/0195f0a0-0000-7000-8000-000000000001/services/0195f0a0-0000-7000-8000-000000000002", "GET, OPTIONS, PATCH"},
		{"POST", "/api/v1/customers/0195f0a0-0000-7000-8000-000000000001/contacts/0195f0a0-0000-7000-8000-000000000003", "DELETE, GET, OPTIONS, PATCH, PUT"},
		{"POST", "/healthz", "GET, OPTIONS"},
	}
	for _, tt := range tests {
		t.Run("405 "+tt.method+" "+tt.path, func(t *testing.T) {
			r := e.do(req{method: tt.method, path: tt.path, key: adminKey}).want(t, 405)
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			if p := r.problem(t); p.Code != "method_not_allowed" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}
}
