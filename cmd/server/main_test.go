package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm/analytics"
)

// TestServeMemory starts the server as `go run ./cmd/server` would (memory
// store) and uses the API through HTTP.
func TestServeMemory(t *testing.T) {
	s := startServer(t, map[string]string{"API_KEYS": testKeys})

	var created customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(1), &created); code != http.StatusCreated {
		t.Fatalf("create: status %d, want 201", code)
	}
	var got customerResp
	if code := call(t, "GET", s.URL+"/api/v1/customers/"+created.ID, viewerKey, nil, &got); code != http.StatusOK {
		t.Fatalf("get: status %d, want 200", code)
	}
	if got.ID != created.ID || got.Name != "Test Customer 1" || got.Status != "active" {
		t.Errorf("get returned %+v, want the created customer %+v", got, created)
	}
	if code := call(t, "POST", s.URL+"/api/v1/customers", viewerKey, customerJSON(2), nil); code != http.StatusForbidden {
		t.Errorf("create with a viewer key: status %d, want 403", code)
	}
	if code := call(t, "GET", s.URL+"/api/v1/customers", "", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("list without a key: status %d, want 401", code)
	}
	if code := call(t, "GET", s.URL+"/readyz", "", nil, nil); code != http.StatusOK {
		t.Errorf("/readyz: status %d, want 200", code)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v after cancellation, want nil", err)
	}
	if len(s.Log.find("stopped")) != 1 {
		t.Errorf("no clean stop in the log:\n%s", s.Log)
	}
}

