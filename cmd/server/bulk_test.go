package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBulkImportJobs starts the server with MAX_IMPORT_BYTES set and
// checks that its runners finish a bulk import on their own, and that a
// body past the limit is 413.
func TestBulkImportJobs(t *testing.T) {
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "MAX_IMPORT_BYTES": "1024"})
	csv := "name,email,phone,customer_type,billing_address.street,billing_address.city,billing_address.state,billing_address.postal_code,billing_address.country\n"
	for i := range 3 {
		csv += fmt.Sprintf("Customer %d,import%d@example.com,+1212736%04d,residential,350 5th Ave,New York,NY,10118,US\n", i, i, 100+i)
	}
	post := func(body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/customers/bulk-import", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+adminKey)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post(csv)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("import: status %d", resp.StatusCode)
	}
	type job struct {
		State  string `json:"state"`
		Counts struct {
			Created int `json:"created"`
		} `json:"counts"`
	}
	var j job
	deadline := time.Now().Add(30 * time.Second)
	for j.State != "succeeded" {
		if time.Now().After(deadline) {
			t.Fatalf("not done after 30s: %+v\nlog:\n%s", j, s.Log)
		}
		time.Sleep(20 * time.Millisecond)
		if code := call(t, "GET", s.URL+resp.Header.Get("Location"), adminKey, nil, &j); code != http.StatusOK {
			t.Fatalf("get job: status %d", code)
		}
	}
	if j.Counts.Created != 3 {
		t.Errorf("job %+v, want 3 created", j)
	}
	if resp := post(csv + strings.Repeat("x", 1024)); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("import over MAX_IMPORT_BYTES: status %d, want 413", resp.StatusCode)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
}

// TestMaxImportBytes checks the forms MAX_IMPORT_BYTES takes: a plain
// number of bytes, 100 MiB when unset.
func TestMaxImportBytes(t *testing.T) {
	for value, want := range map[string]int64{"": 104857600, "1024": 1024, " 5000000000 ": 5000000000} {
		cfg, err := loadConfig(mapEnv(map[string]string{"MAX_IMPORT_BYTES": value}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.maxImportBytes != want {
			t.Errorf("%q: maxImportBytes = %d, want %d", value, cfg.maxImportBytes, want)
		}
	}
	for _, bad := range []string{"100MB", "0", "-1", "1e6", "99999999999999999999"} {
		if _, err := loadConfig(mapEnv(map[string]string{"MAX_IMPORT_BYTES": bad})); err == nil || !strings.Contains(err.Error(), "MAX_IMPORT_BYTES") {
			t.Errorf("%q: error %v, want one naming MAX_IMPORT_BYTES", bad, err)
		}
	}
}
