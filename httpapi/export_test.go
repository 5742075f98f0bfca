package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// RouteKeys returns "METHOD pattern" of every row of the route table.
func RouteKeys() []string {
	var keys []string
	for _, rt := range (&server{}).routes() {
		keys = append(keys, rt.method+" "+rt.path)
	}
	return keys
}

// OperationKeys returns the keys of the documented operations.
func OperationKeys() []string { return sortedKeys(operations) }

// OpenAPIPath exposes openAPIPath.
var OpenAPIPath = openAPIPath

// ReservedNames exposes the reserved collection-level names.
var ReservedNames = reservedNames

// NewStubHandler returns the API handler, with its real middleware and
// routing, whose route handlers are replaced by stubs that answer 200 with
// the header X-Route: "METHOD pattern". extra adds routes ("METHOD
// pattern") as a later issue would add rows to the table.
func NewStubHandler(keys []APIKey, extra ...string) http.Handler {
	kr, err := newKeyring(keys)
	if err != nil {
		panic(err)
	}
	s := &server{keys: kr, logger: slog.New(slog.NewTextHandler(io.Discard, nil)), maxBody: defaultMaxBodyBytes,
		maxUpload: defaultMaxBodyBytes, now: time.Now}
	routes := s.routes()
	for _, e := range extra {
		method, path, _ := strings.Cut(e, " ")
		routes = append(routes, route{method: method, path: path, role: RoleAdmin})
	}
	for i := range routes {
		name := routes[i].method + " " + routes[i].path
		routes[i].handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Route", name)
			w.WriteHeader(http.StatusOK)
		})
	}
	return s.handler(routes)
}
