package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/churntest"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/verify"
)

// The test API keys.
const (
	adminKey  = "admin-secret-0001"
	agentKey  = "agent-secret-0001"
	viewerKey = "viewer-secret-001"
)

// Customer names that make the faulty repository misbehave.
const (
	namePanic = "Panic Now"
	nameFail  = "Fail Now"
)

// t0 is the start of the test clock.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a deterministic clock that advances step per reading (a zero
// step stands still until Set).
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is an API over a fresh store with a deterministic service.
type env struct {
	t       testing.TB
	h       http.Handler
	store   store.Store
	bucket  *blob.Bucket      // the document files (in memory)
	docs    *document.Service // the service behind the /documents routes
	verify  *verify.Service   // the service behind the verification routes; tests run its workers
	bulk    *bulk.Service     // the service behind the job routes; tests run its runner and senders
	sent    *recorder         // the Notifier of bulk communications
	logs    *testkit.Buffer
	clock   *clock
	slow    chan struct{} // a claim of slowKey signals here, then waits on release
	release chan struct{}
}

func testKeys(t testing.TB) []httpapi.APIKey {
	t.Helper()
	keys, err := httpapi.ParseAPIKeys("admin:" + adminKey + ",agent:" + agentKey + ",viewer:" + viewerKey)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// runOnStores runs fn as the parallel subtests "memstore" and "pgstore"
// (see internal/teststore), with an env over a fresh store.
func runOnStores(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	teststore.Run(t, func(t *testing.T, s store.Store) {
		fn(t, newEnvOn(t, s))
	})
}

// newEnv builds the API over a fresh memory store; opts adjust the Config.
func newEnv(t testing.TB, opts ...func(*httpapi.Config)) *env {
	t.Helper()
	return newEnvOn(t, memstore.New(), opts...)
}

// newEnvOn builds the API over s; opts adjust the Config.
func newEnvOn(t testing.TB, s store.Store, opts ...func(*httpapi.Config)) *env {
	t.Helper()
	return newDocEnv(t, s, document.Options{}, opts...)
}

// newDocEnv is newEnvOn with the document service built with dopts (its
// clock is the env's unless dopts sets one).
func newDocEnv(t testing.TB, s store.Store, dopts document.Options, opts ...func(*httpapi.Config)) *env {
	t.Helper()
	return newAppEnv(t, s, dopts, churntest.Flat(0.3), opts...)
}

// newAppEnv is newDocEnv with the churn model given.
func newAppEnv(t testing.TB, s store.Store, dopts document.Options, model *analytics.Model, opts ...func(*httpapi.Config)) *env {
	t.Helper()
	e := &env{t: t, store: s, logs: &testkit.Buffer{}, clock: &clock{t: t0, step: time.Second}, sent: &recorder{},
		slow: make(chan struct{}, 1), release: make(chan struct{})}
	e.bucket = memblob.OpenBucket(nil)
	t.Cleanup(func() { e.bucket.Close() })
	if dopts.Now == nil {
		dopts.Now = e.clock.Now
	}
	if dopts.Logger == nil {
		dopts.Logger = slog.New(slog.NewJSONHandler(e.logs, nil))
	}
	cipher, err := customer.NewTaxIDCipher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.New(faultyStore{Store: e.store}, app.Options{TaxIDs: cipher, Now: e.clock.Now, Bucket: e.bucket, Documents: dopts,
		Analytics: analytics.Options{Model: model},
		// A bureau that keeps timing out fails the check in milliseconds.
		Verify: verify.Options{CallBackoff: time.Millisecond},
		// Jobs of a few rows run in several batches; messages are
		// recorded, not sent.
		Bulk: bulk.Options{BatchSize: 2, CreateBatchSize: 2, Notifier: e.sent}})
	if err != nil {
		t.Fatal(err)
	}
	e.docs, e.verify, e.bulk = svc.Documents, svc.Verify, svc.Bulk
	cfg := httpapi.Config{
		Services: svc,
		Backend:  slowBackend{Backend: e.store, e: e},
		Keys:     testKeys(t),
		Logger:   slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      func() time.Time { return t0 },
	}
	for _, o := range opts {
		o(&cfg)
	}
	h, err := httpapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	return e
}

// faultyStore makes customer creation panic or fail by name, and fails to
// record a document named nameFail, as a database that breaks between
// storing a file and recording it would. Its transactions hand out a
// faultyStore again, so the services built over it by app.New meet the
// faults inside their transactions.
type faultyStore struct {
	store.Store
}

func (f faultyStore) RunInTx(ctx context.Context, fn func(ctx context.Context, s store.Store) error) error {
	return f.Store.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		return fn(ctx, faultyStore{Store: s})
	})
}

func (f faultyStore) CreateCustomer(ctx context.Context, c *customer.Customer) error {
	switch c.Name {
	case namePanic:
		panic("repository exploded")
	case nameFail:
		return errors.New("boom: connection reset by peer")
	}
	return f.Store.CreateCustomer(ctx, c)
}

