package main

import (
	"net/http"
	"testing"
	"time"
)

// TestVerificationWorkers starts the server with IDENTITY_VALID_FOR set
// and checks that its workers decide an identity verification on their
// own, the approval counting for that long.
func TestVerificationWorkers(t *testing.T) {
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "IDENTITY_VALID_FOR": "30d"})
	var c customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(8), &c); code != http.StatusCreated {
		t.Fatalf("create customer: status %d", code)
	}
	type verification struct {
		VerificationID string `json:"verification_id"`
		Status         string `json:"status"`
		Result         *struct {
			Decision    string    `json:"decision"`
			CompletedAt time.Time `json:"completed_at"`
			ExpiresAt   time.Time `json:"expires_at"`
		} `json:"result"`
	}
	var v verification
	body := map[string]any{"verification_method": "third_party_service", "third_party_service": "lexisnexis"}
	if code := call(t, "POST", s.URL+"/api/v1/customers/"+c.ID+"/verify-identity", adminKey, body, &v); code != http.StatusAccepted {
		t.Fatalf("verify-identity: status %d", code)
	}
	deadline := time.Now().Add(30 * time.Second)
	for v.Status != "completed" {
		if time.Now().After(deadline) {
			t.Fatalf("not decided after 30s: %+v\nlog:\n%s", v, s.Log)
		}
		time.Sleep(20 * time.Millisecond)
		if code := call(t, "GET", s.URL+"/api/v1/customers/"+c.ID+"/verifications/"+v.VerificationID, viewerKey, nil, &v); code != http.StatusOK {
			t.Fatalf("get verification: status %d", code)
		}
	}
	if v.Result == nil || v.Result.Decision != "approved" || v.Result.ExpiresAt.Sub(v.Result.CompletedAt) != 30*24*time.Hour {
		t.Errorf("result %+v, want approved for 30 days", v.Result)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
}
