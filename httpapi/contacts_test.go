package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// contactJSON is the part of a contact response the tests check.
type contactJSON struct {
	ID                     string `json:"id"`
	CustomerID             string `json:"customer_id"`
	Name                   string `json:"name"`
	Title                  string `json:"title"`
	Email                  string `json:"email"`
	Phone                  string `json:"phone"`
	Mobile                 string `json:"mobile"`
	Type                   string `json:"contact_type"`
	IsPrimary              bool   `json:"is_primary"`
	CanAuthorizeChanges    bool   `json:"can_authorize_changes"`
	PreferredContactMethod string `json:"preferred_contact_method"`
	Notes                  string `json:"notes"`
	Version                int64  `json:"version"`
}

// contactPage is one page of GET /contacts.
type contactPage struct {
	Contacts   []contactJSON `json:"contacts"`
	NextCursor *string       `json:"next_cursor"`
	HasMore    bool          `json:"has_more"`
}

// contactsPath is the collection of a customer's contacts.
func contactsPath(customerID string) string { return "/api/v1/customers/" + customerID + "/contacts" }

// getContact reads a contact as viewer and checks its ETag.
func (e *env) getContact(customerID, id string) contactJSON {
	e.t.Helper()
	var c contactJSON
	r := e.do(req{method: "GET", path: contactsPath(customerID) + "/" + id, key: viewerKey}).want(e.t, 200)
	r.decode(e.t, &c)
	if got, want := r.header.Get("ETag"), fmt.Sprintf(`"%d"`, c.Version); got != want {
		e.t.Errorf("ETag = %s, want %s", got, want)
	}
	return c
}

// ifMatch is the header map of an If-Match for version.
func ifMatch(version int64) map[string]string {
	return map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version)}
}

// TestContactLifecycle follows one contact through create, get, PUT,
// PATCH and DELETE, then checks its masked audit trail and its events.
func TestContactLifecycle(t *testing.T) { runOnStores(t, testContactLifecycle) }

