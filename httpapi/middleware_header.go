package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
)

// MaxHeaderBytes is the most the request line and headers of a request
// may take; a larger request is 431 as a problem document. net/http
// refuses headers beyond its http.Server.MaxHeaderBytes (1 MiB by default)
// itself, with a plain-text 431 written before any handler runs; a server
// keeps that limit above MaxHeaderBytes so the API's own limit, and its
// problem document, is the one clients meet.
const MaxHeaderBytes = 64 << 10

// limitHeaders answers 431 request_header_too_large when the request line
// and headers of r exceed MaxHeaderBytes, counted as they were sent.
func limitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := headerBytes(r); n > MaxHeaderBytes {
			writeError(w, r, crm.Errorf(codeHeaderTooLarge, "The request line and headers take %d bytes; the limit is %d.", n, MaxHeaderBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerBytes is the size of r's request line and header fields on the
// wire (each field as "Name: value\r\n"; Host is kept apart by net/http).
func headerBytes(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n
}
