package httpapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCustomerImportFields walks external_id and customer_since through
// the customer endpoints: shown on create (customer_since defaulted to the
// creation date, external_id absent when none), unique (409 naming it),
// a list filter, validated on PATCH, null clearing or resetting them, PUT
// resetting customer_since, and the external id freed by a delete.
func TestCustomerImportFields(t *testing.T) { runOnStores(t, testCustomerImportFields) }

func testCustomerImportFields(t *testing.T, e *env) {
	base := "/api/v1/customers"
	fields := func(m map[string]any) map[string]any { return pick(m, "external_id", "customer_since") }

	plain := e.do(req{method: "POST", path: base, key: agentKey, body: customerBody(nil)}).want(t, 201).object(t)
	if diff := cmp.Diff(map[string]any{"customer_since": "2025-03-01"}, fields(plain)); diff != "" {
		t.Errorf("created without them (-want +got):\n%s", diff)
	}
	c := e.do(req{method: "POST", path: base, key: agentKey, body: customerBody(map[string]any{
		"email": "grace@example.com", "phone": "+1 212 555 0143", "external_id": " SF-0042 ", "customer_since": "2001-05-02",
	})}).want(t, 201).object(t)
	if diff := cmp.Diff(map[string]any{"external_id": "SF-0042", "customer_since": "2001-05-02"}, fields(c)); diff != "" {
		t.Errorf("created with them (-want +got):\n%s", diff)
	}
	id := c["id"].(string)

	p := e.do(req{method: "POST", path: base, key: agentKey, body: customerBody(map[string]any{
		"email": "alan@example.com", "phone": "+1 212 555 0144", "external_id": "SF-0042",
	})}).want(t, 409).problem(t)
	if diff := cmp.Diff([]string{"external_id"}, p.fields()); diff != "" {
		t.Errorf("duplicate external id: fields (-want +got):\n%s", diff)
	}

	var list struct {
		Customers []map[string]any `json:"customers"`
	}
	e.do(req{method: "GET", path: base + "?external_id=SF-0042", key: viewerKey}).want(t, 200).decode(t, &list)
	if len(list.Customers) != 1 || list.Customers[0]["id"] != id {
		t.Errorf("list by external_id = %v, want only %s", list.Customers, id)
	}
	p = e.do(req{method: "GET", path: base + "?external_id=%00", key: viewerKey}).want(t, 400).problem(t)
	if diff := cmp.Diff([]string{"external_id"}, p.fields()); diff != "" {
		t.Errorf("external_id=%%00: fields (-want +got):\n%s", diff)
	}

	patch := func(body string, status int) resp {
		t.Helper()
		return e.do(req{method: "PATCH", path: base + "/" + id, key: agentKey, body: body,
			header: map[string]string{"Content-Type": "application/merge-patch+json"}}).want(t, status)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"customer_since": "2025-03-02"}`, "customer_since"}, // tomorrow by the test clock
		{`{"customer_since": "1899-12-31"}`, "customer_since"},
		{`{"customer_since": "May 2001"}`, "customer_since"},
		{`{"external_id": "SF\u0000"}`, "external_id"},
	} {
		p := patch(tc.body, 400).problem(t)
		if diff := cmp.Diff([]string{tc.field}, p.fields()); diff != "" {
			t.Errorf("PATCH %s: fields (-want +got):\n%s", tc.body, diff)
		}
	}
	for _, tc := range []struct {
		body string
		want map[string]any
	}{
		{`{"customer_since": "2002-02-02", "name": "Grace Hopper"}`, map[string]any{"external_id": "SF-0042", "customer_since": "2002-02-02"}},
		{`{"external_id": null}`, map[string]any{"customer_since": "2002-02-02"}},
		{`{"external_id": "crm-7"}`, map[string]any{"external_id": "crm-7", "customer_since": "2002-02-02"}},
		{`{"customer_since": null}`, map[string]any{"external_id": "crm-7", "customer_since": "2025-03-01"}},
		{`{"customer_since": "2001-05-02"}`, map[string]any{"external_id": "crm-7", "customer_since": "2001-05-02"}},
	} {
		if diff := cmp.Diff(tc.want, fields(patch(tc.body, 200).object(t))); diff != "" {
			t.Errorf("PATCH %s (-want +got):\n%s", tc.body, diff)
		}
	}
	// PUT replaces every writable field: without them, none and the
	// creation date.
	put := e.do(req{method: "PUT", path: base + "/" + id, key: agentKey, body: customerBody(map[string]any{
		"email": "grace@example.com", "phone": "+1 212 555 0143",
	})}).want(t, 200).object(t)
	if diff := cmp.Diff(map[string]any{"customer_since": "2025-03-01"}, fields(put)); diff != "" {
		t.Errorf("PUT without them (-want +got):\n%s", diff)
	}

	// The external id is not personal data: the audit trail shows it.
	patch(`{"external_id": "crm-8"}`, 200)
	var audit struct {
		AuditEntries []struct {
			Changes []struct {
				Field  string `json:"field"`
				Before any    `json:"before"`
				After  any    `json:"after"`
			} `json:"changes"`
		} `json:"audit_entries"`
	}
	e.do(req{method: "GET", path: base + "/" + id + "/audit?limit=1", key: adminKey}).want(t, 200).decode(t, &audit)
	if len(audit.AuditEntries) != 1 || len(audit.AuditEntries[0].Changes) != 1 ||
		audit.AuditEntries[0].Changes[0].Field != "external_id" || audit.AuditEntries[0].Changes[0].After != "crm-8" {
		t.Errorf("audit of the external id change = %+v", audit.AuditEntries)
	}

	// Deleting the customer frees its external id.
	e.do(req{method: "DELETE", path: base + "/" + id, key: adminKey}).want(t, 204)
	e.createCustomer(map[string]any{"email": "alan@example.com", "phone": "+1 212 555 0144", "external_id": "crm-8"})
}
