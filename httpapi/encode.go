package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// encode writes v as a JSON response with status. A value that cannot be
// encoded is an internal error (logged, generic 500).
func encode(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, r, fmt.Errorf("encode %T: %w", v, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
