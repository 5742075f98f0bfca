package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"

	"github.com/julienschmidt/httprouter"

	"github.com/ispstack/crm"
)

// requestIDHeader carries the request id in both directions.
const requestIDHeader = "X-Request-Id"

// maxRequestID bounds client-chosen request ids.
const maxRequestID = 64

// requestInfo is what the middleware learns about a request as it passes
// through, for the access log and for problem bodies. The outermost
// middleware creates it; the router and authentication fill it in.
type requestInfo struct {
	id     string
	route  string            // matched route pattern, "" when no route matched
	params httprouter.Params // path parameters of the matched route
	// credential is what the Authorization header held; keyID and role
	// are the API key it names, when credential is credentialValid.
	credential credential
	keyID      string
	role       Role
	logger     *slog.Logger
}

type requestInfoKey struct{}

// requestInfoFrom returns the request's info; an empty one (with the
// default logger) outside the middleware, so callers never check for nil.
func requestInfoFrom(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{logger: slog.Default()}
}

// withRequestID accepts a sane client X-Request-Id (1–64 characters of
// [A-Za-z0-9._-]) or generates one, echoes it in the response and puts it
// in the context with the logger. It also identifies the caller (identify
// reads the Authorization header; authenticate later decides per route
// whether that suffices) and, for a valid key, puts the crm.Actor in the
// context, so a request is copied for its context once rather than twice.
func withRequestID(logger *slog.Logger, identify func(*http.Request, *requestInfo)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(requestIDHeader)
			if !validRequestID(id) {
				id = newRequestID()
			}
			w.Header()[requestIDHeader] = []string{id} // canonical already: skips Set's canonicalisation
			info := &requestInfo{id: id, logger: logger}
			identify(r, info)
			ctx := context.WithValue(r.Context(), requestInfoKey{}, info)
			if info.credential == credentialValid {
				ctx = crm.WithActor(ctx, crm.Actor{ID: info.keyID, RequestID: id})
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return "req_" + hex.EncodeToString(b[:])
}
