package httpapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImplausibleInput checks, on both stores, that control characters
// (NUL above all, which Postgres refuses in text), bidirectional controls,
// text with nothing visible and dates outside 1900-01-01..2100-12-31 are a
// 400 naming the field, in bodies and query parameters alike, and that
// nothing is stored.
func TestImplausibleInput(t *testing.T) { runOnStores(t, testImplausibleInput) }

func testImplausibleInput(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	doc := e.upload(c.ID, uploadForm{})
	patch := map[string]string{"Content-Type": "application/merge-patch+json"}
	const (
		nul    = "a\u0000b"
		c1     = "a\u0085b"
		rlo    = "\u202eAda"
		hidden = "\u200b\u3164"
	)
	tests := []struct {
		name  string
		req   req
		field string
	}{
		// Query parameters: every one passes the character check.
		{"q NUL", req{method: "GET", path: "/api/v1/customers?q=%00"}, "q"},
		{"city NUL", req{method: "GET", path: "/api/v1/customers?city=%00"}, "city"},
		{"state NUL", req{method: "GET", path: "/api/v1/customers?state=a%00"}, "state"},
		{"postal_code NUL", req{method: "GET", path: "/api/v1/customers?postal_code=%00"}, "postal_code"},
		{"q C1", req{method: "GET", path: "/api/v1/customers?q=%C2%85"}, "q"},
		{"q DEL", req{method: "GET", path: "/api/v1/customers?q=a%7F"}, "q"},
		{"q tab", req{method: "GET", path: "/api/v1/customers?q=a%09b"}, "q"},
		{"q RLO", req{method: "GET", path: "/api/v1/customers?q=%E2%80%AEx"}, "q"},
		{"cursor NUL", req{method: "GET", path: cp + "/contacts?cursor=%00"}, "cursor"},
		{"created_after year 0000", req{method: "GET", path: "/api/v1/customers?created_after=0000-01-01T00:00:00Z"}, "created_after"},
		{"created_before 9999", req{method: "GET", path: "/api/v1/customers?created_before=9999-12-31T00:00:00Z"}, "created_before"},
		{"expiring_before year 0000", req{method: "GET", path: cp + "/documents?expiring_before=0000-01-01"}, "expiring_before"},

		// Customer fields.
		{"customer name NUL", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"name": nul})}, "name"},
		{"customer name C1", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"name": c1})}, "name"},
		{"customer name RLO", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"name": rlo})}, "name"},
		{"customer name invisible", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"name": hidden})}, "name"},
		{"customer name newline", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"name": "Ada\nLovelace"})}, "name"},
		{"customer email RLO", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"email": "a\u202e@example.com"})}, "email"},
		{"customer company bidi isolate", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"company": "Acme\u2066"})}, "company"},
		{"customer industry NUL", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"industry": nul})}, "industry"},
		{"customer notes NUL", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{"notes": "line\n" + nul})}, "notes"},
		{"customer street NUL", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{
			"billing_address": map[string]any{"street": nul, "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}})}, "billing_address.street"},
		{"customer city RLO", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{
			"billing_address": map[string]any{"street": "1 Main St", "city": rlo, "state": "IL", "postal_code": "62701", "country": "US"}})}, "billing_address.city"},
		{"emergency contact name invisible", req{method: "POST", path: "/api/v1/customers", body: customerBody(map[string]any{
			"emergency_contact": map[string]any{"name": hidden, "phone": "+1 212 555 0199"}})}, "emergency_contact.name"},
		{"customer PATCH name NUL", req{method: "PATCH", path: cp, body: `{"name":"a\u0000"}`, header: patch}, "name"},

		// Suspend and reactivate.
		{"suspend notes NUL", req{method: "POST", path: cp + "/suspend", body: map[string]any{"reason": "other", "notes": nul}}, "notes"},
		{"suspend notes LRM", req{method: "POST", path: cp + "/suspend", body: map[string]any{"reason": "other", "notes": "x\u200e"}}, "notes"},
		{"suspend until 9999", req{method: "POST", path: cp + "/suspend", body: map[string]any{"reason": "other", "until": "9999-12-31T00:00:00Z"}}, "until"},
		{"reactivate notes NUL", req{method: "POST", path: cp + "/reactivate", body: map[string]any{"notes": nul}}, "notes"},

		// Services.
		{"service plan NUL", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"plan_name": nul})}, "plan_name"},
		{"service plan invisible", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"plan_name": hidden})}, "plan_name"},
		{"service start year 0000", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"start_date": "0000-01-01"})}, "start_date"},
		{"service start 9999", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"start_date": "9999-12-31"})}, "start_date"},
		{"service start 1899", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"start_date": "1899-12-31"})}, "start_date"},
		{"service end 2101", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{"end_date": "2101-01-01"})}, "end_date"},
		{"service address NUL", req{method: "POST", path: cp + "/services", body: serviceBody(map[string]any{
			"service_address": map[string]any{"street": "1 Main St", "unit": nul, "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}})}, "service_address.unit"},

		// Contacts.
		{"contact name RLO", req{method: "POST", path: cp + "/contacts", body: contactBody(map[string]any{"name": rlo})}, "name"},
		{"contact email RLO", req{method: "POST", path: cp + "/contacts", body: contactBody(map[string]any{"email": "g\u202e@example.com"})}, "email"},
		{"contact title NUL", req{method: "POST", path: cp + "/contacts", body: contactBody(map[string]any{"title": nul})}, "title"},
		{"contact notes C1", req{method: "POST", path: cp + "/contacts", body: contactBody(map[string]any{"notes": c1})}, "notes"},

		// Document metadata, uploaded and patched.
		{"upload name NUL", uploadReq(t, c.ID, "", uploadForm{name: nul}.parts()...), "name"},
		{"upload tag RLO", uploadReq(t, c.ID, "", uploadForm{tags: []string{rlo}}.parts()...), "tags[0]"},
		{"upload tag invisible", uploadReq(t, c.ID, "", uploadForm{tags: []string{hidden}}.parts()...), "tags[0]"},
		{"upload expiration year 0000", uploadReq(t, c.ID, "", uploadForm{expirationDate: "0000-01-01"}.parts()...), "expiration_date"},
		{"document PATCH name invisible", req{method: "PATCH", path: cp + "/documents/" + doc.ID, body: `{"name":"\u200b"}`, header: patch}, "name"},
		{"document PATCH expiration 9999", req{method: "PATCH", path: cp + "/documents/" + doc.ID, body: `{"expiration_date":"9999-12-31"}`, header: patch}, "expiration_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.key = agentKey
			p := e.do(tt.req).want(t, 400).problem(t)
			if diff := cmp.Diff([]string{tt.field}, p.fields()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}

	// Nothing was stored: the customer is as created, with one document
	// and no services or contacts.
	var got created
	e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200).decode(t, &got)
	if got.Status != "active" || got.Version != c.Version {
		t.Errorf("customer after refused writes: %+v, want active at version %d", got, c.Version)
	}
	for _, kind := range []string{"services", "contacts"} {
		page := e.do(req{method: "GET", path: cp + "/" + kind, key: viewerKey}).want(t, 200).object(t)
		if items, _ := page[kind].([]any); len(items) != 0 {
			t.Errorf("%d %s listed after refused writes", len(items), kind)
		}
	}
	if keys := e.objectKeys(); len(keys) != 1 {
		t.Errorf("bucket holds %d objects after refused uploads, want 1: %v", len(keys), keys)
	}
}

// TestPlausibleInputAccepted checks the other side of the bounds: notes
// keep their tabs and line breaks, the first and last accepted dates are
// stored, and text in any script with combining marks passes.
func TestPlausibleInputAccepted(t *testing.T) { runOnStores(t, testPlausibleInputAccepted) }

func testPlausibleInputAccepted(t *testing.T, e *env) {
	c := e.createCustomer(map[string]any{"name": "Zoë Ñandú \u0928\u092e\u0938\u094d\u0924\u0947", "notes": "line 1\r\n\tline 2"})
	cp := "/api/v1/customers/" + c.ID
	e.addService(c.ID, map[string]any{"start_date": "1900-01-01", "end_date": "2100-12-31"})
	e.do(req{method: "GET", path: "/api/v1/customers?q=Zo%C3%AB&created_after=1900-01-01T00:00:00Z&created_before=2100-12-31T23:59:59Z",
		key: viewerKey}).want(t, 200)
	var s struct {
		Suspension struct {
			Notes string `json:"notes"`
		} `json:"suspension"`
	}
	e.do(req{method: "POST", path: cp + "/suspend", key: agentKey, body: map[string]any{"reason": "other", "notes": "called\r\n\ttwice"}}).
		want(t, 200).decode(t, &s)
	if s.Suspension.Notes != "called\r\n\ttwice" {
		t.Errorf("suspension notes %q", s.Suspension.Notes)
	}
}
