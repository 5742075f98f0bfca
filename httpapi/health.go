package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/ispstack/crm"
)

// readyTimeout bounds the Backend ping of a readiness probe.
const readyTimeout = 2 * time.Second

// health is the body of /healthz and /readyz.
type health struct {
	Status string `json:"status"`
}

// handleHealthz serves GET /healthz (liveness): 200 while the process
// serves requests.
func handleHealthz() http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		encode(w, r, http.StatusOK, health{Status: "ok"})
		return nil
	})
}

// handleReadyz serves GET /readyz (readiness): 200 when the backend answers
// a ping, else 503 unavailable.
func handleReadyz(b Backend) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		if err := b.Ping(ctx); err != nil {
			return crm.Wrap(err, crm.CodeUnavailable, "The store is not reachable.")
		}
		encode(w, r, http.StatusOK, health{Status: "ready"})
		return nil
	})
}
