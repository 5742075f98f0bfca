package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/httpapi"
)

// TestRequestBodyErrors covers every way a body is refused before or
// while decoding: 400 (with the fields named), 413 and 415.
func TestRequestBodyErrors(t *testing.T) {
	valid := func(extra string) string {
		return `{"name":"Ada","email":"ada@example.com","phone":"+12125550142","customer_type":"residential",` +
			`"billing_address":{"street":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}` + extra + `}`
	}
	deep := strings.Repeat(`{"a":`, 11) + "1" + strings.Repeat("}", 11)
	tests := []struct {
		name        string
		body        string
		contentType string // "" means application/json; "-" means none
		status      int
		code        string
		errors      []crm.FieldError // checked when not nil
		detail      string           // substring, checked when not ""
	}{
		{name: "malformed JSON", body: `{"name": "Ada",}`, status: 400, code: "invalid", detail: "not valid JSON"},
		{name: "truncated JSON", body: `{"name": "Ada"`, status: 400, code: "invalid", detail: "ends early"},
		{name: "empty body", body: ``, status: 400, code: "invalid", detail: "body is required"},
		{name: "not an object", body: `["Ada"]`, status: 400, code: "invalid", detail: "must be a JSON object"},
		{name: "trailing data", body: valid("") + ` {}`, status: 400, code: "invalid", detail: "data after the JSON value"},
		{name: "trailing garbage", body: valid("") + `x`, status: 400, code: "invalid", detail: "data after the JSON value"},
		{name: "invalid UTF-8", body: valid(`,"notes":"caf` + "\xe9" + `"`), status: 400, code: "invalid", detail: "not valid UTF-8"},
		{name: "lone surrogate escape", body: valid(`,"notes":"\ud800"`), status: 400, code: "invalid",
			errors: []crm.FieldError{{Field: "notes", Message: "contains an invalid Unicode escape"}}},
		{name: "too deep", body: deep, status: 400, code: "invalid", detail: "nested deeper than 10 levels"},
		{name: "duplicate key", body: valid(`,"name":"Eve"`), status: 400, code: "invalid",
			errors: []crm.FieldError{{Field: "name", Message: "is given more than once"}}},
		{name: "unknown fields, nested too", body: valid(`,"nickname":"A","Name":"B","billing_address2":{},"emergency_contact":{"name":"Bob","phone":"+12125550143","age":3}`),
			status: 400, code: "invalid", errors: []crm.FieldError{
				{Field: "Name", Message: "is not a known field"},
				{Field: "billing_address2", Message: "is not a known field"},
				{Field: "emergency_contact.age", Message: "is not a known field"},
				{Field: "nickname", Message: "is not a known field"},
			}},
		{name: "server-owned fields", body: valid(`,"id":"x","status":"closed","version":9,"tax_id_last4":"1234","account_number":"1","created_at":"","updated_at":""`),
			status: 400, code: "invalid", errors: []crm.FieldError{
				{Field: "account_number", Message: "is set by the server and cannot be written"},
				{Field: "created_at", Message: "is set by the server and cannot be written"},
				{Field: "id", Message: "is set by the server and cannot be written"},
				{Field: "status", Message: "is set by the server and cannot be written"},
				{Field: "tax_id_last4", Message: "is set by the server and cannot be written"},
				{Field: "updated_at", Message: "is set by the server and cannot be written"},
				{Field: "version", Message: "is set by the server and cannot be written"},
			}},
		{name: "wrong types, every one named", body: `{"name":1,"email":true,"phone":"+12125550142","customer_type":"residential","credit_score":"high",` +
			`"billing_address":{"street":"1 Main St","city":["x"],"state":"IL","postal_code":"62701","country":"US","coordinates":{"latitude":"n","longitude":1}},` +
			`"communication_preferences":{"marketing_emails":"yes"}}`,
			status: 400, code: "invalid", errors: []crm.FieldError{
				{Field: "billing_address.city", Message: "must be a string"},
				{Field: "communication_preferences.marketing_emails", Message: "must be a boolean"},
				{Field: "credit_score", Message: "must be an integer in range"},
				{Field: "email", Message: "must be a string"},
				{Field: "name", Message: "must be a string"},
			}},
		{name: "fractional integer", body: valid(`,"credit_score":700.5`), status: 400, code: "invalid",
			errors: []crm.FieldError{{Field: "credit_score", Message: "must be an integer in range"}}},
		{name: "tax id of the wrong type", body: valid(`,"tax_id":123456789`), status: 400, code: "invalid",
			errors: []crm.FieldError{{Field: "tax_id", Message: "must be a string or null"}}},
		{name: "empty tax id", body: valid(`,"tax_id":""`), status: 400, code: "invalid",
			errors: []crm.FieldError{{Field: "tax_id", Message: "must not be empty; send null to remove the tax id"}}},
		{name: "no Content-Type", body: valid(""), contentType: "-", status: 415, code: "unsupported_media_type"},
		{name: "text/plain", body: valid(""), contentType: "text/plain", status: 415, code: "unsupported_media_type"},
		{name: "merge patch type on POST", body: valid(""), contentType: "application/merge-patch+json", status: 415, code: "unsupported_media_type"},
		{name: "latin-1 charset", body: valid(""), contentType: "application/json; charset=latin-1", status: 415, code: "unsupported_media_type"},
		{name: "utf-8 charset is fine", body: valid(""), contentType: "application/json; charset=UTF-8", status: 201},
		{name: "too large", body: valid(`,"notes":"` + strings.Repeat("x", 2048) + `"`), status: 413, code: "payload_too_large"},
	}
	e := newEnv(t, func(c *httpapi.Config) { c.MaxBodyBytes = 1024 })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			switch tt.contentType {
			case "":
			case "-":
				h["Content-Type"] = ""
			default:
				h["Content-Type"] = tt.contentType
			}
			r := e.do(req{method: "POST", path: "/api/v1/customers", key: agentKey, body: tt.body, header: h}).want(t, tt.status)
			if tt.status < 400 {
				return
			}
			p := r.problem(t)
			if p.Code != tt.code {
				t.Errorf("code = %q, want %q", p.Code, tt.code)
			}
			if tt.errors != nil {
				if diff := cmp.Diff(tt.errors, p.Errors); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", p.Detail, tt.detail)
			}
		})
	}
}

