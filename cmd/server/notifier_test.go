package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The secrets of the notifier tests, which no error or log line may
// repeat.
const (
	smtpPassword  = "smtp-s3cret"
	webhookSecret = "webhook-s3cret"
	webhookToken  = "gateway-t0ken"
)

// TestNotifierConfig checks the variables of bulk delivery: their
// defaults, the forms they take, and errors that name the variable and
// never repeat a secret.
func TestNotifierConfig(t *testing.T) {
	type delivery struct {
		SMTPURL, SMTPFrom, SMSURL, SMSSecret string
		Rate                                 float64
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    delivery
		wantErr []string // the variables the error names
	}{
		{"defaults", nil, delivery{SMTPFrom: "no-reply@localhost", Rate: 100}, nil},
		{"every variable", map[string]string{"SMTP_URL": " smtp://crm:" + smtpPassword + "@mail.example.com:587 ", "SMTP_FROM": "ISP <no-reply@isp.example>",
			"SMS_WEBHOOK_URL": "https://sms.example.com/send", "SMS_WEBHOOK_SECRET": webhookSecret, "BULK_SEND_RATE": "2.5"},
			delivery{SMTPURL: "smtp://crm:" + smtpPassword + "@mail.example.com:587", SMTPFrom: "ISP <no-reply@isp.example>",
				SMSURL: "https://sms.example.com/send", SMSSecret: webhookSecret, Rate: 2.5}, nil},
		{"smtps without a user", map[string]string{"SMTP_URL": "smtps://mail.example.com"},
			delivery{SMTPURL: "smtps://mail.example.com", SMTPFrom: "no-reply@localhost", Rate: 100}, nil},
		{"webhook without its secret", map[string]string{"SMS_WEBHOOK_URL": "https://sms.example.com/send"}, delivery{}, []string{"SMS_WEBHOOK_SECRET"}},
		{"webhook not http", map[string]string{"SMS_WEBHOOK_URL": "ftp://sms.example.com/send?token=" + webhookToken, "SMS_WEBHOOK_SECRET": webhookSecret},
			delivery{}, []string{"SMS_WEBHOOK_URL"}},
		{"SMTP URL of another scheme", map[string]string{"SMTP_URL": "http://crm:" + smtpPassword + "@mail.example.com"}, delivery{}, []string{"SMTP_URL"}},
		{"SMTP URL that is no URL", map[string]string{"SMTP_URL": "smtp://crm:" + smtpPassword + "%zz@mail.example.com"}, delivery{}, []string{"SMTP_URL"}},
		{"SMTP URL without host", map[string]string{"SMTP_URL": "smtp://crm:" + smtpPassword + "@"}, delivery{}, []string{"SMTP_URL"}},
		{"bad sender", map[string]string{"SMTP_FROM": "nobody"}, delivery{}, []string{"SMTP_FROM"}},
		{"zero rate", map[string]string{"BULK_SEND_RATE": "0"}, delivery{}, []string{"BULK_SEND_RATE"}},
		{"rate not a number", map[string]string{"BULK_SEND_RATE": "fast"}, delivery{}, []string{"BULK_SEND_RATE"}},
		{"infinite rate", map[string]string{"BULK_SEND_RATE": "+Inf"}, delivery{}, []string{"BULK_SEND_RATE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(mapEnv(tt.env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("loadConfig succeeded, want an error naming %v", tt.wantErr)
				}
				for _, name := range tt.wantErr {
					if !strings.Contains(err.Error(), name+":") {
						t.Errorf("error %q does not name %s", err, name)
					}
				}
				for _, secret := range []string{smtpPassword, webhookSecret, webhookToken} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q repeats a secret", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := delivery{cfg.smtpURL, cfg.smtpFrom, cfg.smsWebhookURL, cfg.smsWebhookSecret, cfg.sendRate}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNotifierStartLog checks what the server says at start about bulk
// messages: per channel without a sender, that its messages are logged,
// not sent; per channel with one, where they go, the SMTP password and
// the webhook's query masked and no secret in the log.
func TestNotifierStartLog(t *testing.T) {
	const (
		emailLogged = "SMTP_URL is empty: bulk emails are logged, not sent"
		smsLogged   = "SMS_WEBHOOK_URL is empty: bulk SMS are logged, not sent"
		emailSent   = "bulk emails are sent through SMTP_URL"
		smsSent     = "bulk SMS are sent through SMS_WEBHOOK_URL"
	)
	tests := []struct {
		name   string
		env    map[string]string
		want   map[string]map[string]any // log line → the attributes it must have
		absent []string
	}{
		{"neither", map[string]string{}, map[string]map[string]any{emailLogged: {"level": "WARN"}, smsLogged: {"level": "WARN"}},
			[]string{emailSent, smsSent}},
		{"SMTP only", map[string]string{"SMTP_URL": "smtp://crm:" + smtpPassword + "@127.0.0.1:1", "SMTP_FROM": "ISP <no-reply@isp.example>"},
			map[string]map[string]any{
				emailSent: {"level": "INFO", "smtp_url": "smtp://crm:xxxxx@127.0.0.1:1", "from": "ISP <no-reply@isp.example>"},
				smsLogged: {"level": "WARN"},
			}, []string{emailLogged, smsSent}},
		{"both", map[string]string{"SMTP_URL": "smtps://127.0.0.1:1", "SMS_WEBHOOK_URL": "http://127.0.0.1:1/sms?token=" + webhookToken,
			"SMS_WEBHOOK_SECRET": webhookSecret},
			map[string]map[string]any{
				emailSent: {"level": "INFO", "smtp_url": "smtps://127.0.0.1:1", "from": "no-reply@localhost"},
				smsSent:   {"level": "INFO", "sms_webhook_url": "http://127.0.0.1:1/sms?xxxxx"},
			}, []string{emailLogged, smsLogged}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["API_KEYS"] = testKeys
			s := startServer(t, tt.env)
			for msg, attrs := range tt.want {
				lines := s.Log.find(msg)
				if len(lines) != 1 {
					t.Errorf("%d lines %q, want 1\nlog:\n%s", len(lines), msg, s.Log)
					continue
				}
				for k, v := range attrs {
					if lines[0][k] != v {
						t.Errorf("%q: %s = %v, want %v", msg, k, lines[0][k], v)
					}
				}
			}
			for _, msg := range tt.absent {
				if len(s.Log.find(msg)) != 0 {
					t.Errorf("the log says %q", msg)
				}
			}
			for _, secret := range []string{smtpPassword, webhookSecret, webhookToken} {
				if strings.Contains(s.Log.String(), secret) {
					t.Errorf("the log holds a secret:\n%s", s.Log)
				}
			}
		})
	}
}

// TestBulkSMSThroughWebhook starts the server with an SMS gateway and
// checks that a bulk communication reaches it on its own: one signed
// request per recipient, under the message's id as Idempotency-Key, and
// the message then shows as sent.
func TestBulkSMSThroughWebhook(t *testing.T) {
	type received struct {
		key, signature, timestamp string
		body                      []byte
	}
	var mu sync.Mutex
	var got []received
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{r.Header.Get("Idempotency-Key"), r.Header.Get("X-Signature"), r.Header.Get("X-Signature-Timestamp"), body})
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(gateway.Close)
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "SMS_WEBHOOK_URL": gateway.URL + "/sms", "SMS_WEBHOOK_SECRET": webhookSecret,
		"BULK_SEND_RATE": "50"})

	var c customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(7), &c); code != http.StatusCreated {
		t.Fatalf("create: status %d", code)
	}
	var job struct {
		ID string `json:"id"`
	}
	if code := call(t, "POST", s.URL+"/api/v1/customers/bulk-communication", adminKey, map[string]any{"customer_ids": []string{c.ID},
		"channel": "sms", "category": "outage", "body": "Outage tonight in {{.BillingAddress.City}}"}, &job); code != http.StatusAccepted {
		t.Fatalf("bulk-communication: status %d", code)
	}
	type message struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	var msgs struct {
		Messages []message `json:"messages"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(msgs.Messages) != 1 || msgs.Messages[0].Status != "sent" {
		if time.Now().After(deadline) {
			t.Fatalf("messages %+v after 30s\nlog:\n%s", msgs, s.Log)
		}
		time.Sleep(20 * time.Millisecond)
		if code := call(t, "GET", s.URL+"/api/v1/jobs/"+job.ID+"/messages", adminKey, nil, &msgs); code != http.StatusOK {
			t.Fatalf("messages: status %d", code)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("the gateway got %d requests, want 1", len(got))
	}
	r := got[0]
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write([]byte(r.timestamp + "." + string(r.body)))
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); r.signature != want {
		t.Errorf("signature %q, want %q", r.signature, want)
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": msgs.Messages[0].ID, "channel": "sms", "to": "+12127360007", "body": "Outage tonight in New York"}
	if diff := cmp.Diff(want, body); diff != "" || r.key != msgs.Messages[0].ID {
		t.Errorf("gateway body (-want +got):\n%s\nIdempotency-Key %q", diff, r.key)
	}
}
