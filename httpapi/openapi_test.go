package httpapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/httpapi"
)

// loadOpenAPI fetches the document without a key and loads it.
func loadOpenAPI(t *testing.T, e *env) (*openapi3.T, []byte) {
	t.Helper()
	r := e.do(req{method: "GET", path: "/api/v1/openapi.json"}).want(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return doc, r.body
}

// TestOpenAPIValid validates the document with kin-openapi (which reads
// OpenAPI 3.1) and checks the parts the brief names.
func TestOpenAPIValid(t *testing.T) {
	e := newEnv(t)
	doc, _ := loadOpenAPI(t, e)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	for _, name := range []string{"Customer", "Input", "Address", "Service", "Contact", "ContactInput", "Problem"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
	if s := doc.Components.SecuritySchemes["apiKey"]; s == nil || s.Value.Scheme != "bearer" {
		t.Errorf("security scheme = %+v", s)
	}
}

// TestOpenAPIMatchesRouter checks that the document and the router list
// the same routes: the same set of paths and methods as the route table,
// every one of which resolves through the real router.
func TestOpenAPIMatchesRouter(t *testing.T) {
	e := newEnv(t)
	doc, _ := loadOpenAPI(t, e)
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	var routed []string
	for _, k := range httpapi.RouteKeys() {
		method, pattern, _ := strings.Cut(k, " ")
		routed = append(routed, method+" "+httpapi.OpenAPIPath(pattern))
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if diff := cmp.Diff(routed, documented); diff != "" {
		t.Errorf("documented routes (-router +document):\n%s", diff)
	}

	// Every documented path and method reaches its handler through the
	// router (not a 404 or 405).
	h := httpapi.NewStubHandler(testKeys(t))
	ids := strings.NewReplacer("{customer_id}", "0195f0a0-0000-7000-8000-000000000001", "{service_id}", "0195f0a0-0000-7000-8000-000000000002",
		"{contact_id}", "0195f0a0-0000-7000-8000-000000000003",
		"{document_id}", "0195f0a0-0000-7000-8000-000000000004", "{verification_id}", "0195f0a0-0000-7000-8000-000000000006",
		"{job_id}", "0195f0a0-0000-7000-8000-000000000007")
	for _, d := range documented {
		method, path, _ := strings.Cut(d, " ")
		r := serve(t, h, req{method: method, path: ids.Replace(path), key: adminKey})
		if r.header.Get("X-Route") == "" {
			t.Errorf("%s does not resolve: %d %s", d, r.status, r.body)
		}
	}
}

// TestResponsesMatchSchemas validates real responses against the
// document's schemas (JSON Schema 2020-12).
func TestResponsesMatchSchemas(t *testing.T) { runOnStores(t, testResponsesMatchSchemas) }

func testResponsesMatchSchemas(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	c := e.createCustomer(map[string]any{"tax_id": "123-45-6789", "service_address": address(), "credit_score": 700,
		"emergency_contact": map[string]any{"name": "Bob", "phone": "+12125550177"}, "external_id": "SF-0042", "customer_since": "2001-05-02"})
	sid := e.addService(c.ID, map[string]any{"service_address": address(), "end_date": "2030-01-01"})
	voice := e.addService(c.ID, map[string]any{"service_type": "voice", "technology": nil})
	ctid := e.addContact(c.ID, map[string]any{"is_primary": true, "title": "Owner", "notes": "n"})
	did := e.upload(c.ID, uploadForm{expirationDate: "2030-01-01", requiresSignature: "true", tags: []string{"a", "b"}}).ID
	cp := "/api/v1/customers/" + c.ID
	tests := []struct {
		name   string
		r      req
		status int
		schema string
	}{
		{"customer details", req{method: "GET", path: cp + "?include_tickets=true"}, 200, "CustomerDetails"},
		{"customer list", req{method: "GET", path: "/api/v1/customers?include_total=true&limit=1"}, 200, "CustomerList"},
		{"service", req{method: "GET", path: cp + "/services/" + sid}, 200, "Service"},
		{"service without technology", req{method: "GET", path: cp + "/services/" + voice}, 200, "Service"},
		{"service list", req{method: "GET", path: cp + "/services"}, 200, "ServiceList"},
		{"contact", req{method: "GET", path: cp + "/contacts/" + ctid}, 200, "Contact"},
		{"contact list", req{method: "GET", path: cp + "/contacts?contact_type=billing&limit=1"}, 200, "ContactList"},
		{"replaced contact", req{method: "PUT", path: cp + "/contacts/" + ctid, body: contactBody(map[string]any{"email": nil, "phone": nil})}, 200, "Contact"},
		{"contact problem", req{method: "POST", path: cp + "/contacts", body: `{"contact_type":"boss"}`}, 400, "Problem"},
		{"document", req{method: "GET", path: cp + "/documents/" + did}, 200, "Document"},
		{"document list", req{method: "GET", path: cp + "/documents?active_only=false"}, 200, "DocumentList"},
		{"patched document", req{method: "PATCH", path: cp + "/documents/" + did, body: `{"signature_status":"signed","expiration_date":null}`}, 200, "Document"},
		{"suspended customer", req{method: "POST", path: cp + "/suspend", body: `{"reason":"fraud","until":"2030-01-01T00:00:00Z"}`}, 200, "Customer"},
		{"status history", req{method: "GET", path: cp + "/status-history"}, 200, "StatusHistory"},
		{"audit", req{method: "GET", path: cp + "/audit"}, 200, "AuditEntryList"},
		{"problem", req{method: "POST", path: "/api/v1/customers", body: `{}`}, 400, "Problem"},
		{"health", req{method: "GET", path: "/readyz"}, 200, "Health"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.key = adminKey
			r := e.do(tt.r).want(t, tt.status)
			var v any
			if err := json.Unmarshal(r.body, &v); err != nil {
				t.Fatal(err)
			}
			ref := doc.Components.Schemas[tt.schema]
			if ref == nil {
				t.Fatalf("no schema %s", tt.schema)
			}
			if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
				t.Errorf("%s does not match %s: %v\n%s", tt.name, tt.schema, err, r.body)
			}
		})
	}
	// And a request body that the document accepts is accepted.
	in := doc.Components.Schemas["Input"].Value
	body := customerBody(map[string]any{"email": "schema@example.com", "phone": "+12125550178", "tax_id": nil})
	var v any
	raw, _ := json.Marshal(body)
	_ = json.Unmarshal(raw, &v)
	if err := in.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("a valid create body does not match Input: %v", err)
	}
	raw, _ = json.Marshal(contactBody(nil))
	_ = json.Unmarshal(raw, &v)
	if err := doc.Components.Schemas["ContactInput"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("a valid contact body does not match ContactInput: %v", err)
	}
	for schema, body := range map[string]any{
		"ServiceInput": serviceBody(map[string]any{"service_type": "voice", "technology": nil}),
		"ServicePatch": map[string]any{"service_type": "voice", "technology": nil},
	} {
		raw, _ = json.Marshal(body)
		_ = json.Unmarshal(raw, &v)
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("a valid service body %s does not match %s: %v", raw, schema, err)
		}
	}
}
