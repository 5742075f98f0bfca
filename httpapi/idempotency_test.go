package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIdempotency(t *testing.T) { runOnStores(t, testIdempotency) }

func testIdempotency(t *testing.T, e *env) {
	post := func(key, idem string, body any) resp {
		t.Helper()
		h := map[string]string{}
		if idem != "" {
			h["Idempotency-Key"] = idem
		}
		return e.do(req{method: "POST", path: "/api/v1/customers", key: key, body: body, header: h})
	}

	t.Run("replay", func(t *testing.T) {
		first := post(agentKey, "k-replay", customerBody(nil)).want(t, 201)
		again := post(agentKey, "k-replay", customerBody(nil)).want(t, 201)
		if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("Idempotent-Replayed: first %q, again %q", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
		}
		for _, h := range []string{"Location", "ETag", "Content-Type"} {
			if first.header.Get(h) == "" || first.header.Get(h) != again.header.Get(h) {
				t.Errorf("%s: first %q, replay %q", h, first.header.Get(h), again.header.Get(h))
			}
		}
		if diff := cmp.Diff(string(first.body), string(again.body)); diff != "" {
			t.Errorf("replayed body (-want +got):\n%s", diff)
		}
		var list struct{ Customers []any }
		e.do(req{method: "GET", path: "/api/v1/customers", key: viewerKey}).want(t, 200).decode(t, &list)
		if len(list.Customers) != 1 {
			t.Errorf("%d customers after a replay, want 1", len(list.Customers))
		}
	})

	t.Run("different body is 422", func(t *testing.T) {
		p := post(agentKey, "k-replay", customerBody(map[string]any{"name": "Someone Else"})).want(t, 422).problem(t)
		if p.Code != "idempotency_mismatch" {
			t.Errorf("code = %q", p.Code)
		}
	})

	t.Run("keys are scoped to the API key", func(t *testing.T) {
		// The admin's "k-replay" is a new key: the create runs (and meets
		// the agent's customer).
		r := post(adminKey, "k-replay", customerBody(nil)).want(t, 409)
		if r.header.Get("Idempotent-Replayed") != "" {
			t.Error("replayed across API keys")
		}
	})

	t.Run("a conflict is stored and replayed", func(t *testing.T) {
		// The agent's customer from "first request runs" holds this email.
		first := post(agentKey, "k-conflict", customerBody(nil)).want(t, 409)
		again := post(agentKey, "k-conflict", customerBody(nil)).want(t, 409)
		if again.header.Get("Idempotent-Replayed") != "true" || string(first.body) != string(again.body) {
			t.Errorf("409 not replayed: %q\n%s\n%s", again.header.Get("Idempotent-Replayed"), first.body, again.body)
		}
		if again.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("replayed Content-Type = %q", again.header.Get("Content-Type"))
		}
	})

	t.Run("a validation failure frees the key for a corrected request", func(t *testing.T) {
		post(agentKey, "k-invalid", customerBody(map[string]any{"email": "nope"})).want(t, 400)
		again := post(agentKey, "k-invalid", customerBody(map[string]any{"email": "nope"})).want(t, 400)
		if again.header.Get("Idempotent-Replayed") != "" {
			t.Error("a 400 was replayed")
		}
		fixed := customerBody(map[string]any{"email": "fixed@example.com", "phone": "+12125550177"})
		post(agentKey, "k-invalid", fixed).want(t, 201)
		if r := post(agentKey, "k-invalid", fixed).want(t, 201); r.header.Get("Idempotent-Replayed") != "true" {
			t.Error("the corrected request was not stored")
		}
	})

	t.Run("5xx releases the key", func(t *testing.T) {
		body := customerBody(map[string]any{"name": nameFail, "email": "fail@example.com", "phone": "+12125550199"})
		post(agentKey, "k-fail", body).want(t, 500)
		again := post(agentKey, "k-fail", body).want(t, 500)
		if again.header.Get("Idempotent-Replayed") != "" {
			t.Error("a 500 was replayed")
		}
	})

	t.Run("panic releases the key", func(t *testing.T) {
		body := customerBody(map[string]any{"name": namePanic, "email": "panic@example.com", "phone": "+12125550198"})
		post(agentKey, "k-panic", body).want(t, 500)
		post(agentKey, "k-panic", body).want(t, 500)
	})

	t.Run("still running is 409", func(t *testing.T) {
		body := customerBody(map[string]any{"email": "slow@example.com", "phone": "+12125550197"})
		var first resp
		done := make(chan struct{})
		go func() {
			defer close(done)
			first = post(agentKey, slowKey, body)
		}()
		select {
		case <-e.slow: // the first request has claimed the key and waits
		case <-done:
			t.Fatalf("the first request did not wait after its claim: %d %s", first.status, first.body)
		}
		p := post(agentKey, slowKey, body).want(t, 409).problem(t)
		if p.Code != "conflict" || !strings.Contains(p.Detail, "still being processed") {
			t.Errorf("problem = %+v", p)
		}
		close(e.release)
		<-done
		if first.status != 201 {
			t.Errorf("first request: %d %s", first.status, first.body)
		}
		post(agentKey, slowKey, body).want(t, 201)
	})

	t.Run("bad keys are 400", func(t *testing.T) {
		for _, k := range []string{strings.Repeat("k", 256), "tab\there", "ünïcode"} {
			p := post(agentKey, k, customerBody(map[string]any{"email": "x@example.com"})).want(t, 400).problem(t)
			if diff := cmp.Diff([]string{"Idempotency-Key"}, p.fields()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		}
		post(agentKey, strings.Repeat("k", 255), customerBody(map[string]any{"email": "k255@example.com", "phone": "+12125550196"})).want(t, 201)
	})

	t.Run("actions are idempotent too", func(t *testing.T) {
		c := e.createCustomer(map[string]any{"email": "act@example.com", "phone": "+12125550195"})
		h := map[string]string{"Idempotency-Key": "suspend-1"}
		path := "/api/v1/customers/" + c.ID + "/suspend"
		first := e.do(req{method: "POST", path: path, key: agentKey, body: `{"reason":"fraud"}`, header: h}).want(t, 200)
		again := e.do(req{method: "POST", path: path, key: agentKey, body: `{"reason":"fraud"}`, header: h}).want(t, 200)
		if again.header.Get("Idempotent-Replayed") != "true" || string(first.body) != string(again.body) {
			t.Error("suspend not replayed")
		}
		// Without the key, the second suspend is a conflict.
		e.do(req{method: "POST", path: path, key: agentKey, body: `{"reason":"fraud"}`}).want(t, 409)
	})
}