func (f faultyStore) CreateDocument(ctx context.Context, d *document.Document) error {
	if d.Name == nameFail {
		return errors.New("boom: connection reset by peer")
	}
	return f.Store.CreateDocument(ctx, d)
}

// slowKey is the Idempotency-Key whose claim blocks until env.release is
// closed, so a test can send a second request while the first runs.
const slowKey = "k-slow"

// slowBackend blocks the first request with slowKey after its claim.
type slowBackend struct {
	httpapi.Backend
	e *env
}

func (b slowBackend) ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error) {
	prev, err := b.Backend.ClaimIdempotencyKey(ctx, rec, now)
	if err == nil && prev == nil && rec.Key == slowKey {
		select {
		case b.e.slow <- struct{}{}:
			<-b.e.release
		default:
		}
	}
	return prev, err
}

// resp is a recorded response.
type resp struct {
	status int
	header http.Header
	body   []byte
}

// problem is a decoded problem document.
type problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Code      string           `json:"code"`
	Detail    string           `json:"detail"`
	Errors    []crm.FieldError `json:"errors"`
	RequestID string           `json:"request_id"`
}

// req describes a request; body is a string (sent as is), nil (no body) or
// a value marshalled to JSON.
type req struct {
	method, path, key string
	body              any
	header            map[string]string // "" deletes
}

func (e *env) do(r req) resp {
	e.t.Helper()
	return serve(e.t, e.h, r)
}

func serve(t testing.TB, h http.Handler, r req) resp {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.key != "" {
		hr.Header.Set("Authorization", "Bearer "+r.key)
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, hr)
	return resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// want fails the test unless the status is status.
func (r resp) want(t testing.TB, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// object decodes a JSON object body.
func (r resp) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// decode decodes the body into v.
func (r resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, r.body)
	}
}

// problem decodes a problem body and checks its media type and status.
func (r resp) problem(t testing.TB) problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body: %s", ct, r.body)
	}
	var p problem
	r.decode(t, &p)
	if p.Status != r.status {
		t.Errorf("problem status %d, response status %d", p.Status, r.status)
	}
	if p.RequestID == "" || p.RequestID != r.header.Get("X-Request-Id") {
		t.Errorf("problem request_id %q, header X-Request-Id %q", p.RequestID, r.header.Get("X-Request-Id"))
	}
	return p
}

// fields returns the field names of a problem's errors.
func (p problem) fields() []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

// address returns a valid US address.
func address() map[string]any {
	return map[string]any{"street": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}
}

// customerBody returns a valid create body with the overrides applied
// (a nil override deletes the key).
func customerBody(overrides map[string]any) map[string]any {
	b := map[string]any{
		"name":            "Ada Lovelace",
		"email":           "ada@example.com",
		"phone":           "+1 212 555 0142",
		"customer_type":   "residential",
		"billing_address": address(),
	}
	for k, v := range overrides {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// serviceBody returns a valid service body with the overrides applied.
func serviceBody(overrides map[string]any) map[string]any {
	b := map[string]any{
		"plan_name":           "Fiber 1000",
		"technology":          "fiber",
		"monthly_price":       79.99,
		"start_date":          "2024-01-15",
		"bandwidth_down_mbps": 1000,
		"bandwidth_up_mbps":   1000,
	}
	for k, v := range overrides {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// created is the part of a customer response the tests follow.
type created struct {
	ID         string `json:"id"`
	Version    int64  `json:"version"`
	Status     string `json:"status"`
	TaxIDLast4 string `json:"tax_id_last4"`
	CreatedAt  string `json:"created_at"`
}

// createCustomer creates a customer as agent and returns it.
func (e *env) createCustomer(overrides map[string]any) created {
	e.t.Helper()
	var c created
	e.do(req{method: "POST", path: "/api/v1/customers", key: agentKey, body: customerBody(overrides)}).want(e.t, 201).decode(e.t, &c)
	return c
}

// addService adds a service as agent and returns its id.
func (e *env) addService(customerID string, overrides map[string]any) string {
	e.t.Helper()
	var s struct {
		ID string `json:"id"`
	}
	e.do(req{method: "POST", path: "/api/v1/customers/" + customerID + "/services", key: agentKey, body: serviceBody(overrides)}).
		want(e.t, 201).decode(e.t, &s)
	return s.ID
}

// contactBody returns a valid contact body (a billing contact, not
// primary) with the overrides applied (a nil override deletes the key).
func contactBody(overrides map[string]any) map[string]any {
	b := map[string]any{
		"name":         "Grace Hopper",
		"title":        "Accounts payable",
		"email":        "grace@example.com",
		"phone":        "+1 202 555 0107",
		"mobile":       "(303) 555-0123",
		"contact_type": "billing",
	}
	for k, v := range overrides {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// addContact adds a contact as agent and returns its id.
func (e *env) addContact(customerID string, overrides map[string]any) string {
	e.t.Helper()
	var c struct {
		ID string `json:"id"`
	}
	e.do(req{method: "POST", path: "/api/v1/customers/" + customerID + "/contacts", key: agentKey, body: contactBody(overrides)}).
		want(e.t, 201).decode(e.t, &c)
	return c.ID
}
