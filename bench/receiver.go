package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// smsReceiver is the SMS gateway the comms phase's webhook notifier posts
// to: it checks each request's signature as a gateway would (HMAC-SHA256
// of the timestamp header, a dot and the body, keyed with the shared
// secret; see notify.Webhook), answers 204, and counts the requests, the
// bad signatures and the message ids it saw more than once.
type smsReceiver struct {
	secret []byte
	mu     sync.Mutex
	seen   map[string]bool
	count  int
	badSig int
	repeat int
	first  time.Time
	last   time.Time
}

func newSMSReceiver(secret string) *smsReceiver {
	return &smsReceiver{secret: []byte(secret), seen: map[string]bool{}}
}

func (s *smsReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ok := s.signed(r.Header.Get("X-Signature-Timestamp"), r.Header.Get("X-Signature"), body)
	id := r.Header.Get("Idempotency-Key")
	now := time.Now()
	s.mu.Lock()
	if s.count == 0 {
		s.first = now
	}
	s.count++
	s.last = now
	if !ok {
		s.badSig++
	}
	if s.seen[id] {
		s.repeat++
	}
	s.seen[id] = true
	s.mu.Unlock()
	if !ok {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// signed reports whether sig is "sha256=" and the hex HMAC of ts "." body.
func (s *smsReceiver) signed(ts, sig string, body []byte) bool {
	got, ok := strings.CutPrefix(sig, "sha256=")
	if !ok || ts == "" {
		return false
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(got), []byte(want))
}

// receiverStats are the receiver's counts so far.
type receiverStats struct {
	count, badSig, repeat int
	first, last           time.Time
}

func (s *smsReceiver) stats() receiverStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return receiverStats{count: s.count, badSig: s.badSig, repeat: s.repeat, first: s.first, last: s.last}
}