// TestCreateValidation checks that a create names every invalid field.
func TestCreateValidation(t *testing.T) { runOnStores(t, testCreateValidation) }

func testCreateValidation(t *testing.T, e *env) {
	tests := []struct {
		name      string
		overrides map[string]any
		fields    []string
	}{
		{"missing required", map[string]any{"name": nil, "email": nil, "phone": nil, "customer_type": nil, "billing_address": nil},
			[]string{"name", "email", "phone", "customer_type", "billing_address"}},
		{"bad values", map[string]any{"email": "not-an-email", "phone": "12", "customer_type": "alien", "credit_score": 900,
			"preferred_contact": "pigeon", "name": strings.Repeat("x", 101)},
			[]string{"name", "email", "phone", "customer_type", "credit_score", "preferred_contact"}},
		{"bad address", map[string]any{"billing_address": map[string]any{"street": "", "city": "X", "state": "Illinois", "postal_code": "1", "country": "XX",
			"coordinates": map[string]any{"latitude": 91, "longitude": -181}}},
			[]string{"billing_address.street", "billing_address.country", "billing_address.coordinates.latitude", "billing_address.coordinates.longitude"}},
		{"bad US address", map[string]any{"service_address": map[string]any{"street": "1 A St", "city": "X", "state": "Illinois", "postal_code": "1", "country": "us"}},
			[]string{"service_address.state", "service_address.postal_code"}},
		{"SSN for a business", map[string]any{"customer_type": "small_business", "tax_id": "123-45-6789x"}, []string{"tax_id"}},
		{"bad emergency contact", map[string]any{"emergency_contact": map[string]any{"name": "", "phone": "x"}},
			[]string{"emergency_contact.name", "emergency_contact.phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.do(req{method: "POST", path: "/api/v1/customers", key: agentKey, body: customerBody(tt.overrides)}).want(t, 400).problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUpdateBodies covers PUT and PATCH bodies of customers and services.
func TestUpdateBodies(t *testing.T) { runOnStores(t, testUpdateBodies) }

func testUpdateBodies(t *testing.T, e *env) {
	c := e.createCustomer(map[string]any{"tax_id": "123-45-6789"})
	sid := e.addService(c.ID, nil)
	cpath := "/api/v1/customers/" + c.ID
	spath := cpath + "/services/" + sid
	tests := []struct {
		name        string
		method      string
		path        string
		body        string
		contentType string
		status      int
		fields      []string
	}{
		{"PUT validates as create", "PUT", cpath, `{"name":""}`, "", 400, []string{"name", "email", "phone", "customer_type", "billing_address"}},
		{"PUT server-owned", "PUT", cpath, `{"id":"x","suspension":null}`, "", 400, []string{"id", "suspension"}},
		{"PUT merge patch type", "PUT", cpath, `{}`, "application/merge-patch+json", 415, nil},
		{"PATCH server-owned", "PATCH", cpath, `{"version":3,"status":"active"}`, "", 400, []string{"status", "version"}},
		{"PATCH unknown field", "PATCH", cpath, `{"billing_address":{"zip":"1"}}`, "", 400, []string{"billing_address.zip"}},
		{"PATCH wrong type", "PATCH", cpath, `{"credit_score":"x"}`, "", 400, []string{"credit_score"}},
		{"PATCH result invalid", "PATCH", cpath, `{"email":"nope","billing_address":{"city":null}}`, "", 400, []string{"email", "billing_address.city"}},
		{"PATCH removes a required field", "PATCH", cpath, `{"billing_address":null}`, "", 400, []string{"billing_address"}},
		{"PATCH not an object", "PATCH", cpath, `[1]`, "", 400, nil},
		{"PATCH tax id type", "PATCH", cpath, `{"tax_id":12}`, "", 400, []string{"tax_id"}},
		{"PATCH text/plain", "PATCH", cpath, `{}`, "text/plain", 415, nil},
		{"PATCH empty patch", "PATCH", cpath, `{}`, "application/merge-patch+json", 200, nil},
		{"service server-owned", "PATCH", spath, `{"customer_id":"x","id":"y"}`, "", 400, []string{"customer_id", "id"}},
		{"service bad values", "PATCH", spath, `{"monthly_price":1.999,"start_date":"15/01/2024","technology":"carrier pigeon"}`, "", 400,
			[]string{"monthly_price", "start_date"}},
		{"service bad enum", "PATCH", spath, `{"technology":"pigeon","contract_term":"forever","bandwidth_up_mbps":-1}`, "", 400,
			[]string{"technology", "contract_term", "bandwidth_up_mbps"}},
		{"service end before start", "PATCH", spath, `{"end_date":"2020-01-01"}`, "", 400, []string{"end_date"}},
		{"service create missing", "POST", cpath + "/services", `{}`, "", 400, []string{"plan_name", "technology", "monthly_price", "start_date"}},
		{"service create owned", "POST", cpath + "/services", `{"version":1}`, "", 400, []string{"version"}},
		{"suspend needs a reason", "POST", cpath + "/suspend", `{}`, "", 400, []string{"reason"}},
		{"suspend bad values", "POST", cpath + "/suspend", `{"reason":"bored","until":"tomorrow"}`, "", 400, []string{"until"}},
		{"suspend until in the past", "POST", cpath + "/suspend", `{"reason":"fraud","until":"2001-01-01T00:00:00Z"}`, "", 400, []string{"until"}},
		{"suspend unknown field", "POST", cpath + "/suspend", `{"reason":"fraud","why":"x"}`, "", 400, []string{"why"}},
		{"suspend without body", "POST", cpath + "/suspend", ``, "", 400, nil},
		{"reactivate unknown field", "POST", cpath + "/reactivate", `{"force":true}`, "", 400, []string{"force"}},
		{"reactivate text/plain body", "POST", cpath + "/reactivate", `{}`, "text/plain", 415, nil},
		{"unknown query parameter", "PUT", cpath + "?dry_run=true", `{}`, "", 400, []string{"dry_run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			r := e.do(req{method: tt.method, path: tt.path, key: agentKey, body: tt.body, header: h}).want(t, tt.status)
			if tt.status < 400 {
				return
			}
			p := r.problem(t)
			if tt.fields != nil {
				if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
					t.Errorf("fields (-want +got):\n%s\n%s", diff, r.body)
				}
			}
		})
	}
	// Nothing above changed the customer (the empty patch is no change).
	var got created
	e.do(req{method: "GET", path: cpath, key: viewerKey}).want(t, 200).decode(t, &got)
	if got.Version != 1 || got.Status != "active" || got.TaxIDLast4 != "6789" {
		t.Errorf("customer after refused updates = %+v", got)
	}
}
