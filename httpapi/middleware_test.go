package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

func TestRequestID(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"sane id is kept", "abc-123_X.y", true},
		{"64 chars are kept", strings.Repeat("a", 64), true},
		{"65 chars are replaced", strings.Repeat("a", 65), false},
		{"spaces are replaced", "a b", false},
		{"injection is replaced", "a\"}\n{", false},
		{"none is generated", "", false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: "/api/v1/customers/nope", key: viewerKey, header: map[string]string{"X-Request-Id": tt.sent}}).want(t, 404)
			got := r.header.Get("X-Request-Id")
			if tt.kept && got != tt.sent || !tt.kept && (got == tt.sent || got == "" || seen[got]) {
				t.Errorf("X-Request-Id = %q for %q", got, tt.sent)
			}
			seen[got] = true
			if p := r.problem(t); p.RequestID != got {
				t.Errorf("problem request_id %q", p.RequestID)
			}
		})
	}
}

// logLines parses the JSON log lines with msg.
func logLines(t *testing.T, logs, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func TestAccessLog(t *testing.T) {
	e := newEnv(t)
	c := e.createCustomer(map[string]any{"tax_id": "123-45-6789"})
	e.do(req{method: "GET", path: "/api/v1/customers?q=ada%40example.com&city=Springfield", key: viewerKey,
		header: map[string]string{"X-Request-Id": "list-1"}}).want(t, 200)
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID, key: viewerKey}).want(t, 200)
	e.do(req{method: "GET", path: "/api/v1/nowhere/ada@example.com"}).want(t, 404)
	e.do(req{method: "GET", path: "/api/v1/customers", key: "wrong-key"}).want(t, 401)

	lines := logLines(t, e.logs.String(), "http request")
	if len(lines) != 5 {
		t.Fatalf("%d access log lines, want 5:\n%s", len(lines), e.logs)
	}
	got := lines[1]
	delete(got, "time")
	if d, ok := got["duration"].(float64); !ok || d < 0 {
		t.Errorf("duration = %v", got["duration"])
	}
	delete(got, "duration")
	want := map[string]any{
		"level": "INFO", "msg": "http request", "method": "GET", "route": "/api/v1/customers", "status": 200.0,
		"bytes": got["bytes"], "key_id": keyID(t, viewerKey), "request_id": "list-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("access log line (-want +got):\n%s", diff)
	}
	if got["bytes"].(float64) < 100 {
		t.Errorf("bytes = %v", got["bytes"])
	}
	if r := lines[2]["route"]; r != "/api/v1/customers/:id" {
		t.Errorf("route of GET customer = %v", r)
	}
	if r := lines[3]["route"]; r != "(unmatched)" {
		t.Errorf("route of unknown path = %v", r)
	}
	if lines[4]["status"] != 401.0 || lines[4]["key_id"] != "" {
		t.Errorf("401 line = %v", lines[4])
	}
	logs := e.logs.String()
	for _, leak := range []string{"ada@example.com", "ada%40example.com", "Springfield", "Lovelace", "123-45-6789", viewerKey, agentKey, "wrong-key", c.ID} {
		if strings.Contains(logs, leak) {
			t.Errorf("the log contains %q:\n%s", leak, logs)
		}
	}
}

func TestPanicAndInternalErrors(t *testing.T) { runOnStores(t, testPanicAndInternalErrors) }

func testPanicAndInternalErrors(t *testing.T, e *env) {
	tests := []struct {
		name, customer, logMsg, logText string
	}{
		{"panic", namePanic, "panic", "repository exploded"},
		{"internal error", nameFail, "internal error", "boom: connection reset by peer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "POST", path: "/api/v1/customers", key: agentKey,
				body: customerBody(map[string]any{"name": tt.customer}), header: map[string]string{"X-Request-Id": "rid-" + tt.name[:5]}}).want(t, 500)
			p := r.problem(t)
			if p.Code != "internal" || strings.Contains(string(r.body), tt.logText) || strings.Contains(string(r.body), "goroutine") {
				t.Errorf("500 body leaks or has the wrong code: %s", r.body)
			}
			lines := logLines(t, e.logs.String(), tt.logMsg)
			if len(lines) == 0 {
				t.Fatalf("no %q log line:\n%s", tt.logMsg, e.logs)
			}
			last := lines[len(lines)-1]
			if last["request_id"] != "rid-"+tt.name[:5] || !strings.Contains(fmt.Sprint(last["panic"], last["error"]), tt.logText) {
				t.Errorf("log line = %v", last)
			}
			if tt.name == "panic" && !strings.Contains(fmt.Sprint(last["stack"]), "goroutine") {
				t.Errorf("panic log without stack: %v", last)
			}
		})
	}
	// The server still serves.
	e.do(req{method: "GET", path: "/api/v1/customers", key: viewerKey}).want(t, 200)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *httpapi.Config) { c.RateLimit = 0.5; c.RateBurst = 2 })
	get := func(key string) resp {
		return e.do(req{method: "GET", path: "/api/v1/customers", key: key})
	}
	get(viewerKey).want(t, 200)
	get(viewerKey).want(t, 200)
	r := get(viewerKey).want(t, 429)
	if p := r.problem(t); p.Code != "rate_limited" {
		t.Errorf("code = %q", p.Code)
	}
	if got := r.header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2", got)
	}
	get(agentKey).want(t, 200) // other keys have their own bucket
	e.do(req{method: "GET", path: "/healthz"}).want(t, 200)
}

// downBackend is a Backend whose store cannot be reached.
type downBackend struct{ httpapi.Backend }

func (downBackend) Ping(context.Context) error {
	return crm.Wrap(errors.New("dial tcp 10.0.0.5:5432: connection refused"), crm.CodeUnavailable, "database unreachable")
}

// panicBackend panics on Ping.
type panicBackend struct{ httpapi.Backend }

func (panicBackend) Ping(context.Context) error { panic("ping exploded") }

func TestHealth(t *testing.T) { teststore.ForEach(t, testHealth) }

func testHealth(t *testing.T, open func(t testing.TB) store.Store) {
	e := newEnvOn(t, open(t))
	var h map[string]string
	e.do(req{method: "GET", path: "/healthz"}).want(t, 200).decode(t, &h)
	if h["status"] != "ok" {
		t.Errorf("healthz = %v", h)
	}
	e.do(req{method: "GET", path: "/readyz"}).want(t, 200).decode(t, &h)
	if h["status"] != "ready" {
		t.Errorf("readyz = %v", h)
	}

	down := newEnvOn(t, e.store, func(c *httpapi.Config) { c.Backend = downBackend{c.Backend} })
	r := down.do(req{method: "GET", path: "/readyz"}).want(t, 503)
	if p := r.problem(t); p.Code != "unavailable" || strings.Contains(string(r.body), "10.0.0.5") {
		t.Errorf("readyz down: %s", r.body)
	}
	if !strings.Contains(down.logs.String(), "connection refused") {
		t.Errorf("the cause is not logged:\n%s", down.logs)
	}

	closed := newEnvOn(t, open(t))
	closed.store.Close()
	closed.do(req{method: "GET", path: "/readyz"}).want(t, 503).problem(t)
	closed.do(req{method: "GET", path: "/api/v1/customers", key: viewerKey}).want(t, 503).problem(t)

	boom := newEnvOn(t, e.store, func(c *httpapi.Config) { c.Backend = panicBackend{c.Backend} })
	boom.do(req{method: "GET", path: "/readyz"}).want(t, 500).problem(t)
}