func testContactLifecycle(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	base := contactsPath(c.ID)

	r := e.do(req{method: "POST", path: base, key: agentKey, body: contactBody(map[string]any{
		"name": "  Grace Hopper ", "email": "grace@EXAMPLE.com", "can_authorize_changes": true, "notes": "Call after 9"})}).want(t, 201)
	var created contactJSON
	r.decode(t, &created)
	want := contactJSON{ID: created.ID, CustomerID: c.ID, Name: "Grace Hopper", Title: "Accounts payable",
		Email: "grace@example.com", Phone: "+12025550107", Mobile: "+13035550123", Type: "billing",
		CanAuthorizeChanges: true, PreferredContactMethod: "email", Notes: "Call after 9", Version: 1}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("created contact (-want +got):\n%s", diff)
	}
	cp := base + "/" + created.ID
	if got := r.header.Get("Location"); got != cp {
		t.Errorf("Location = %q, want %q", got, cp)
	}
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q", got)
	}
	if diff := cmp.Diff(want, e.getContact(c.ID, created.ID)); diff != "" {
		t.Errorf("GET contact (-want +got):\n%s", diff)
	}

	// PUT replaces every writable field: omitted ones are cleared.
	r = e.do(req{method: "PUT", path: cp, key: agentKey, header: ifMatch(1),
		body: contactBody(map[string]any{"title": nil, "mobile": nil, "contact_type": "technical", "preferred_contact_method": "phone"})}).want(t, 200)
	want.Title, want.Mobile, want.Type, want.PreferredContactMethod = "", "", "technical", "phone"
	want.Email, want.Name, want.CanAuthorizeChanges, want.Notes, want.Version = "grace@example.com", "Grace Hopper", false, "", 2
	var got contactJSON
	r.decode(t, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replaced contact (-want +got):\n%s", diff)
	}
	if r.header.Get("ETag") != `"2"` {
		t.Errorf("ETag after PUT = %q", r.header.Get("ETag"))
	}

	// PATCH merges; null removes a field.
	r = e.do(req{method: "PATCH", path: cp, key: agentKey, header: map[string]string{"If-Match": `"2"`, "Content-Type": "application/merge-patch+json"},
		body: `{"mobile": "+1 303 555 0199", "email": null, "preferred_contact_method": "sms"}`}).want(t, 200)
	want.Mobile, want.Email, want.PreferredContactMethod, want.Version = "+13035550199", "", "sms", 3
	r.decode(t, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patched contact (-want +got):\n%s", diff)
	}
	// A patch that changes nothing keeps the version.
	e.do(req{method: "PATCH", path: cp, key: agentKey, body: `{"name": "Grace Hopper"}`}).want(t, 200).decode(t, &got)
	if got.Version != 3 {
		t.Errorf("version after an empty change = %d, want 3", got.Version)
	}

	e.do(req{method: "DELETE", path: cp, key: agentKey, header: ifMatch(3)}).want(t, 204)
	e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 404).problem(t)
	e.do(req{method: "DELETE", path: cp, key: agentKey}).want(t, 404).problem(t)

	// The audit trail records each change under the contact, with its
	// personal data masked.
	r = e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/audit?limit=200", key: adminKey}).want(t, 200)
	for _, secret := range []string{"grace@example.com", "+12025550107", "+13035550123", "+13035550199", "Grace Hopper", "Call after 9"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("audit trail contains %q: %s", secret, r.body)
		}
	}
	var audit struct {
		AuditEntries []crm.AuditEntry `json:"audit_entries"`
	}
	r.decode(t, &audit)
	var actions []string
	var createChanges map[string]string
	for _, a := range audit.AuditEntries {
		if a.Entity != "contact" {
			continue
		}
		if a.EntityID != created.ID {
			t.Errorf("contact audit entry for %s, want %s", a.EntityID, created.ID)
		}
		actions = append(actions, a.Action)
		if a.Action == "create" {
			createChanges = map[string]string{}
			for _, ch := range a.Changes {
				createChanges[ch.Field] = string(ch.After)
			}
		}
	}
	if diff := cmp.Diff([]string{"delete", "update", "update", "create"}, actions); diff != "" {
		t.Errorf("contact audit actions, newest first (-want +got):\n%s", diff)
	}
	wantMasked := map[string]string{"email": `"g***@example.com"`, "phone": `"+*******0107"`, "mobile": `"+*******0123"`,
		"name": `"G*** H***"`, "notes": `"[redacted]"`, "contact_type": `"billing"`}
	for field, v := range wantMasked {
		if createChanges[field] != v {
			t.Errorf("create audit %s = %s, want %s", field, createChanges[field], v)
		}
	}

	// Each change is announced in the outbox; the deletion carries no
	// personal data.
	events, err := e.store.ListEvents(t.Context(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range events {
		if !strings.HasPrefix(ev.Type, "contact.") {
			continue
		}
		types = append(types, ev.Type)
		if ev.CustomerID != c.ID {
			t.Errorf("%s for customer %s", ev.Type, ev.CustomerID)
		}
		if ev.Type == "contact.deleted" && (strings.Contains(string(ev.Payload), "Grace") || !strings.Contains(string(ev.Payload), created.ID)) {
			t.Errorf("contact.deleted payload = %s", ev.Payload)
		}
	}
	if diff := cmp.Diff([]string{"contact.created", "contact.updated", "contact.updated", "contact.deleted"}, types); diff != "" {
		t.Errorf("contact events (-want +got):\n%s", diff)
	}
}

// TestContactErrors covers every 4xx of the contact endpoints.
func TestContactErrors(t *testing.T) { runOnStores(t, testContactErrors) }

func testContactErrors(t *testing.T, e *env) {
	a := e.createCustomer(nil)
	b := e.createCustomer(map[string]any{"email": "b@example.com", "phone": "+12125550150"})
	gone := e.createCustomer(map[string]any{"email": "gone@example.com", "phone": "+12125550151"})
	ca := e.addContact(a.ID, nil)
	e.addContact(gone.ID, nil)
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + gone.ID, key: adminKey}).want(t, 204)
	unknown := "0195f0a0-0000-7000-8000-0000000000ff"
	ofA, underB := contactsPath(a.ID)+"/"+ca, contactsPath(b.ID)+"/"+ca

	notFound := []req{
		{method: "GET", path: underB}, // a contact of another customer
		{method: "PUT", path: underB, body: contactBody(nil)},
		{method: "PATCH", path: underB, body: `{"title":"x"}`},
		{method: "DELETE", path: underB},
		{method: "GET", path: contactsPath(a.ID) + "/" + unknown},
		{method: "GET", path: contactsPath(a.ID) + "/not-a-uuid"},
		{method: "PUT", path: contactsPath(a.ID) + "/" + unknown, body: contactBody(nil)},
		{method: "PATCH", path: contactsPath(a.ID) + "/" + unknown, body: `{}`},
		{method: "DELETE", path: contactsPath(a.ID) + "/" + unknown},
		{method: "GET", path: contactsPath(unknown)},
		{method: "POST", path: contactsPath(unknown), body: contactBody(nil)},
		{method: "GET", path: contactsPath("not-a-uuid")},
		{method: "GET", path: contactsPath(gone.ID)}, // a deleted customer
		{method: "POST", path: contactsPath(gone.ID), body: contactBody(nil)},
	}
	for _, r := range notFound {
		t.Run("404 "+r.method+" "+r.path, func(t *testing.T) {
			r.key = agentKey
			if p := e.do(r).want(t, 404).problem(t); p.Code != "not_found" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}

	invalid := []struct {
		name   string
		r      req
		fields []string
	}{
		{"bad enum", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"contact_type": "boss"})}, []string{"contact_type"}},
		{"missing type and name", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"contact_type": nil, "name": nil})},
			[]string{"name", "contact_type"}},
		{"bad email, phone and mobile", req{method: "POST", path: contactsPath(a.ID),
			body: contactBody(map[string]any{"email": "grace@", "phone": "555-0107", "mobile": "+1 999 999 9999"})}, []string{"email", "phone", "mobile"}},
		{"bad preferred method", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"preferred_contact_method": "pigeon"})},
			[]string{"preferred_contact_method"}},
		{"sms without mobile", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"mobile": nil, "preferred_contact_method": "sms"})},
			[]string{"preferred_contact_method"}},
		{"no way to reach", req{method: "POST", path: contactsPath(a.ID), body: `{"name":"Nobody","contact_type":"emergency"}`}, []string{"email"}},
		{"too long", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"title": strings.Repeat("x", 101), "notes": strings.Repeat("x", 2001)})},
			[]string{"title", "notes"}},
		{"wrong type", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"is_primary": "yes"})}, []string{"is_primary"}},
		{"unknown field", req{method: "POST", path: contactsPath(a.ID), body: contactBody(map[string]any{"fax": "x"})}, []string{"fax"}},
		{"bad enum on PUT", req{method: "PUT", path: ofA, body: contactBody(map[string]any{"contact_type": "Billing"})}, []string{"contact_type"}},
		{"bad phone on PATCH", req{method: "PATCH", path: ofA, body: `{"phone":"12"}`}, []string{"phone"}},
		{"bad list filter", req{method: "GET", path: contactsPath(a.ID) + "?contact_type=boss&limit=0"}, []string{"contact_type", "limit"}},
		{"bad cursor", req{method: "GET", path: contactsPath(a.ID) + "?cursor=zzz"}, []string{"cursor"}},
		{"unknown query", req{method: "GET", path: ofA + "?include=all"}, []string{"include"}},
	}
	for _, field := range []string{"id", "customer_id", "version", "created_at", "updated_at"} {
		body := contactBody(map[string]any{field: "x"})
		invalid = append(invalid,
			struct {
				name   string
				r      req
				fields []string
			}{"owned " + field + " on POST", req{method: "POST", path: contactsPath(a.ID), body: body}, []string{field}},
			struct {
				name   string
				r      req
				fields []string
			}{"owned " + field + " on PUT", req{method: "PUT", path: ofA, body: body}, []string{field}},
			struct {
				name   string
				r      req
				fields []string
			}{"owned " + field + " on PATCH", req{method: "PATCH", path: ofA, body: map[string]any{field: "x"}}, []string{field}},
		)
	}
	for _, tt := range invalid {
		t.Run("400 "+tt.name, func(t *testing.T) {
			tt.r.key = agentKey
			p := e.do(tt.r).want(t, 400).problem(t)
			got := p.fields()
			slices.Sort(got)
			want := slices.Clone(tt.fields)
			slices.Sort(want)
			if p.Code != "invalid" || !slices.Equal(got, want) {
				t.Errorf("problem = %+v, want fields %v", p, want)
			}
		})
	}

	for _, r := range []req{
		{method: "POST", path: contactsPath(a.ID), body: contactBody(nil)},
		{method: "PUT", path: ofA, body: contactBody(nil)},
		{method: "PATCH", path: ofA, body: `{"title":"x"}`},
		{method: "DELETE", path: ofA},
	} {
		t.Run("403 viewer "+r.method, func(t *testing.T) {
			r.key = viewerKey
			if p := e.do(r).want(t, 403).problem(t); p.Code != "forbidden" {
				t.Errorf("code = %q", p.Code)
			}
		})
	}

	before := e.getContact(a.ID, ca)
	stale := ifMatch(before.Version + 1)
	for _, r := range []req{
		{method: "PUT", path: ofA, body: contactBody(map[string]any{"title": "Changed"}), header: stale},
		{method: "PATCH", path: ofA, body: `{"title":"Changed"}`, header: stale},
		{method: "DELETE", path: ofA, header: stale},
		{method: "DELETE", path: ofA, header: map[string]string{"If-Match": `W/"1"`}},
	} {
		t.Run("412 "+r.method, func(t *testing.T) {
			r.key = agentKey
			if p := e.do(r).want(t, 412).problem(t); p.Code != "precondition_failed" {
				t.Errorf("code = %q", p.Code)
			}
			if diff := cmp.Diff(before, e.getContact(a.ID, ca)); diff != "" {
				t.Errorf("contact changed by a refused write (-before +after):\n%s", diff)
			}
		})
	}
}

