package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ispstack/crm"
)

// Idempotency-Key handling, with Stripe's semantics.
const (
	idempotencyHeader = "Idempotency-Key"
	replayedHeader    = "Idempotent-Replayed"
	maxIdempotencyKey = 255
	// idempotencyWriteTimeout bounds each attempt at storing or releasing
	// a record after the response, even when the client has gone.
	idempotencyWriteTimeout = 2 * time.Second
	// idempotencyWriteAttempts is how often storing or releasing a record
	// is tried before the claim is left to run out its lease.
	idempotencyWriteAttempts = 3
	// idempotencyRetryDelay is the pause before the second attempt; it
	// doubles before each later one.
	idempotencyRetryDelay = 100 * time.Millisecond
)

// replayedHeaders are the response headers stored with a record and
// replayed with it.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// idempotent gives a POST Stripe's Idempotency-Key semantics (see once),
// telling requests apart by their method, path and body, which it reads
// whole (JSON bodies are small). Requests without the header pass through.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, err := idempotencyKey(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, r, crm.Errorf(crm.CodePayloadTooLarge, "The request body exceeds the limit of %d bytes.", tooLarge.Limit))
				return
			}
			writeError(w, r, crm.Errorf(crm.CodeInvalid, "The request body could not be read."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.once(w, r, key, requestHash(r, body), func(w http.ResponseWriter) { next.ServeHTTP(w, r) })
	})
}

// onceFunc is once, for handlers that tell their requests apart themselves.
type onceFunc func(w http.ResponseWriter, r *http.Request, key, hash string, run func(w http.ResponseWriter)) bool

// once answers a request carrying Idempotency-Key key, which identifies
// the request by hash, through the Backend; the key is scoped to the
// caller's API key. The first request with a key claims it and run
// answers it; its response is stored (see storable) and a later request
// with the same key and hash gets it again with Idempotent-Replayed: true.
// The same key with another hash is 422 idempotency_mismatch, and while
// the first request is still running 409 conflict. A response that is not
// stored, or a panic, releases the key so a retry runs afresh. Storing and
// releasing outlive the request and are retried (see persist); should they
// still fail, the claim's lease (store.IdempotencyLease) runs out and a
// retry takes the key over. The record names the customer the request
// concerns (the :id path parameter, or the id a create answers with; see
// createdID), so erasing that customer drops it.
// once reports whether run ran.
func (s *server) once(w http.ResponseWriter, r *http.Request, key, hash string, run func(w http.ResponseWriter)) bool {
	c, _ := callerFrom(r.Context())
	now := s.now()
	rec := &crm.IdempotencyRecord{Scope: c.id, Key: key, RequestHash: hash, ClaimID: crm.NewID(),
		CustomerID: pathParam(r, "id"), CreatedAt: now}
	prev, err := s.backend.ClaimIdempotencyKey(r.Context(), rec, now)
	switch {
	case err != nil:
		writeError(w, r, err)
		return false
	case prev != nil && prev.RequestHash != rec.RequestHash:
		writeError(w, r, crm.Errorf(crm.CodeIdempotencyMismatch, "This Idempotency-Key was used with a different request; use a new key for a new request."))
		return false
	case prev != nil && !prev.Done:
		writeError(w, r, crm.Errorf(crm.CodeConflict, "A request with this Idempotency-Key is still being processed; retry later."))
		return false
	case prev != nil:
		replay(w, r, prev)
		return false
	}

	cw := &captureWriter{ResponseWriter: w}
	finished := false
	defer func() {
		if !finished { // run panicked: let a retry run afresh
			s.releaseKey(r, rec)
		}
	}()
	run(cw)
	finished = true
	status := cw.status
	if status == 0 {
		status = http.StatusOK
	}
	if !storable(status) {
		s.releaseKey(r, rec)
		return true
	}
	header := map[string]string{}
	for _, h := range replayedHeaders {
		if v := w.Header().Get(h); v != "" {
			header[h] = v
		}
	}
	rec.Done, rec.Status, rec.Body = true, status, cw.body.Bytes()
	rec.Header, _ = json.Marshal(header)
	if rec.CustomerID == "" && status == http.StatusCreated {
		rec.CustomerID = createdID(rec.Body)
	}
	// The client has its response either way; when it cannot be stored,
	// a retry sees the claim as still running until its lease runs out.
	s.persist(r, "cannot store response", func(ctx context.Context) error {
		return s.backend.FinishIdempotencyKey(ctx, rec)
	})
	return true
}

