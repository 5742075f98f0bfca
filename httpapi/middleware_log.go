package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// statusWriter records the status and size of a response for the access
// log and tells the panic handler whether a response has begun.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog writes one structured line per request: method, matched route
// pattern, status, bytes, duration, key id and request id. It logs neither
// the raw URL nor the query (search terms hold names and emails) nor any
// header, so no personal data and no credential reaches the log.
func accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := requestInfoFrom(r.Context())
		defer func() {
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			route := info.route
			if route == "" {
				route = "(unmatched)"
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			info.logger.LogAttrs(r.Context(), level, "http request",
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)),
				slog.String("key_id", info.keyID),
				slog.String("request_id", info.id),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}
