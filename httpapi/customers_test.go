package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCustomerJourney walks one customer through every endpoint of the
// issue: create, get, replace, patch (tax id kept, cleared, set), services,
// suspend, reactivate, list, delete, audit.
func TestCustomerJourney(t *testing.T) { runOnStores(t, testCustomerJourney) }

func testCustomerJourney(t *testing.T, e *env) {
	var bodies [][]byte // every response, to check that no tax id leaks
	do := func(r req, status int) resp {
		t.Helper()
		out := e.do(r).want(t, status)
		bodies = append(bodies, out.body)
		return out
	}
	base := "/api/v1/customers"

	// Create.
	r := do(req{method: "POST", path: base, key: agentKey, body: customerBody(map[string]any{
		"tax_id": "123-45-6789", "email": "Ada@Example.COM", "credit_score": 720,
	})}, 201)
	var c map[string]any
	r.decode(t, &c)
	id := c["id"].(string)
	if got, want := r.header.Get("Location"), base+"/"+id; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	if diff := cmp.Diff(map[string]any{
		"status": "active", "email": "Ada@example.com", "phone": "+12125550142", "tax_id_last4": "6789", "version": 1.0,
	}, pick(c, "status", "email", "phone", "tax_id_last4", "version")); diff != "" {
		t.Errorf("created customer (-want +got):\n%s", diff)
	}

	// Get, with the include flags.
	r = do(req{method: "GET", path: base + "/" + id, key: viewerKey}, 200)
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("GET ETag = %q", got)
	}
	wantKeys := func(path string, present, absent []string) {
		t.Helper()
		m := do(req{method: "GET", path: path, key: viewerKey}, 200).object(t)
		for _, k := range present {
			if _, ok := m[k]; !ok {
				t.Errorf("GET %s: key %q missing", path, k)
			}
		}
		for _, k := range absent {
			if _, ok := m[k]; ok {
				t.Errorf("GET %s: key %q present", path, k)
			}
		}
	}
	wantKeys(base+"/"+id, []string{"services", "billing_summary", "account_metrics", "tax_id_last4"}, []string{"support_tickets", "tax_id"})
	wantKeys(base+"/"+id+"?include_services=false&include_billing=false&include_metrics=false&include_tickets=true",
		[]string{"support_tickets", "id"}, []string{"services", "billing_summary", "account_metrics"})

	// PUT without tax_id keeps it; If-Match is checked.
	put := customerBody(map[string]any{"name": "Ada King", "credit_score": 750})
	r = do(req{method: "PUT", path: base + "/" + id, key: agentKey, body: put, header: map[string]string{"If-Match": `"1"`}}, 200)
	r.decode(t, &c)
	if diff := cmp.Diff(map[string]any{"name": "Ada King", "tax_id_last4": "6789", "version": 2.0, "credit_score": 750.0},
		pick(c, "name", "tax_id_last4", "version", "credit_score")); diff != "" {
		t.Errorf("after PUT (-want +got):\n%s", diff)
	}
	if got := r.header.Get("ETag"); got != `"2"` {
		t.Errorf("PUT ETag = %q", got)
	}
	p := e.do(req{method: "PUT", path: base + "/" + id, key: agentKey, body: put, header: map[string]string{"If-Match": `"1"`}}).
		want(t, 412).problem(t)
	if p.Code != "precondition_failed" {
		t.Errorf("stale PUT code = %q", p.Code)
	}
	// PUT omitting optional fields clears them (full replacement).
	r = do(req{method: "PUT", path: base + "/" + id, key: agentKey, body: customerBody(map[string]any{"name": "Ada King"})}, 200)
	r.decode(t, &c)
	if c["credit_score"] != nil || c["tax_id_last4"] != "6789" {
		t.Errorf("PUT without credit_score: credit_score %v, tax_id_last4 %v", c["credit_score"], c["tax_id_last4"])
	}

	// PATCH: merge, tax id absent keeps, null clears, string sets.
	patch := func(body string, ifMatch string) map[string]any {
		t.Helper()
		h := map[string]string{"Content-Type": "application/merge-patch+json"}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		var m map[string]any
		do(req{method: "PATCH", path: base + "/" + id, key: agentKey, body: body, header: h}, 200).decode(t, &m)
		return m
	}
	m := patch(`{"billing_address": {"unit": "Apt 2"}, "company": "Analytical Engines"}`, `"3"`)
	if diff := cmp.Diff(map[string]any{
		"company": "Analytical Engines", "tax_id_last4": "6789", "version": 4.0,
		"billing_address": map[string]any{"street": "1 Main St", "unit": "Apt 2", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"},
	}, pick(m, "company", "tax_id_last4", "version", "billing_address")); diff != "" {
		t.Errorf("after PATCH (-want +got):\n%s", diff)
	}
	m = patch(`{"tax_id": null}`, "")
	if _, ok := m["tax_id_last4"]; ok {
		t.Errorf("tax_id null: tax_id_last4 still %v", m["tax_id_last4"])
	}
	m = patch(`{"tax_id": "234-56-7890", "billing_address": {"unit": null}}`, "")
	if m["tax_id_last4"] != "7890" || m["billing_address"].(map[string]any)["unit"] != nil {
		t.Errorf("tax_id set: tax_id_last4 %v, unit %v", m["tax_id_last4"], m["billing_address"].(map[string]any)["unit"])
	}
	e.do(req{method: "PATCH", path: base + "/" + id, key: agentKey, body: `{"name":"X"}`, header: map[string]string{"If-Match": `"1"`}}).
		want(t, 412).problem(t)

	// Services.
	svcPath := base + "/" + id + "/services"
	r = do(req{method: "POST", path: svcPath, key: agentKey, body: serviceBody(nil)}, 201)
	var sub map[string]any
	r.decode(t, &sub)
	sid := sub["id"].(string)
	if got, want := r.header.Get("Location"), svcPath+"/"+sid; got != want {
		t.Errorf("service Location = %q, want %q", got, want)
	}
	if sub["monthly_price"] != 79.99 || sub["status"] != "active" || sub["start_date"] != "2024-01-15" {
		t.Errorf("service = %v", sub)
	}
	sid2 := e.addService(id, map[string]any{"plan_name": "DSL 50", "technology": "dsl", "monthly_price": 30, "status": "pending"})
	r = do(req{method: "GET", path: svcPath + "/" + sid, key: viewerKey}, 200)
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("service ETag = %q", got)
	}
	r = do(req{method: "PATCH", path: svcPath + "/" + sid, key: agentKey, body: `{"plan_name": "Fiber 2000", "end_date": "2026-01-15"}`,
		header: map[string]string{"If-Match": `"1"`}}, 200)
	r.decode(t, &sub)
	if sub["plan_name"] != "Fiber 2000" || sub["end_date"] != "2026-01-15" || sub["monthly_price"] != 79.99 || r.header.Get("ETag") != `"2"` {
		t.Errorf("patched service = %v, ETag %s", sub, r.header.Get("ETag"))
	}
	e.do(req{method: "PATCH", path: svcPath + "/" + sid, key: agentKey, body: `{"plan_name": "X"}`,
		header: map[string]string{"If-Match": `"1"`}}).want(t, 412).problem(t)
	var services struct {
		Services []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"services"`
		NextCursor *string `json:"next_cursor"`
		HasMore    bool    `json:"has_more"`
	}
	do(req{method: "GET", path: svcPath + "?limit=1", key: viewerKey}, 200).decode(t, &services)
	if len(services.Services) != 1 || !services.HasMore || services.NextCursor == nil || services.Services[0].ID != sid {
		t.Fatalf("services page 1 = %+v", services)
	}
	do(req{method: "GET", path: svcPath + "?limit=1&cursor=" + *services.NextCursor, key: viewerKey}, 200).decode(t, &services)
	if len(services.Services) != 1 || services.HasMore || services.NextCursor != nil || services.Services[0].ID != sid2 {
		t.Fatalf("services page 2 = %+v", services)
	}

	// Suspend: the active service is suspended with the customer.
	r = do(req{method: "POST", path: base + "/" + id + "/suspend", key: agentKey,
		body: `{"reason": "non_payment", "notes": "3 invoices overdue", "until": "2030-01-01T00:00:00Z"}`}, 200)
	r.decode(t, &m)
	if m["status"] != "suspended" || m["suspension"].(map[string]any)["reason"] != "non_payment" || r.header.Get("ETag") == "" {
		t.Errorf("suspended = %v", m)
	}
	serviceStatuses := func() map[string]string {
		t.Helper()
		do(req{method: "GET", path: svcPath, key: viewerKey}, 200).decode(t, &services)
		out := map[string]string{}
		for _, s := range services.Services {
			out[s.ID] = s.Status
		}
		return out
	}
	if diff := cmp.Diff(map[string]string{sid: "suspended", sid2: "pending"}, serviceStatuses()); diff != "" {
		t.Errorf("services after suspend (-want +got):\n%s", diff)
	}
	e.do(req{method: "POST", path: base + "/" + id + "/suspend", key: agentKey, body: `{"reason": "fraud"}`}).want(t, 409).problem(t)

	// Reactivate restores them.
	r = do(req{method: "POST", path: base + "/" + id + "/reactivate", key: agentKey, body: `{"notes": "paid"}`}, 200)
	r.decode(t, &m)
	if m["status"] != "active" || m["suspension"] != nil {
		t.Errorf("reactivated = %v", m)
	}
	if diff := cmp.Diff(map[string]string{sid: "active", sid2: "pending"}, serviceStatuses()); diff != "" {
		t.Errorf("services after reactivate (-want +got):\n%s", diff)
	}
	e.do(req{method: "POST", path: base + "/" + id + "/reactivate", key: agentKey}).want(t, 409).problem(t)

	var history struct {
		StatusHistory []struct{ From, To, Reason, ActorID string } `json:"status_history"`
	}
	do(req{method: "GET", path: base + "/" + id + "/status-history", key: viewerKey}, 200).decode(t, &history)
	var steps []string
	for _, h := range history.StatusHistory {
		steps = append(steps, h.From+">"+h.To+":"+h.Reason)
	}
	if diff := cmp.Diff([]string{">active:", "active>suspended:non_payment", "suspended>active:"}, steps); diff != "" {
		t.Errorf("status history (-want +got):\n%s", diff)
	}

	// Delete: blocked by the active service, then forced; afterwards 404
	// and the email and phone are free.
	p = e.do(req{method: "DELETE", path: base + "/" + id, key: adminKey}).want(t, 409).problem(t)
	if !strings.Contains(p.Detail, "force=true") {
		t.Errorf("delete conflict detail = %q", p.Detail)
	}
	r = do(req{method: "DELETE", path: base + "/" + id + "?force=true", key: adminKey}, 204)
	if len(r.body) != 0 {
		t.Errorf("204 body = %q", r.body)
	}
	for _, path := range []string{base + "/" + id, svcPath, svcPath + "/" + sid, base + "/" + id + "/status-history"} {
		e.do(req{method: "GET", path: path, key: viewerKey}).want(t, 404).problem(t)
	}
	e.do(req{method: "DELETE", path: base + "/" + id, key: adminKey}).want(t, 404).problem(t)
	e.createCustomer(map[string]any{"email": "Ada@Example.COM"})

	// Audit: admin only, readable after delete, personal data masked.
	var audit struct {
		AuditEntries []struct {
			Action    string            `json:"action"`
			Entity    string            `json:"entity"`
			ActorID   string            `json:"actor_id"`
			RequestID string            `json:"request_id"`
			Changes   []json.RawMessage `json:"changes"`
		} `json:"audit_entries"`
		HasMore bool `json:"has_more"`
	}
	r = do(req{method: "GET", path: base + "/" + id + "/audit?limit=200", key: adminKey}, 200)
	r.decode(t, &audit)
	var actions []string
	for _, a := range audit.AuditEntries {
		actions = append(actions, a.Entity+":"+a.Action)
		if a.ActorID == "" || a.RequestID == "" {
			t.Errorf("audit entry %s without actor or request id", a.Action)
		}
	}
	if len(actions) < 10 || actions[0] != "customer:delete" || actions[len(actions)-1] != "customer:create" {
		t.Errorf("audit actions = %v", actions)
	}
	if audit.AuditEntries[0].ActorID != keyID(t, adminKey) {
		t.Errorf("delete audited as %q", audit.AuditEntries[0].ActorID)
	}
	for _, leak := range []string{"Ada@example.com", "ada@example.com", "Lovelace", "+12125550142", "1 Main St", "3 invoices overdue"} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("audit trail contains %q", leak)
		}
	}
	for _, b := range bodies {
		for _, leak := range []string{"123-45-6789", "123456789", "234567890", "234-56-7890", `"tax_id":`} {
			if strings.Contains(string(b), leak) {
				t.Errorf("a response contains %q: %s", leak, b)
			}
		}
	}
	if logs := e.logs.String(); strings.Contains(logs, "123-45-6789") || strings.Contains(logs, "Lovelace") || strings.Contains(logs, agentKey) {
		t.Errorf("logs contain personal data or a key:\n%s", logs)
	}
}

// pick returns the named keys of m.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

func keyID(t *testing.T, secret string) string {
	t.Helper()
	for _, k := range testKeys(t) {
		if k.Secret == secret {
			return k.ID
		}
	}
	t.Fatalf("no key %q", secret)
	return ""
}
