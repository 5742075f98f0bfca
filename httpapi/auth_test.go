package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/httpapi"
)

func TestParseAPIKeys(t *testing.T) {
	tests := []struct {
		in      string
		want    []httpapi.APIKey
		wantErr string
	}{
		{in: "", want: nil},
		{in: " , ", want: nil},
		{in: "admin:s3cret, viewer:other:with:colons", want: []httpapi.APIKey{
			{ID: httpapi.KeyID("s3cret"), Role: httpapi.RoleAdmin, Secret: "s3cret"},
			{ID: httpapi.KeyID("other:with:colons"), Role: httpapi.RoleViewer, Secret: "other:with:colons"},
		}},
		{in: "root:s3cret", wantErr: `entry 1: unknown role "root"`},
		{in: "Admin:s3cret", wantErr: `entry 1: unknown role "Admin"`},
		{in: "admin:", wantErr: "entry 1: empty key"},
		{in: "s3cret", wantErr: "entry 1: want role:key"},
		{in: "agent:a b", wantErr: "entry 1: key must be printable ASCII"},
		{in: "agent:s3cret,admin:s3cret", wantErr: "entry 2: duplicate key (same as entry 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := httpapi.ParseAPIKeys(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error repeats the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
	if id := httpapi.KeyID("s3cret"); !strings.HasPrefix(id, "key_") || len(id) != 16 {
		t.Errorf("KeyID = %q", id)
	}
	if s := (httpapi.APIKey{ID: "key_1", Role: httpapi.RoleAdmin, Secret: "s3cret"}).String(); strings.Contains(s, "s3cret") {
		t.Errorf("APIKey.String() = %q leaks the secret", s)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	e := newEnv(t)
	svc, err := app.New(e.store, app.Options{Bucket: e.bucket})
	if err != nil {
		t.Fatal(err)
	}
	good := httpapi.Config{
		Services: svc,
		Backend:  e.store,
		Keys:     testKeys(t),
	}
	// Each case below must fail for its own reason, not for another gap.
	if _, err := httpapi.New(good); err != nil {
		t.Fatalf("New rejected a good config: %v", err)
	}
	tests := []struct {
		name string
		edit func(*httpapi.Config)
	}{
		{"no services", func(c *httpapi.Config) { c.Services = nil }},
		{"no customer service", func(c *httpapi.Config) {
			c.Services = &app.Services{Store: svc.Store, Contacts: svc.Contacts, Documents: svc.Documents}
		}},
		{"no keys", func(c *httpapi.Config) { c.Keys = nil }},
		{"duplicate secret", func(c *httpapi.Config) {
			c.Keys = []httpapi.APIKey{{ID: "a", Role: httpapi.RoleAdmin, Secret: "x"}, {ID: "b", Role: httpapi.RoleViewer, Secret: "x"}}
		}},
		{"bad role", func(c *httpapi.Config) { c.Keys = []httpapi.APIKey{{ID: "a", Role: "root", Secret: "x"}} }},
		{"no backend", func(c *httpapi.Config) { c.Backend = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			if _, err := httpapi.New(cfg); err == nil {
				t.Error("New accepted the config")
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name      string
		header    string
		challenge string
	}{
		{"no header", "", `Bearer realm="crm"`},
		{"basic auth", "Basic YWRtaW46eA==", `Bearer realm="crm"`},
		{"empty bearer", "Bearer ", `Bearer realm="crm"`},
		{"unknown key", "Bearer nope", `Bearer realm="crm", error="invalid_token"`},
		{"key with a suffix", "Bearer " + adminKey + "x", `Bearer realm="crm", error="invalid_token"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: "/api/v1/customers", header: map[string]string{"Authorization": tt.header}}).want(t, 401)
			if p := r.problem(t); p.Code != "unauthenticated" {
				t.Errorf("code = %q", p.Code)
			}
			if got := r.header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.challenge)
			}
		})
	}
	// The scheme is case-insensitive.
	e.do(req{method: "GET", path: "/api/v1/customers", header: map[string]string{"Authorization": "bearer " + viewerKey}}).want(t, 200)
}

// TestRoles checks API.md's role table on every route: the least role
// passes the role check (whatever the handler then answers) and the role
// below it gets 403.
func TestRoles(t *testing.T) { runOnStores(t, testRoles) }

func testRoles(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	sid := e.addService(c.ID, nil)
	cp := "/api/v1/customers/" + c.ID
	tests := []struct {
		method, path string
		least        string // key of the least role allowed
	}{
		{"GET", "/api/v1/customers", viewerKey},
		{"POST", "/api/v1/customers", agentKey},
		{"GET", cp, viewerKey},
		{"PUT", cp, agentKey},
		{"PATCH", cp, agentKey},
		{"DELETE", cp, adminKey},
		{"POST", cp + "/suspend", agentKey},
		{"POST", cp + "/reactivate", agentKey},
		{"GET", cp + "/status-history", viewerKey},
		{"GET", cp + "/audit", adminKey},
		{"GET", cp + "/services", viewerKey},
		{"POST", cp + "/services", agentKey},
		{"GET", cp + "/services/" + sid, viewerKey},
		{"PATCH", cp + "/services/" + sid, agentKey},
		{"GET", "/api/v1/customers/export", adminKey},
	}
	below := map[string]string{agentKey: viewerKey, adminKey: agentKey}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			// An unknown query parameter makes every handler answer 400
			// without changing anything, once the role check has passed.
			path := tt.path + "?probe=1"
			if got := e.do(req{method: tt.method, path: path, key: tt.least, body: "{}"}).status; got != 400 {
				t.Errorf("least role: status %d, want 400 from the handler", got)
			}
			if low, ok := below[tt.least]; ok {
				p := e.do(req{method: tt.method, path: path, key: low, body: "{}"}).want(t, 403).problem(t)
				if p.Code != "forbidden" {
					t.Errorf("code = %q", p.Code)
				}
			}
		})
	}

	// Reactivation override: admin only.
	e.do(req{method: "POST", path: cp + "/suspend", key: agentKey, body: `{"reason":"non_payment"}`}).want(t, 200)
	p := e.do(req{method: "POST", path: cp + "/reactivate", key: agentKey, body: `{"override":true}`}).want(t, 403).problem(t)
	if !strings.Contains(p.Detail, "admin") {
		t.Errorf("override detail = %q", p.Detail)
	}
	e.do(req{method: "POST", path: cp + "/reactivate", key: adminKey, body: `{"override":true}`}).want(t, 200)
}
