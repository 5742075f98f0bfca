package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ispstack/crm/app"
)

// allModules includes every module, configured or not.
func allModules(module) bool { return true }

// RouteKeys returns "METHOD pattern" of every row of the route table, with
// every module on.
func RouteKeys() []string {
	var keys []string
	for _, rt := range stubServer(nil).routesOf(allModules) {
		keys = append(keys, rt.method+" "+rt.path)
	}
	return keys
}

// OpenAPIPath exposes openAPIPath.
var OpenAPIPath = openAPIPath

// ReservedNames exposes the reserved collection-level names.
var ReservedNames = reservedNames

// HeaderBytes exposes headerBytes.
var HeaderBytes = headerBytes

// stubServer is a server without services, for handlers whose routes are
// stubs.
func stubServer(kr *keyring) *server {
	return &server{services: &app.Services{}, keys: kr, logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		maxBody: defaultMaxBodyBytes, maxUpload: defaultMaxBodyBytes, maxImport: DefaultMaxImportBytes, now: time.Now}
}

// NewStubHandler returns the API handler, with its real middleware and
// routing and every module on, whose route handlers are replaced by stubs
// that answer 200 with the header X-Route: "METHOD pattern".
func NewStubHandler(keys []APIKey) http.Handler {
	kr, err := newKeyring(keys)
	if err != nil {
		panic(err)
	}
	s := stubServer(kr)
	routes := s.routesOf(allModules)
	for i := range routes {
		name := routes[i].method + " " + routes[i].path
		routes[i].handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Route", name)
			w.WriteHeader(http.StatusOK)
		})
	}
	return s.handler(routes)
}