// TestGracefulShutdown cancels the server while a request is in flight (its
// body still arriving) and checks that the request completes, new
// connections are refused, and run returns nil.
func TestGracefulShutdown(t *testing.T) {
	s := startServer(t, map[string]string{"API_KEYS": testKeys})

	body, err := json.Marshal(customerJSON(3))
	if err != nil {
		t.Fatal(err)
	}
	half := len(body) / 2
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", s.URL+"/api/v1/customers", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminKey)
	type result struct {
		status int
		err    error
	}
	res := make(chan result, 1)
	go func() {
		// A transport of its own, so the request opens a fresh connection.
		client := &http.Client{Transport: &http.Transport{}}
		resp, err := client.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		res <- result{status: resp.StatusCode}
	}()
	if _, err := pw.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	// The server has accepted the connection and is reading the body long
	// before this; Shutdown then waits for it instead of closing it.
	time.Sleep(300 * time.Millisecond)

	s.cancel()
	s.Log.waitFor(t, "shutting down: draining in-flight requests", s)
	time.Sleep(200 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	select {
	case <-s.exited:
		t.Fatalf("run returned (%v) with a request in flight", s.err)
	default:
	}

	if _, err := pw.Write(body[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-res
	if r.err != nil || r.status != http.StatusCreated {
		t.Fatalf("in-flight request: status %d, error %v; want 201", r.status, r.err)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v, want nil", err)
	}
}

// TestGeneratedKey checks that a server without API_KEYS logs exactly one
// admin key, and that the key works.
func TestGeneratedKey(t *testing.T) {
	s := startServer(t, map[string]string{})
	var keys []string
	for _, l := range s.Log.lines() {
		if k, ok := l["api_key"].(string); ok {
			keys = append(keys, k)
		}
	}
	if len(keys) != 1 {
		t.Fatalf("log lines with an api_key: %d, want exactly 1\n%s", len(keys), s.Log)
	}
	if code := call(t, "POST", s.URL+"/api/v1/customers", keys[0], customerJSON(4), nil); code != http.StatusCreated {
		t.Errorf("create with the generated key: status %d, want 201", code)
	}
	if n := strings.Count(s.Log.String(), keys[0]); n != 1 {
		t.Errorf("the generated key appears %d times in the log, want once", n)
	}
}

// TestSeedDemo checks SEED_DEMO=true: the demo customers are there, of
// every type, some suspended.
func TestSeedDemo(t *testing.T) {
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "SEED_DEMO": "true"})
	var page struct {
		Customers  []customerResp `json:"customers"`
		TotalCount int            `json:"total_count"`
	}
	if code := call(t, "GET", s.URL+"/api/v1/customers?include_total=true&limit=1", viewerKey, nil, &page); code != http.StatusOK {
		t.Fatalf("list: status %d", code)
	}
	if page.TotalCount != demoCustomers {
		t.Errorf("total_count = %d, want %d", page.TotalCount, demoCustomers)
	}
	for _, q := range []string{"status=suspended", "customer_type=enterprise", "customer_type=government", "customer_type=non_profit", "state=TX"} {
		page.TotalCount = 0
		if code := call(t, "GET", s.URL+"/api/v1/customers?include_total=true&limit=1&"+q, viewerKey, nil, &page); code != http.StatusOK || page.TotalCount == 0 {
			t.Errorf("list %s: status %d, total_count %d; want some", q, code, page.TotalCount)
		}
	}
}

// TestConfigErrors checks that bad configuration stops the server before it
// listens, with an error naming the variable (and never echoing a secret).
func TestConfigErrors(t *testing.T) {
	key16 := base64.StdEncoding.EncodeToString(make([]byte, 16))
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"malformed ENCRYPTION_KEY", nil, map[string]string{"ENCRYPTION_KEY": "not base64!"}, []string{"ENCRYPTION_KEY", "base64"}},
		{"short ENCRYPTION_KEY", nil, map[string]string{"ENCRYPTION_KEY": key16}, []string{"ENCRYPTION_KEY", "32 bytes", "got 16"}},
		{"Postgres without ENCRYPTION_KEY", nil, map[string]string{"DATABASE_URL": "postgres://postgres@127.0.0.1:1/none?sslmode=disable"}, []string{"ENCRYPTION_KEY is required"}},
		{"unknown role in API_KEYS", nil, map[string]string{"API_KEYS": "root:hunter2-secret"}, []string{"API_KEYS", "unknown role"}},
		{"API_KEYS without a key", nil, map[string]string{"API_KEYS": "admin"}, []string{"API_KEYS", "role:key"}},
		{"SEED_DEMO", nil, map[string]string{"SEED_DEMO": "maybe"}, []string{"SEED_DEMO"}},
		{"REACTIVATE_INTERVAL", nil, map[string]string{"REACTIVATE_INTERVAL": "-5s"}, []string{"REACTIVATE_INTERVAL"}},
		{"RATE_LIMIT", nil, map[string]string{"RATE_LIMIT": "fast"}, []string{"RATE_LIMIT"}},
		{"RATE_BURST", nil, map[string]string{"RATE_BURST": "0"}, []string{"RATE_BURST"}},
		{"LOG_LEVEL", nil, map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL"}},
		{"BLOB_URL", nil, map[string]string{"BLOB_URL": "ftp://files.example.com/docs"}, []string{"BLOB_URL", "ftp"}},
		{"BLOB_URL without a driver", nil, map[string]string{"BLOB_URL": "gs://bucket"}, []string{"BLOB_URL", "gs"}},
		{"MAX_UPLOAD_BYTES", nil, map[string]string{"MAX_UPLOAD_BYTES": "25MB"}, []string{"MAX_UPLOAD_BYTES"}},
		{"MAX_IMPORT_BYTES", nil, map[string]string{"MAX_IMPORT_BYTES": "100MiB"}, []string{"MAX_IMPORT_BYTES"}},
		{"SWEEP_INTERVAL", nil, map[string]string{"SWEEP_INTERVAL": "0s"}, []string{"SWEEP_INTERVAL"}},
		{"OUTBOX_RETENTION", nil, map[string]string{"OUTBOX_RETENTION": "a week"}, []string{"OUTBOX_RETENTION"}},
		{"ANALYTICS_SWEEP_INTERVAL", nil, map[string]string{"ANALYTICS_SWEEP_INTERVAL": "-1h"}, []string{"ANALYTICS_SWEEP_INTERVAL"}},
		{"IDENTITY_VALID_FOR", nil, map[string]string{"IDENTITY_VALID_FOR": "a year"}, []string{"IDENTITY_VALID_FOR", "365d"}},
		{"IDENTITY_VALID_FOR of zero days", nil, map[string]string{"IDENTITY_VALID_FOR": "0d"}, []string{"IDENTITY_VALID_FOR"}},
		{"IDENTITY_VALID_FOR negative", nil, map[string]string{"IDENTITY_VALID_FOR": "-24h"}, []string{"IDENTITY_VALID_FOR"}},
		{"CHURN_MODEL_FILE missing", nil, map[string]string{"CHURN_MODEL_FILE": "/nonexistent/model.json"}, []string{"CHURN_MODEL_FILE", "no such file"}},
		{"CHURN_MODEL_FILE not a model", nil, map[string]string{"CHURN_MODEL_FILE": "main_test.go"}, []string{"CHURN_MODEL_FILE", "churn model"}},
		{"every bad variable at once", nil, map[string]string{"API_KEYS": "admin", "ENCRYPTION_KEY": "x", "SEED_DEMO": "yes please"}, []string{"API_KEYS", "ENCRYPTION_KEY", "SEED_DEMO"}},
		{"unknown command", []string{"migrat"}, map[string]string{}, []string{`unknown command "migrat"`}},
		{"extra arguments", []string{"serve", "--port=80"}, map[string]string{}, []string{"unexpected arguments"}},
		{"migrate without DATABASE_URL", []string{"migrate"}, map[string]string{}, []string{"DATABASE_URL"}},
		{"unusable ADDR", nil, map[string]string{"ADDR": "256.0.0.1:99999"}, []string{"ADDR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stderr bytes.Buffer
			err := run(ctx, append([]string{"server"}, tt.args...), mapEnv(tt.env), io.Discard, &stderr)
			if err == nil {
				t.Fatalf("run returned nil, want an error mentioning %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			for _, secret := range []string{"hunter2-secret", key16} {
				if strings.Contains(err.Error()+stderr.String(), secret) {
					t.Errorf("error or log repeats a secret: %v\n%s", err, &stderr)
				}
			}
			if strings.Contains(stderr.String(), `"listening"`) {
				t.Errorf("server listened despite the bad configuration")
			}
		})
	}
}

// TestIdentityValidFor checks the forms IDENTITY_VALID_FOR takes: a Go
// duration or a number of days, 365 days when unset.
func TestIdentityValidFor(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 365 * 24 * time.Hour},
		{"365d", 365 * 24 * time.Hour},
		{" 30d ", 30 * 24 * time.Hour},
		{"8760h", 8760 * time.Hour},
		{"90m", 90 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			cfg, err := loadConfig(mapEnv(map[string]string{"IDENTITY_VALID_FOR": tt.value}))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.identityValidFor != tt.want {
				t.Errorf("identityValidFor = %s, want %s", cfg.identityValidFor, tt.want)
			}
		})
	}
	for _, bad := range []string{"1.5d", "d", "365 days", "99999999999999d"} {
		if _, err := loadConfig(mapEnv(map[string]string{"IDENTITY_VALID_FOR": bad})); err == nil || !strings.Contains(err.Error(), "IDENTITY_VALID_FOR") {
			t.Errorf("%q: error %v, want one naming IDENTITY_VALID_FOR", bad, err)
		}
	}
}

