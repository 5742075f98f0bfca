package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ispstack/crm/httpapi"
)

// TestIfMatch covers the preconditions of PUT, PATCH, DELETE and the
// actions: stale, weak and malformed tags are 412 and change nothing; "*"
// and lists that hold the current version pass.
func TestIfMatch(t *testing.T) { runOnStores(t, testIfMatch) }

func testIfMatch(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	version := func() int64 {
		t.Helper()
		var got created
		e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200).decode(t, &got)
		return got.Version
	}
	put := customerBody(map[string]any{"notes": "x"})
	tests := []struct {
		name, method, path, ifMatch string
		body                        any
		status                      int
	}{
		{"PUT stale", "PUT", cp, `"7"`, put, 412},
		{"PUT weak", "PUT", cp, `W/"1"`, put, 412},
		{"PUT malformed", "PUT", cp, `1`, put, 412},
		{"PUT garbage tag", "PUT", cp, `"abc"`, put, 412},
		{"PUT list without current", "PUT", cp, `"5", "6"`, put, 412},
		{"PATCH stale", "PATCH", cp, `"9"`, `{"notes":"y"}`, 412},
		{"PATCH malformed", "PATCH", cp, `*,`, `{"notes":"y"}`, 412},
		{"DELETE stale", "DELETE", cp, `"9"`, nil, 412},
		{"suspend stale", "POST", cp + "/suspend", `"9"`, `{"reason":"fraud"}`, 412},
		{"reactivate stale", "POST", cp + "/reactivate", `"9"`, nil, 412},
		{"PUT star", "PUT", cp, `*`, put, 200},
		{"PUT list with current", "PUT", cp, `"9", "2"`, customerBody(map[string]any{"notes": "z"}), 200},
		{"PATCH current", "PATCH", cp, `"3"`, `{"notes":"w"}`, 200},
		{"suspend current", "POST", cp + "/suspend", `"4"`, `{"reason":"fraud"}`, 200},
		{"reactivate star", "POST", cp + "/reactivate", `*`, nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := version()
			r := e.do(req{method: tt.method, path: tt.path, key: adminKey, body: tt.body, header: map[string]string{"If-Match": tt.ifMatch}}).want(t, tt.status)
			after := version()
			if tt.status == 412 {
				if p := r.problem(t); p.Code != "precondition_failed" {
					t.Errorf("code = %q", p.Code)
				}
				if after != before {
					t.Errorf("version %d -> %d after a 412", before, after)
				}
				return
			}
			if got, want := r.header.Get("ETag"), fmt.Sprintf("%q", fmt.Sprint(after)); got != want {
				t.Errorf("ETag = %s, want %s", got, want)
			}
		})
	}
	e.do(req{method: "DELETE", path: cp, key: adminKey, header: map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version())}}).want(t, 204)
}

// TestNotFoundAndConflicts covers the 404s and 409s of the issue.
func TestNotFoundAndConflicts(t *testing.T) { runOnStores(t, testNotFoundAndConflicts) }

