package httpapi

import "net/http"

// handlerFunc is a handler that returns its error instead of answering
// it: ServeHTTP answers a returned error as a problem document, so every
// handler reports its errors through this one call of writeError. A
// handler returns an error only before it has begun its response.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP runs h and answers its error.
func (h handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		writeError(w, r, err)
	}
}