// TestHelpListsEveryVariable keeps `server help` and the README's table in
// step with the variables config.go reads.
func TestHelpListsEveryVariable(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"server", "help"}, mapEnv(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range envVars {
		if !strings.Contains(out.String(), v.Name) {
			t.Errorf("help does not mention %s", v.Name)
		}
		if !strings.Contains(string(readme), "| `"+v.Name+"` |") {
			t.Errorf("README's environment table has no row for %s", v.Name)
		}
	}
}

// TestChurnModelFile starts the server with CHURN_MODEL_FILE naming a
// model of its own and the profile sweep off, and checks that the churn
// risk is scored by that model.
func TestChurnModelFile(t *testing.T) {
	m := analytics.DefaultModel()
	m.Version = "operator-refit-1"
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "CHURN_MODEL_FILE": path, "ANALYTICS_SWEEP_INTERVAL": "0"})
	var created customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(1), &created); code != http.StatusCreated {
		t.Fatalf("create: status %d, want 201", code)
	}
	var risk struct {
		Model struct {
			Version string `json:"version"`
		} `json:"model"`
	}
	if code := call(t, "GET", s.URL+"/api/v1/customers/"+created.ID+"/churn-risk", viewerKey, nil, &risk); code != http.StatusOK {
		t.Fatalf("churn risk: status %d, want 200", code)
	}
	if risk.Model.Version != "operator-refit-1" {
		t.Errorf("scored by model %q, want operator-refit-1", risk.Model.Version)
	}
	if len(s.Log.find("scoring churn with the model of CHURN_MODEL_FILE")) != 1 {
		t.Errorf("the model in use is not logged:\n%s", s.Log)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
}