// TestContactPrimarySwap checks through HTTP that a customer keeps one
// primary contact per type: making another contact primary, on create,
// PATCH or by changing its type, demotes the previous one, bumps its
// version and audits it.
func TestContactPrimarySwap(t *testing.T) { runOnStores(t, testContactPrimarySwap) }

func testContactPrimarySwap(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550152"})
	first := e.addContact(c.ID, map[string]any{"is_primary": true})
	tech := e.addContact(c.ID, map[string]any{"is_primary": true, "contact_type": "technical"})
	othersPrimary := e.addContact(other.ID, map[string]any{"is_primary": true})

	primaries := func(customerID string) map[string]string {
		t.Helper()
		var page contactPage
		e.do(req{method: "GET", path: contactsPath(customerID), key: viewerKey}).want(t, 200).decode(t, &page)
		out := map[string]string{}
		for _, ct := range page.Contacts {
			if ct.IsPrimary {
				if prev, dup := out[ct.Type]; dup {
					t.Fatalf("two primary %s contacts: %s and %s", ct.Type, prev, ct.ID)
				}
				out[ct.Type] = ct.ID
			}
		}
		return out
	}
	expect := func(what string, want map[string]string) {
		t.Helper()
		if diff := cmp.Diff(want, primaries(c.ID)); diff != "" {
			t.Errorf("%s: primary contacts by type (-want +got):\n%s", what, diff)
		}
	}

	second := e.addContact(c.ID, map[string]any{"is_primary": true})
	expect("after creating a second primary billing contact", map[string]string{"billing": second, "technical": tech})
	demoted := e.getContact(c.ID, first)
	if demoted.IsPrimary || demoted.Version != 2 {
		t.Errorf("demoted contact = %+v, want not primary at version 2", demoted)
	}

	e.do(req{method: "PATCH", path: contactsPath(c.ID) + "/" + first, key: agentKey, header: ifMatch(2), body: `{"is_primary": true}`}).want(t, 200)
	expect("after promoting the first again", map[string]string{"billing": first, "technical": tech})

	e.do(req{method: "PUT", path: contactsPath(c.ID) + "/" + tech, key: agentKey, body: contactBody(map[string]any{"is_primary": true})}).want(t, 200)
	expect("after moving the technical primary to billing", map[string]string{"billing": tech})
	if diff := cmp.Diff(map[string]string{"billing": othersPrimary}, primaries(other.ID)); diff != "" {
		t.Errorf("other customer's primary contacts changed (-want +got):\n%s", diff)
	}

	// The demotions are audited as updates of is_primary.
	var audit struct {
		AuditEntries []crm.AuditEntry `json:"audit_entries"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/audit?limit=200", key: adminKey}).want(t, 200).decode(t, &audit)
	demotions := map[string]int{}
	for _, a := range audit.AuditEntries {
		for _, ch := range a.Changes {
			if a.Entity == "contact" && a.Action == "update" && ch.Field == "is_primary" && string(ch.After) == "false" {
				demotions[a.EntityID]++
			}
		}
	}
	if diff := cmp.Diff(map[string]int{first: 2, second: 1}, demotions); diff != "" {
		t.Errorf("audited demotions by contact (-want +got):\n%s", diff)
	}
}

// TestContactPagination pages through a customer's contacts, oldest first,
// with and without the contact_type filter.
func TestContactPagination(t *testing.T) { runOnStores(t, testContactPagination) }

func testContactPagination(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550152"})
	var all, technical []string
	for i, typ := range []string{"technical", "billing", "technical", "emergency", "technical"} {
		id := e.addContact(c.ID, map[string]any{"contact_type": typ, "name": fmt.Sprintf("Contact %d", i)})
		all = append(all, id)
		if typ == "technical" {
			technical = append(technical, id)
		}
		e.addContact(other.ID, map[string]any{"contact_type": typ})
	}
	walk := func(query string, limit int) (ids []string, pages int) {
		t.Helper()
		path := contactsPath(c.ID) + fmt.Sprintf("?limit=%d%s", limit, query)
		for cursor := ""; ; pages++ {
			p := path
			if cursor != "" {
				p += "&cursor=" + cursor
			}
			var page contactPage
			e.do(req{method: "GET", path: p, key: viewerKey}).want(t, 200).decode(t, &page)
			for _, ct := range page.Contacts {
				ids = append(ids, ct.ID)
			}
			if page.HasMore != (page.NextCursor != nil) || len(page.Contacts) > limit {
				t.Fatalf("page %+v", page)
			}
			if !page.HasMore {
				return ids, pages + 1
			}
			cursor = *page.NextCursor
		}
	}
	for _, tt := range []struct {
		query     string
		limit     int
		want      []string
		wantPages int
	}{
		{"", 2, all, 3},
		{"", 5, all, 1},
		{"", 200, all, 1},
		{"&contact_type=technical", 1, technical, 3},
		{"&contact_type=technical", 2, technical, 2},
		{"&contact_type=primary", 2, nil, 1},
	} {
		t.Run(fmt.Sprintf("limit=%d%s", tt.limit, tt.query), func(t *testing.T) {
			ids, pages := walk(tt.query, tt.limit)
			if diff := cmp.Diff(tt.want, ids); diff != "" || pages != tt.wantPages {
				t.Errorf("%d pages (want %d), ids (-want +got):\n%s", pages, tt.wantPages, diff)
			}
		})
	}
	var page contactPage
	e.do(req{method: "GET", path: contactsPath(c.ID), key: viewerKey}).want(t, 200).decode(t, &page)
	if len(page.Contacts) != len(all) || page.HasMore || page.NextCursor != nil {
		t.Errorf("default page = %+v", page)
	}
}

// TestContactsErasedWithCustomer checks that deleting a customer removes
// its contacts from the store itself, not only from the API's view, while
// the masked audit trail stays readable.
func TestContactsErasedWithCustomer(t *testing.T) { runOnStores(t, testContactsErasedWithCustomer) }

func testContactsErasedWithCustomer(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	keep := e.createCustomer(map[string]any{"email": "keep@example.com", "phone": "+12125550153"})
	ids := []string{e.addContact(c.ID, map[string]any{"is_primary": true}), e.addContact(c.ID, map[string]any{"contact_type": "emergency"})}
	kept := e.addContact(keep.ID, nil)

	e.do(req{method: "DELETE", path: "/api/v1/customers/" + c.ID, key: adminKey}).want(t, 204)

	ctx := t.Context()
	rows, err := e.store.ListContacts(ctx, c.ID, "", "", 0)
	if err != nil || len(rows) != 0 {
		t.Errorf("store still holds the deleted customer's contacts: %v, %v", rows, err)
	}
	for _, id := range ids {
		if _, err := e.store.GetContact(ctx, c.ID, id); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("store GetContact(%s) after customer delete: %v", id, err)
		}
		e.do(req{method: "GET", path: contactsPath(c.ID) + "/" + id, key: viewerKey}).want(t, 404).problem(t)
	}
	e.do(req{method: "GET", path: contactsPath(c.ID), key: viewerKey}).want(t, 404).problem(t)
	if got := e.getContact(keep.ID, kept); got.ID != kept {
		t.Errorf("other customer's contact = %+v", got)
	}

	r := e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/audit?limit=200", key: adminKey}).want(t, 200)
	var audit struct {
		AuditEntries []json.RawMessage `json:"audit_entries"`
	}
	r.decode(t, &audit)
	if !strings.Contains(string(r.body), `"entity":"contact"`) || strings.Contains(string(r.body), "grace@example.com") {
		t.Errorf("audit after erasure: %s", r.body)
	}
}
