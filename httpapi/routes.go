package httpapi

import (
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
)

// route is one endpoint: method, httprouter pattern, the least role that
// may call it ("" for public endpoints, which need no key), its handler and
// the operation that documents it in the OpenAPI document.
type route struct {
	method  string
	path    string
	role    Role
	handler http.Handler
	op      operation
}

// module is one part of the API: the routes of one domain service and
// the OpenAPI components their operations name. Adding a module is one
// httpapi file that declares its module value, and its line in modules.
type module struct {
	// on reports whether the module's service is configured; a module
	// that is off has no routes and no components.
	on func(svc *app.Services) bool
	// routes are the module's rows of the route table.
	routes func(s *server) []route
	// components are the schemas and parameters its operations name.
	components func() components
}

// modules is the registry of the API's modules, in the order their routes
// are listed.
var modules = []module{customersModule, contactsModule, documentsModule, analyticsModule, paymentHistoryModule,
	usageHistoryModule, churnModule, segmentsModule, analyticsListsModule, verificationsModule, exportModule, jobsModule}

// routes lists every endpoint of the API: the probes and the document
// itself, then the routes of every configured module. The router and the
// OpenAPI document are both built from this table.
func (s *server) routes() []route { return s.routesOf(s.configured) }

// configured reports whether the service of module m is configured.
func (s *server) configured(m module) bool { return m.on(s.services) }

// routesOf lists the probes, the document and the routes of the modules
// that include accepts.
func (s *server) routesOf(include func(module) bool) []route {
	rts := []route{
		{http.MethodGet, "/healthz", "", handleHealthz(),
			operation{id: "getHealth", summary: "Liveness probe", status: 200, result: "Health"}},
		{http.MethodGet, "/readyz", "", handleReadyz(s.backend),
			operation{id: "getReadiness", summary: "Readiness probe: the store is reachable", status: 200, result: "Health", errors: []string{"503"}}},
		{http.MethodGet, "/api/v1/openapi.json", "", s.handleOpenAPI(),
			operation{id: "getOpenAPI", summary: "This OpenAPI document", status: 200}},
	}
	for _, m := range modules {
		if include(m) {
			rts = append(rts, m.routes(s)...)
		}
	}
	return rts
}

// componentsOf lists the OpenAPI components of the modules that include
// accepts, over the shared ones. Two definitions of one name are an
// error.
func componentsOf(include func(module) bool) (components, error) {
	c := sharedComponents()
	for _, m := range modules {
		if !include(m) {
			continue
		}
		if err := c.add(m.components()); err != nil {
			return c, err
		}
	}
	return c, nil
}

// customersPrefix is the path below which reserved names live.
const customersPrefix = "/api/v1/customers/"

// reservedNames are the collection-level names below /api/v1/customers/
// (API.md's routing note). httprouter v1.3.0 panics when a static segment
// sits beside the :id wildcard, so routes under these names are kept in a
// router of their own, and dispatch sends a request there first whenever
// the segment after /api/v1/customers/ is one of them. Customer ids
// (UUIDs) can never collide with these names. A module serves one by
// adding its rows to its routes; a name no module serves answers 404.
var reservedNames = []string{"export", "segments", "high-value", "at-risk", "bulk-import", "bulk-update", "bulk-communication"}

// reservedName returns the reserved name a path lives under, or "".
func reservedName(path string) string {
	rest, ok := strings.CutPrefix(path, customersPrefix)
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	for _, n := range reservedNames {
		if seg == n {
			return n
		}
	}
	return ""
}

// handler builds the whole API from the route table: the middleware every
// request passes (request id, access log, panic recovery, header limit), then the
// reserved-name dispatch, then the router, whose routes each add the body
// limit, authentication, rate limiting and, on POST, Idempotency-Key
// handling.
func (s *server) handler(routes []route) http.Handler {
	main, reserved := newRouter(), newRouter()
	served := map[string]bool{}
	for _, rt := range routes {
		target := main
		if name := reservedName(rt.path); name != "" {
			target, served[name] = reserved, true
		}
		target.Handle(rt.method, rt.path, s.chain(rt))
	}
	notFound := reserved.NotFound
	reserved.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := reservedName(r.URL.Path); !served[name] {
			writeError(w, r, crm.Errorf(crm.CodeNotFound, "%s%s is not implemented yet.", customersPrefix, name))
			return
		}
		notFound.ServeHTTP(w, r)
	})
	dispatch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reservedName(r.URL.Path) != "" {
			reserved.ServeHTTP(w, r)
			return
		}
		main.ServeHTTP(w, r)
	})
	return withRequestID(s.logger, s.identify)(accessLog(recoverPanic(limitHeaders(dispatch))))
}

// chain wraps a route's handler in its per-route middleware. The body
// limit is per route because an upload may be far larger than JSON. The
// matched pattern and path parameters go into the request's info, not into
// a new context: httprouter's Handler adapter would copy the request for
// them.
func (s *server) chain(rt route) httprouter.Handle {
	h := rt.handler
	// An upload (a multipart/form-data operation, which may take its file
	// as the whole body too) streams its body: it gets its own limit
	// instead of the JSON one, and handles Idempotency-Key itself, since
	// the generic handling buffers the whole body in memory.
	upload := rt.op.form != ""
	if rt.role != "" {
		if rt.method == http.MethodPost && !upload {
			h = s.idempotent(h)
		}
		h = s.limits.limit(h)
		h = s.authenticate(rt.role)(h)
	}
	limit := max(s.maxBody, rt.op.maxBody)
	if upload {
		limit = rt.op.maxBody
	}
	h = limitBody(limit)(h)
	pattern := rt.path
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		info := requestInfoFrom(r.Context())
		info.route, info.params = pattern, ps
		h.ServeHTTP(w, r)
	}
}

// newRouter returns an httprouter that answers unknown paths with a 404
// and known paths with the wrong method with a 405 (with Allow), both as
// problem+json, and that never redirects: an API client should get the
// error rather than follow a guess.
func newRouter() *httprouter.Router {
	r := httprouter.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true
	r.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, crm.Errorf(crm.CodeNotFound, "There is no resource at this path."))
	})
	r.MethodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &crm.Error{Code: codeMethodNotAllowed,
			Message: "This path does not support " + r.Method + "; allowed: " + w.Header().Get("Allow") + "."})
	})
	return r
}

// pathParam returns a path parameter of the matched route.
func pathParam(r *http.Request, name string) string {
	return requestInfoFrom(r.Context()).params.ByName(name)
}
