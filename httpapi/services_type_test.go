package httpapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// TestServiceTypes checks the service type over HTTP on both stores: the
// default for a body without one, the technology rule (required for
// internet only), an unknown type, and PATCH changing the type, which the
// audit trail records.
func TestServiceTypes(t *testing.T) { runOnStores(t, testServiceTypes) }

func testServiceTypes(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	svcPath := "/api/v1/customers/" + c.ID + "/services"
	post := func(body map[string]any) resp {
		return e.do(req{method: "POST", path: svcPath, key: agentKey, body: body})
	}
	// pick keeps the service's type and technology (absent: "-").
	pick := func(m map[string]any) [2]any {
		out := [2]any{"-", "-"}
		for i, k := range []string{"service_type", "technology"} {
			if v, ok := m[k]; ok {
				out[i] = v
			}
		}
		return out
	}

	created := []struct {
		name string
		body map[string]any
		want [2]any
	}{
		{"old-style body", serviceBody(nil), [2]any{"internet", "fiber"}},
		{"voice without technology", serviceBody(map[string]any{"service_type": "voice", "technology": nil}), [2]any{"voice", "-"}},
		{"tv with technology", serviceBody(map[string]any{"service_type": "tv", "technology": "cable"}), [2]any{"tv", "cable"}},
		{"internet named", serviceBody(map[string]any{"service_type": "internet", "technology": "dsl"}), [2]any{"internet", "dsl"}},
	}
	ids := map[string]string{}
	for _, tt := range created {
		r := post(tt.body).want(t, 201)
		m := r.object(t)
		if diff := cmp.Diff(tt.want, pick(m)); diff != "" {
			t.Errorf("%s: created service type, technology (-want +got):\n%s", tt.name, diff)
		}
		got := e.do(req{method: "GET", path: svcPath + "/" + m["id"].(string), key: viewerKey}).want(t, 200).object(t)
		if diff := cmp.Diff(tt.want, pick(got)); diff != "" {
			t.Errorf("%s: read back (-want +got):\n%s", tt.name, diff)
		}
		ids[tt.name] = m["id"].(string)
	}

	refused := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"internet without technology", serviceBody(map[string]any{"service_type": "internet", "technology": nil}), "technology"},
		{"old-style body without technology", serviceBody(map[string]any{"technology": nil}), "technology"},
		{"unknown type", serviceBody(map[string]any{"service_type": "telegraph"}), "service_type"},
		{"voice with unknown technology", serviceBody(map[string]any{"service_type": "voice", "technology": "laser"}), "technology"},
	}
	for _, tt := range refused {
		p := post(tt.body).want(t, 400).problem(t)
		if diff := cmp.Diff([]string{tt.field}, p.fields()); diff != "" {
			t.Errorf("%s: problem fields (-want +got):\n%s", tt.name, diff)
		}
	}

	// PATCH: the type changes; a patch without it keeps it; null clears
	// the technology, which internet access refuses.
	sid := ids["old-style body"]
	patch := func(body string) resp {
		return e.do(req{method: "PATCH", path: svcPath + "/" + sid, key: agentKey, body: body})
	}
	patches := []struct {
		body   string
		status int
		want   [2]any
	}{
		{`{"service_type": "streaming"}`, 200, [2]any{"streaming", "fiber"}},
		{`{"plan_name": "Streaming Plus"}`, 200, [2]any{"streaming", "fiber"}},
		{`{"service_type": "voice", "technology": null}`, 200, [2]any{"voice", "-"}},
		{`{"service_type": "internet"}`, 400, [2]any{"voice", "-"}},
		{`{"service_type": "nope"}`, 400, [2]any{"voice", "-"}},
		{`{"service_type": "internet", "technology": "cable"}`, 200, [2]any{"internet", "cable"}},
	}
	for _, tt := range patches {
		patch(tt.body).want(t, tt.status)
		got := e.do(req{method: "GET", path: svcPath + "/" + sid, key: viewerKey}).want(t, 200).object(t)
		if diff := cmp.Diff(tt.want, pick(got)); diff != "" {
			t.Errorf("after PATCH %s (-want +got):\n%s", tt.body, diff)
		}
	}
	p := patch(`{"service_type": "internet", "technology": null}`).want(t, 400).problem(t)
	if diff := cmp.Diff([]string{"technology"}, p.fields()); diff != "" {
		t.Errorf("PATCH internet without technology: problem fields (-want +got):\n%s", diff)
	}

	// The audit trail records the type of a new service and each change
	// of it.
	var audit struct {
		AuditEntries []crm.AuditEntry `json:"audit_entries"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/audit?limit=200", key: adminKey}).want(t, 200).decode(t, &audit)
	var changes []string
	for _, a := range audit.AuditEntries {
		if a.EntityID != sid {
			continue
		}
		for _, ch := range a.Changes {
			if ch.Field == "service_type" {
				changes = append(changes, a.Action+": "+string(ch.Before)+" -> "+string(ch.After))
			}
		}
	}
	want := []string{ // newest first
		`update: "voice" -> "internet"`,
		`update: "streaming" -> "voice"`,
		`update: "internet" -> "streaming"`,
		`create: null -> "internet"`,
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("service_type in the audit trail (-want +got):\n%s", diff)
	}
}
