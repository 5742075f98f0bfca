package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testSecret signs the tests' webhooks.
const testSecret = "whsec_test"

// smsTo is a test SMS to phone.
func smsTo(id, phone string) Message {
	return Message{ID: id, Channel: ChannelSMS, To: phone, Body: "Störung behoben – Ihr Internet läuft wieder."}
}

// newTestWebhook is a notifier with the default client posting to url.
func newTestWebhook(t *testing.T, url string) *Webhook {
	t.Helper()
	w, err := NewWebhook(url, testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// verifySignature checks a request the way a gateway would, computing
// the HMAC on its own, and returns the reason it fails ("" when valid).
func verifySignature(r *http.Request, body []byte, secret string) string {
	ts := r.Header.Get("X-Signature-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "bad timestamp " + ts
	}
	if age := time.Since(time.Unix(sec, 0)); age < -time.Minute || age > 5*time.Minute {
		return "stale timestamp " + ts
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(r.Header.Get("X-Signature")), []byte(want)) {
		return "signature " + r.Header.Get("X-Signature") + ", want " + want
	}
	return ""
}

func TestWebhookPostsSignedJSON(t *testing.T) {
	type request struct {
		Method, ContentType, IdempotencyKey, SignatureProblem string
		Body                                                  map[string]string
	}
	var got []request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		req := request{
			Method:           r.Method,
			ContentType:      r.Header.Get("Content-Type"),
			IdempotencyKey:   r.Header.Get("Idempotency-Key"),
			SignatureProblem: verifySignature(r, body, testSecret),
		}
		if err := json.Unmarshal(body, &req.Body); err != nil {
			t.Error(err)
		}
		got = append(got, req)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	m := smsTo("job-3.msg-9", "+4915112345678")
	if err := newTestWebhook(t, srv.URL).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	want := []request{{
		Method:         http.MethodPost,
		ContentType:    "application/json",
		IdempotencyKey: "job-3.msg-9",
		Body:           map[string]string{"id": "job-3.msg-9", "channel": "sms", "to": "+4915112345678", "body": m.Body},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestWebhookSignatureNeedsTheSecret(t *testing.T) {
	var problem string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		problem = verifySignature(r, body, "another secret")
	}))
	defer srv.Close()
	if err := newTestWebhook(t, srv.URL).Send(context.Background(), smsTo("m1", "+15550001234")); err != nil {
		t.Fatal(err)
	}
	if problem == "" {
		t.Error("the signature verified with another secret")
	}
}

func TestWebhookStatus(t *testing.T) {
	tests := []struct {
		status        int
		body          string
		wantErr       string // "" for sent
		wantPermanent bool
	}{
		{status: 200},
		{status: 202},
		{status: 204},
		{status: 400, body: `{"error": "invalid number"}`, wantErr: `notify: webhook: the gateway refused the message: 400 Bad Request: {"error": "invalid number"}`, wantPermanent: true},
		{status: 401, wantErr: "notify: webhook: the gateway refused the message: 401 Unauthorized", wantPermanent: true},
		{status: 404, wantErr: "notify: webhook: the gateway refused the message: 404 Not Found", wantPermanent: true},
		{status: 422, body: "unknown\nrecipient", wantErr: "notify: webhook: the gateway refused the message: 422 Unprocessable Entity: unknown recipient", wantPermanent: true},
		{status: 408, wantErr: "notify: webhook: the gateway answered 408 Request Timeout"},
		{status: 429, body: "slow down", wantErr: "notify: webhook: the gateway answered 429 Too Many Requests: slow down"},
		{status: 500, wantErr: "notify: webhook: the gateway answered 500 Internal Server Error"},
		{status: 503, body: strings.Repeat("x", 300), wantErr: "notify: webhook: the gateway answered 503 Service Unavailable: " + strings.Repeat("x", 200) + "…"},
		{status: 302, wantErr: "notify: webhook: unexpected answer 302 Found"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			err := newTestWebhook(t, srv.URL).Send(context.Background(), smsTo("m1", "+15550001234"))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Send = %v, want %s", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrPermanent); got != tt.wantPermanent {
				t.Errorf("permanent = %v, want %v", got, tt.wantPermanent)
			}
		})
	}
}

