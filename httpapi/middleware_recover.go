package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/ispstack/crm"
)

// recoverPanic turns a panic in a handler into a 500 problem, logged with
// the request id and the stack. http.ErrAbortHandler is passed on, as
// net/http expects.
func recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(p)
			}
			info := requestInfoFrom(r.Context())
			info.logger.LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.String("request_id", info.id),
				slog.String("route", info.route),
				slog.String("panic", fmt.Sprint(p)),
				slog.String("stack", string(debug.Stack())),
			)
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				return // the response has begun; the client sees a cut-off body
			}
			// The error is already logged; send the generic body only.
			writeProblem(w, r, problemFor(crm.Errorf(crm.CodeInternal, "panic"), info.id))
		}()
		next.ServeHTTP(w, r)
	})
}
