package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/httpapi"
)

// TestModulesLeftOut checks that a module whose service is not configured
// has no routes (404) and no part of the OpenAPI document, while the rest
// of the API serves as usual.
func TestModulesLeftOut(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*app.Services)
		prefix  string   // the paths of the module left out, below the customer
		schemas []string // its schemas
		kept    []string // schemas of the modules still on
	}{
		{"documents", func(s *app.Services) { s.Documents = nil }, "/documents",
			[]string{"Document", "DocumentList", "DocumentUpload", "DocumentPatch"}, []string{"Customer", "Contact", "Service"}},
		{"contacts", func(s *app.Services) { s.Contacts = nil }, "/contacts",
			[]string{"Contact", "ContactInput", "ContactPatch", "ContactList"}, []string{"Customer", "Document", "Service"}},
		{"verifications", func(s *app.Services) { s.Verify = nil }, "/verify-identity",
			[]string{"IdentityInput", "IdentityVerification", "CreditCheck", "AddressVerification", "Verification", "VerificationStatus"},
			[]string{"Customer", "Contact", "Document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *httpapi.Config) {
				svc := *c.Services
				tt.edit(&svc)
				c.Services = &svc
			})
			c := e.createCustomer(nil)
			cp := "/api/v1/customers/" + c.ID
			for _, method := range []string{"GET", "POST"} {
				p := e.do(req{method: method, path: cp + tt.prefix, key: adminKey, body: `{}`}).want(t, 404).problem(t)
				if p.Code != "not_found" {
					t.Errorf("%s %s: code %q", method, tt.prefix, p.Code)
				}
			}
			e.do(req{method: "GET", path: cp + tt.prefix + "/0195f0a0-0000-7000-8000-000000000004", key: adminKey}).want(t, 404)
			e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200)

			doc, _ := loadOpenAPI(t, e)
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatalf("validate: %v", err)
			}
			for path := range doc.Paths.Map() {
				if strings.Contains(path, tt.prefix) {
					t.Errorf("the document lists %s", path)
				}
			}
			for _, s := range tt.schemas {
				if doc.Components.Schemas[s] != nil {
					t.Errorf("the document has schema %s", s)
				}
			}
			for _, s := range tt.kept {
				if doc.Components.Schemas[s] == nil {
					t.Errorf("the document lacks schema %s", s)
				}
			}
		})
	}
}