func TestWebhookTimeoutAndNetworkErrorsAreTransient(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name    string
		url     string
		timeout time.Duration
		wantErr error
	}{
		{name: "slow gateway", url: slow.URL, timeout: 200 * time.Millisecond, wantErr: context.DeadlineExceeded},
		{name: "gateway down", url: down, timeout: 5 * time.Second, wantErr: syscall.ECONNREFUSED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			start := time.Now()
			err := newTestWebhook(t, tt.url).Send(ctx, smsTo("m1", "+15550001234"))
			if !errors.Is(err, tt.wantErr) || errors.Is(err, ErrPermanent) {
				t.Errorf("Send = %v, want transient %v", err, tt.wantErr)
			}
			if d := time.Since(start); d > tt.timeout+time.Second {
				t.Errorf("Send returned after %v", d)
			}
		})
	}
}

func TestWebhookReusesConnections(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, strings.Repeat("a", 1000))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	w := newTestWebhook(t, srv.URL)
	for i := range 20 {
		if err := w.Send(context.Background(), smsTo(fmt.Sprint("seq-", i), "+15550001234")); err != nil {
			t.Fatal(err)
		}
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("%d connections for 20 messages in a row, want 1", got)
	}
	// Many concurrent senders keep their connections too.
	const senders, each = 50, 10
	send := func() error {
		var wg sync.WaitGroup
		errs := make([]error, senders)
		for i := range senders {
			wg.Go(func() {
				for j := range each {
					if err := w.Send(context.Background(), smsTo(fmt.Sprint("par-", i, "-", j), "+15550001234")); err != nil {
						errs[i] = err
						return
					}
				}
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	if err := send(); err != nil {
		t.Fatal(err)
	}
	// The connections of a round stay open for the next: a transport with
	// the default two idle connections per host would open hundreds.
	opened := conns.Load()
	if err := send(); err != nil {
		t.Fatal(err)
	}
	if got := conns.Load() - opened; got > 5 {
		t.Errorf("a second round of %d concurrent senders opened %d connections, want (about) none", senders, got)
	}
}

func TestNewWebhook(t *testing.T) {
	tests := []struct{ url, secret string }{
		{url: "ftp://gateway.example.com/sms", secret: "s"},
		{url: "https:///sms", secret: "s"},
		{url: "https://gateway.example.com/sms", secret: ""},
		{url: "://", secret: "s"},
		{url: "https://gateway.example.com/sms%zz?token=t0ken", secret: "s"},
		{url: "ftp://gateway.example.com/sms?token=t0ken", secret: "s"},
	}
	for _, tt := range tests {
		_, err := NewWebhook(tt.url, tt.secret, nil)
		if err == nil {
			t.Errorf("NewWebhook(%q, %q) succeeded, want an error", tt.url, tt.secret)
		} else if strings.Contains(err.Error(), "t0ken") {
			t.Errorf("NewWebhook error %q repeats the URL's token", err)
		}
	}
}

// BenchmarkWebhook sends to a local receiver that checks each signature,
// from many senders at once as a bulk job does, and reports messages/s.
func BenchmarkWebhook(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || verifySignature(r, body, testSecret) != "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	w, err := NewWebhook(srv.URL, testSecret, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, senders := range []int{1, 16, 64} {
		b.Run(fmt.Sprint("senders=", senders), func(b *testing.B) {
			var next atomic.Int64
			start := time.Now()
			var wg sync.WaitGroup
			for range senders {
				wg.Go(func() {
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						if err := w.Send(context.Background(), smsTo(strconv.FormatInt(i, 10), "+15550001234")); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
