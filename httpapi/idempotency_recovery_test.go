package httpapi_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// flakyBackend fails the next finishFails stores and releaseFails releases
// of idempotency records, as a database whose connection drops does.
type flakyBackend struct {
	httpapi.Backend
	finishFails, releaseFails atomic.Int32
}

// take reports whether a failure is due, counting it off n.
func take(n *atomic.Int32) bool {
	for {
		v := n.Load()
		if v <= 0 {
			return false
		}
		if n.CompareAndSwap(v, v-1) {
			return true
		}
	}
}

func (b *flakyBackend) FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	if take(&b.finishFails) {
		return crm.Errorf(crm.CodeUnavailable, "connection reset by peer")
	}
	return b.Backend.FinishIdempotencyKey(ctx, rec)
}

func (b *flakyBackend) ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	if take(&b.releaseFails) {
		return crm.Errorf(crm.CodeUnavailable, "connection reset by peer")
	}
	return b.Backend.ReleaseIdempotencyKey(ctx, rec)
}

// sendKeyed POSTs body to path as agent with Idempotency-Key key.
func (e *env) sendKeyed(path, key string, body any) resp {
	e.t.Helper()
	return e.do(req{method: "POST", path: path, key: agentKey, body: body, header: map[string]string{"Idempotency-Key": key}})
}

// replayed reports whether r is a replayed response.
func (r resp) replayed() bool { return r.header.Get("Idempotent-Replayed") == "true" }

// A key whose record could not be stored or released at first does not
// stay "still being processed": storing and releasing are retried, and a
// claim that is abandoned all the same is taken over after its lease.
func TestIdempotencyRecovers(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, e *env, b *flakyBackend, clk *clock)
	}{
		{"a store that fails once is retried", func(t *testing.T, e *env, b *flakyBackend, _ *clock) {
			b.finishFails.Store(1)
			first := e.sendKeyed("/api/v1/customers", "k-store", customerBody(nil)).want(t, 201)
			if n := b.finishFails.Load(); n != 0 {
				t.Fatalf("the injected failure was not hit (%d left)", n)
			}
			again := e.sendKeyed("/api/v1/customers", "k-store", customerBody(nil)).want(t, 201)
			if !again.replayed() || string(again.body) != string(first.body) {
				t.Errorf("not replayed after a failed store: replayed %v\n%s\n%s", again.replayed(), first.body, again.body)
			}
		}},
		{"a release that fails once is retried", func(t *testing.T, e *env, b *flakyBackend, _ *clock) {
			b.releaseFails.Store(1)
			body := customerBody(map[string]any{"name": nameFail})
			e.sendKeyed("/api/v1/customers", "k-release", body).want(t, 500)
			if n := b.releaseFails.Load(); n != 0 {
				t.Fatalf("the injected failure was not hit (%d left)", n)
			}
			e.sendKeyed("/api/v1/customers", "k-release", body).want(t, 500) // runs again: not 409
		}},
		{"an abandoned claim is taken over after its lease", func(t *testing.T, e *env, b *flakyBackend, clk *clock) {
			c := e.createCustomer(nil)
			path := contactsPath(c.ID)
			b.finishFails.Store(1 << 20) // every attempt fails
			first := e.sendKeyed(path, "k-lease", contactBody(nil)).want(t, 201)
			b.finishFails.Store(0)

			clk.Set(t0.Add(store.IdempotencyLease - time.Second))
			p := e.sendKeyed(path, "k-lease", contactBody(nil)).want(t, 409).problem(t)
			if !strings.Contains(p.Detail, "still being processed") {
				t.Errorf("within the lease: %+v", p)
			}

			clk.Set(t0.Add(store.IdempotencyLease))
			took := e.sendKeyed(path, "k-lease", contactBody(nil)).want(t, 201)
			if took.replayed() || took.object(t)["id"] == first.object(t)["id"] {
				t.Errorf("the takeover did not run the request: replayed %v\n%s\n%s", took.replayed(), first.body, took.body)
			}
			again := e.sendKeyed(path, "k-lease", contactBody(nil)).want(t, 201)
			if !again.replayed() || string(again.body) != string(took.body) {
				t.Errorf("the takeover's response was not stored: replayed %v\n%s\n%s", again.replayed(), took.body, again.body)
			}
		}},
	}
	teststore.ForEach(t, func(t *testing.T, open func(t testing.TB) store.Store) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				b, clk := &flakyBackend{}, &clock{t: t0}
				e := newEnvOn(t, open(t), func(cfg *httpapi.Config) {
					b.Backend, cfg.Backend, cfg.Now = cfg.Backend, b, clk.Now
				})
				tc.run(t, e, b, clk)
			})
		}
	})
}

// The stored responses about a customer name it, so that deleting the
// customer drops them (its eraser calls DeleteIdempotencyKeysOf): replaying
// the original requests then runs them again instead of returning the
// erased record.
func TestIdempotencyRecordsOfAnErasedCustomer(t *testing.T) {
	runOnStores(t, func(t *testing.T, e *env) {
		created := e.sendKeyed("/api/v1/customers", "create-a", customerBody(nil)).want(t, 201)
		id, _ := created.object(t)["id"].(string)
		sent := []struct {
			path, key string
			body      any
			first     resp
		}{
			{"/api/v1/customers", "create-a", customerBody(nil), created},
			{"/api/v1/customers/" + id + "/suspend", "suspend-a", `{"reason":"fraud"}`, resp{}},
			{contactsPath(id), "contact-a", contactBody(nil), resp{}},
		}
		sent[1].first = e.sendKeyed(sent[1].path, sent[1].key, sent[1].body).want(t, 200)
		sent[2].first = e.sendKeyed(sent[2].path, sent[2].key, sent[2].body).want(t, 201)
		bBody := customerBody(map[string]any{"email": "b@example.com", "phone": "+12125550111"})
		other := e.sendKeyed("/api/v1/customers", "create-b", bBody).want(t, 201)

		e.do(req{method: "DELETE", path: "/api/v1/customers/" + id + "?force=true", key: adminKey}).want(t, 204)

		for _, s := range sent {
			r := e.sendKeyed(s.path, s.key, s.body)
			if r.replayed() || string(r.body) == string(s.first.body) {
				t.Errorf("%s replayed after the customer was erased: %d %s", s.key, r.status, r.body)
			}
		}
		if r := e.sendKeyed("/api/v1/customers", "create-b", bBody).want(t, 201); !r.replayed() || string(r.body) != string(other.body) {
			t.Errorf("another customer's create was not replayed: %s", r.body)
		}
	})
}
