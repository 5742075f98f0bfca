package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm/internal/testkit"
)

// Keys the test servers accept.
const (
	adminKey  = "test-admin-key"
	viewerKey = "test-viewer-key"
	testKeys  = "admin:" + adminKey + ",viewer:" + viewerKey
)

// logBuffer collects a server's JSON log lines; it is safe for the server
// and the test to use at once.
type logBuffer struct{ testkit.Buffer }

// lines returns the log lines decoded so far.
func (b *logBuffer) lines() []map[string]any {
	data := b.String()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// find returns the log lines whose msg is msg.
func (b *logBuffer) find(msg string) []map[string]any {
	var out []map[string]any
	for _, l := range b.lines() {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// waitFor polls the log until a line with msg appears; it fails the test
// when the server exits or time runs out.
func (b *logBuffer) waitFor(t *testing.T, msg string, s *testServer) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if l := b.find(msg); len(l) > 0 {
			return l[0]
		}
		select {
		case <-s.exited:
			t.Fatalf("server exited before logging %q: %v\nlog:\n%s", msg, s.err, b.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no %q in the log after 30s:\n%s", msg, b.String())
	return nil
}

// testServer is one run() started by startServer.
type testServer struct {
	URL    string
	Log    *logBuffer
	cancel context.CancelFunc
	exited chan struct{} // closed when run has returned
	err    error         // what run returned, once exited is closed
}

// startServer calls run with env (ADDR defaults to 127.0.0.1:0) and returns
// once /healthz answers 200. The server is stopped, and must stop cleanly,
// when the test ends unless the test stopped it.
func startServer(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	if _, ok := env["ADDR"]; !ok {
		env["ADDR"] = "127.0.0.1:0"
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{Log: &logBuffer{}, cancel: cancel, exited: make(chan struct{})}
	go func() {
		defer close(s.exited)
		s.err = run(ctx, append([]string{"server"}, args...), mapEnv(env), io.Discard, s.Log)
	}()
	t.Cleanup(func() {
		if err := s.stop(t); err != nil {
			t.Errorf("run returned %v at cleanup\nlog:\n%s", err, s.Log)
		}
	})
	l := s.Log.waitFor(t, "listening", s)
	s.URL = "http://" + l["addr"].(string)
	waitHealthy(t, s.URL)
	return s
}

// stop cancels the server's context and returns what run returned. It may
// be called more than once.
func (s *testServer) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case <-s.exited:
		return s.err
	case <-time.After(time.Minute):
		t.Fatalf("run did not return within a minute of cancellation\nlog:\n%s", s.Log)
		return nil
	}
}

// waitHealthy polls /healthz until it answers 200, as a load balancer would.
func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not 200 after 30s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// call sends a JSON request with the key and decodes the JSON response
// into out (when not nil), returning the status. It must run on the test's
// goroutine; others use doJSON.
func call(t *testing.T, method, url, key string, body any, out any) int {
	t.Helper()
	code, err := doJSON(method, url, key, body, out)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// doJSON is call for any goroutine: it returns errors instead of failing.
// A problem+json body is not decoded into out.
func doJSON(method, url, key string, body any, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.Header.Get("Content-Type") == "application/problem+json" {
		return resp.StatusCode, nil
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, fmt.Errorf("%s %s: %d, undecodable body %q: %w", method, url, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode, nil
}

// customerJSON returns a valid create request whose email and phone are
// unique for n (0–9999).
func customerJSON(n int) map[string]any {
	return map[string]any{
		"name":          fmt.Sprintf("Test Customer %d", n),
		"email":         fmt.Sprintf("customer%d@example.com", n),
		"phone":         fmt.Sprintf("+1212736%04d", n),
		"customer_type": "residential",
		"billing_address": map[string]any{
			"street": "350 5th Ave", "city": "New York", "state": "NY", "postal_code": "10118", "country": "US",
		},
	}
}

// customerResp is the part of a customer response the tests read.
type customerResp struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}