func testNotFoundAndConflicts(t *testing.T, e *env) {
	a := e.createCustomer(nil)
	b := e.createCustomer(map[string]any{"email": "b@example.com", "phone": "+12125550150"})
	sa := e.addService(a.ID, nil)
	unknown := "0195f0a0-0000-7000-8000-0000000000ff"

	notFound := []req{
		{method: "GET", path: "/api/v1/customers/" + unknown},
		{method: "GET", path: "/api/v1/customers/not-a-uuid"},
		{method: "GET", path: "/api/v1/customers/" + unknown + "/services"},
		{method: "GET", path: "/api/v1/customers/" + unknown + "/status-history"},
		{method: "GET", path: "/api/v1/customers/" + unknown + "/audit"},
		{method: "GET", path: "/api/v1/customers/" + b.ID + "/services/" + sa}, // service of another customer
		{method: "PATCH", path: "/api/v1/customers/" + b.ID + "/services/" + sa, body: `{"plan_name":"x"}`},
		{method: "GET", path: "/api/v1/customers/" + a.ID + "/services/" + unknown},
		{method: "PUT", path: "/api/v1/customers/" + unknown, body: customerBody(map[string]any{"email": "c@example.com", "phone": "+12125550151"})},
		{method: "PATCH", path: "/api/v1/customers/" + unknown, body: `{}`},
		{method: "DELETE", path: "/api/v1/customers/" + unknown},
		{method: "POST", path: "/api/v1/customers/" + unknown + "/suspend", body: `{"reason":"fraud"}`},
		{method: "POST", path: "/api/v1/customers/" + unknown + "/reactivate"},
		{method: "POST", path: "/api/v1/customers/" + unknown + "/services", body: serviceBody(nil)},
	}
	for _, r := range notFound {
		t.Run("404 "+r.method+" "+r.path, func(t *testing.T) {
			r.key = adminKey
			if p := e.do(r).want(t, 404).problem(t); p.Code != "not_found" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}

	conflicts := []struct {
		name string
		r    req
	}{
		{"duplicate email", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"phone": "+12125550160"})}},
		{"duplicate email, other case of domain", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"email": "ada@EXAMPLE.com", "phone": "+12125550160"})}},
		{"duplicate phone", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"email": "new@example.com", "phone": "(212) 555-0142"})}},
		{"PUT takes another's email", req{method: "PUT", path: "/api/v1/customers/" + b.ID, body: customerBody(map[string]any{"phone": "+12125550150"})}},
		{"PATCH takes another's phone", req{method: "PATCH", path: "/api/v1/customers/" + b.ID, body: `{"phone":"+12125550142"}`}},
		{"reactivate an active customer", req{method: "POST", path: "/api/v1/customers/" + a.ID + "/reactivate"}},
		{"delete with an active service", req{method: "DELETE", path: "/api/v1/customers/" + a.ID}},
		{"delete with force=false", req{method: "DELETE", path: "/api/v1/customers/" + a.ID + "?force=false"}},
	}
	for _, tt := range conflicts {
		t.Run("409 "+tt.name, func(t *testing.T) {
			tt.r.key = adminKey
			if p := e.do(tt.r).want(t, 409).problem(t); p.Code != "conflict" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + a.ID + "?force=yes", key: adminKey}).want(t, 400)

	// A cancelled service cannot come back; a suspended customer's service
	// cannot be activated.
	sp := "/api/v1/customers/" + a.ID + "/services/" + sa
	e.do(req{method: "PATCH", path: sp, key: agentKey, body: `{"status":"cancelled"}`}).want(t, 200)
	e.do(req{method: "PATCH", path: sp, key: agentKey, body: `{"status":"active"}`}).want(t, 409).problem(t)
	e.do(req{method: "POST", path: "/api/v1/customers/" + b.ID + "/suspend", key: agentKey, body: `{"reason":"fraud"}`}).want(t, 200)
	sb := e.addService(b.ID, map[string]any{"status": "pending"})
	e.do(req{method: "PATCH", path: "/api/v1/customers/" + b.ID + "/services/" + sb, key: agentKey, body: `{"status":"active"}`}).want(t, 409).problem(t)
	e.do(req{method: "POST", path: "/api/v1/customers/" + b.ID + "/suspend", key: agentKey, body: `{"reason":"fraud"}`}).want(t, 409).problem(t)
	// Without active services the delete needs no force.
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + a.ID, key: adminKey}).want(t, 204)
	e.do(req{method: "GET", path: "/api/v1/customers/" + a.ID + "/audit", key: adminKey}).want(t, 200)
}

// TestTaxIDWrites covers the write-only tax id on create and PUT: absent
// keeps, null clears, a string sets; responses carry only the last four.
func TestTaxIDWrites(t *testing.T) { runOnStores(t, testTaxIDWrites) }

func testTaxIDWrites(t *testing.T, e *env) {
	if c := e.createCustomer(map[string]any{"tax_id": nil}); c.TaxIDLast4 != "" {
		t.Errorf("no tax id: last4 %q", c.TaxIDLast4)
	}
	c := e.createCustomer(map[string]any{"email": "t@example.com", "phone": "+12125550180"})
	cp := "/api/v1/customers/" + c.ID
	base := customerBody(map[string]any{"email": "t@example.com", "phone": "+12125550180"})
	steps := []struct {
		name  string
		taxID any // "absent" leaves the key out
		want  string
	}{
		{"set", "123-45-6789", "6789"},
		{"absent keeps", "absent", "6789"},
		{"replace", "234 56 7890", "7890"},
		{"null clears", nil, ""},
		{"absent keeps nothing", "absent", ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range base {
				body[k] = v
			}
			if s.taxID != "absent" {
				body["tax_id"] = s.taxID
			}
			var got created
			r := e.do(req{method: "PUT", path: cp, key: agentKey, body: body}).want(t, 200)
			r.decode(t, &got)
			if got.TaxIDLast4 != s.want {
				t.Errorf("tax_id_last4 = %q, want %q", got.TaxIDLast4, s.want)
			}
			if strings.Contains(string(r.body), `"tax_id":`) {
				t.Errorf("response carries tax_id: %s", r.body)
			}
		})
	}
}

// TestBodyLimitEverywhere checks 413 on the paths that read a body: the
// decoder, the merge-patch reader and the idempotency middleware.
func TestBodyLimitEverywhere(t *testing.T) {
	e := newEnv(t, func(c *httpapi.Config) { c.MaxBodyBytes = 512 })
	c := e.createCustomer(nil)
	big := `{"notes":"` + strings.Repeat("x", 600) + `"}`
	for _, r := range []req{
		{method: "PATCH", path: "/api/v1/customers/" + c.ID, body: big},
		{method: "PUT", path: "/api/v1/customers/" + c.ID, body: big},
		{method: "POST", path: "/api/v1/customers/" + c.ID + "/suspend", body: big},
		{method: "POST", path: "/api/v1/customers/" + c.ID + "/reactivate", body: big},
		{method: "POST", path: "/api/v1/customers", body: big, header: map[string]string{"Idempotency-Key": "big"}},
	} {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			r.key = adminKey
			if p := e.do(r).want(t, 413).problem(t); p.Code != "payload_too_large" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}
}