// persist runs op, which stores or releases an idempotency record, on a
// context that outlives the request (a client that hangs up must not leave
// its key claimed), each attempt bounded by idempotencyWriteTimeout. A
// failed attempt is retried, after a pause that doubles each time, up to
// idempotencyWriteAttempts in all: a dropped database connection fails one
// statement, and the next runs on a fresh connection. not_found is final
// (the claim was taken over, purged or erased). A last failure is logged
// with what.
func (s *server) persist(r *http.Request, what string, op func(ctx context.Context) error) {
	ctx := context.WithoutCancel(r.Context())
	delay := idempotencyRetryDelay
	var err error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, idempotencyWriteTimeout)
		err = op(actx)
		cancel()
		if err == nil || crm.ErrorCode(err) == crm.CodeNotFound || attempt == idempotencyWriteAttempts {
			break
		}
		time.Sleep(delay)
		delay *= 2
	}
	if err != nil {
		info := requestInfoFrom(r.Context())
		info.logger.LogAttrs(r.Context(), slog.LevelError, "idempotency: "+what,
			slog.String("request_id", info.id), slog.String("error", err.Error()))
	}
}

// createdID returns the "id" of the resource a 201 response body holds
// ("" when it has none): for a create without an :id in its path (POST
// /api/v1/customers), the customer the record concerns.
func createdID(body []byte) string {
	var created struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(body, &created) != nil {
		return ""
	}
	return created.ID
}

// idempotencyKey returns the request's Idempotency-Key ("" when none);
// invalid when it is repeated or malformed.
func idempotencyKey(r *http.Request) (string, error) {
	values := r.Header.Values(idempotencyHeader)
	if len(values) == 0 {
		return "", nil
	}
	if len(values) > 1 || !validIdempotencyKey(values[0]) {
		return "", invalid(idempotencyHeader, "must be given once, as 1 to 255 printable ASCII characters")
	}
	return values[0], nil
}

// storable reports whether a response is kept for replay. Like Stripe, only
// results of requests the endpoint acted on are kept: a body that failed
// validation or decoding (400, 413, 415), a rate limit (429) or a server
// failure (5xx) frees the key, so the client can fix the request and retry
// with the same key.
func storable(status int) bool {
	switch {
	case status >= 500:
		return false
	case status == http.StatusBadRequest, status == http.StatusRequestEntityTooLarge,
		status == http.StatusUnsupportedMediaType, status == http.StatusTooManyRequests:
		return false
	}
	return true
}

// releaseKey deletes a claim whose request failed in a way a retry may fix.
func (s *server) releaseKey(r *http.Request, rec *crm.IdempotencyRecord) {
	s.persist(r, "cannot release key", func(ctx context.Context) error {
		return s.backend.ReleaseIdempotencyKey(ctx, rec)
	})
}

// replay writes a stored response again.
func replay(w http.ResponseWriter, r *http.Request, rec *crm.IdempotencyRecord) {
	var header map[string]string
	if len(rec.Header) > 0 {
		if err := json.Unmarshal(rec.Header, &header); err != nil {
			writeError(w, r, err)
			return
		}
	}
	for _, h := range replayedHeaders {
		if v, ok := header[h]; ok {
			w.Header().Set(h, v)
		}
	}
	w.Header().Set(replayedHeader, "true")
	w.WriteHeader(rec.Status)
	_, _ = w.Write(rec.Body)
}

// requestHash identifies a request for key reuse checks: SHA-256 of the
// method, the path with its query, and the body.
func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method)
	h.Write([]byte{0})
	io.WriteString(h, r.URL.EscapedPath())
	h.Write([]byte{0})
	io.WriteString(h, r.URL.RawQuery)
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > maxIdempotencyKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// captureWriter passes a response through and keeps a copy to store.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
