package httpapi

import (
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/ispstack/crm"
)

// route is one endpoint: method, httprouter pattern, the least role that
// may call it ("" for public endpoints, which need no key) and its handler.
type route struct {
	method  string
	path    string
	role    Role
	handler http.Handler
}

// uploadRoutes ("METHOD pattern") stream their bodies: they get the upload
// limit instead of the JSON one, and handle Idempotency-Key themselves,
// since the generic handling buffers the whole body in memory.
var uploadRoutes = map[string]bool{"POST /api/v1/customers/:id/documents": true}

// routes lists every endpoint of the API. The router is built from this
// table, and the tests check that the OpenAPI document lists the same
// routes and that each path resolves to its handler.
func (s *server) routes() []route {
	svc, contacts, docs := s.customers, s.contacts, s.documents
	serviceRes, contactRes, documentRes := subscriptionResource(svc), contactResource(contacts), documentResource(docs, s.basePath)
	return []route{
		{http.MethodGet, "/healthz", "", handleHealthz()},
		{http.MethodGet, "/readyz", "", handleReadyz(s.backend)},
		{http.MethodGet, "/api/v1/openapi.json", "", handleOpenAPI(s.openapi)},

		{http.MethodGet, "/api/v1/customers", RoleViewer, handleCustomerList(svc)},
		{http.MethodPost, "/api/v1/customers", RoleAgent, handleCustomerCreate(svc, s.basePath)},
		{http.MethodGet, "/api/v1/customers/:id", RoleViewer, handleCustomerGet(svc)},
		{http.MethodPut, "/api/v1/customers/:id", RoleAgent, handleCustomerReplace(svc)},
		{http.MethodPatch, "/api/v1/customers/:id", RoleAgent, handleCustomerPatch(svc)},
		{http.MethodDelete, "/api/v1/customers/:id", RoleAdmin, handleCustomerDelete(svc)},
		{http.MethodPost, "/api/v1/customers/:id/suspend", RoleAgent, handleCustomerSuspend(svc)},
		{http.MethodPost, "/api/v1/customers/:id/reactivate", RoleAgent, handleCustomerReactivate(svc)},
		{http.MethodGet, "/api/v1/customers/:id/status-history", RoleViewer, handleStatusHistory(svc)},
		{http.MethodGet, "/api/v1/customers/:id/audit", RoleAdmin, handleChildList("audit_entries", svc.Audit)}, // newest first, PII masked, readable after delete

		{http.MethodGet, "/api/v1/customers/:id/services", RoleViewer, handleChildList("services", svc.ListSubscriptions)}, // oldest first
		{http.MethodPost, "/api/v1/customers/:id/services", RoleAgent, serviceRes.handleCreate(svc.AddSubscription, s.basePath)},
		{http.MethodGet, "/api/v1/customers/:id/services/:service_id", RoleViewer, serviceRes.handleGet()},
		{http.MethodPatch, "/api/v1/customers/:id/services/:service_id", RoleAgent, serviceRes.handlePatch()},

		{http.MethodGet, "/api/v1/customers/:id/contacts", RoleViewer, handleContactList(contacts)}, // oldest first
		{http.MethodPost, "/api/v1/customers/:id/contacts", RoleAgent, contactRes.handleCreate(contacts.Create, s.basePath)},
		{http.MethodGet, "/api/v1/customers/:id/contacts/:contact_id", RoleViewer, contactRes.handleGet()},
		{http.MethodPut, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contactRes.handleReplace()},
		{http.MethodPatch, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contactRes.handlePatch()},
		{http.MethodDelete, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contactRes.handleDelete(contacts.Delete)}, // hard delete; the audit keeps a masked trail

		{http.MethodGet, "/api/v1/customers/:id/documents", RoleViewer, handleDocumentList(docs, s.basePath)},           // oldest first; active_only defaults to true
		{http.MethodPost, "/api/v1/customers/:id/documents", RoleAgent, handleDocumentUpload(docs, s.basePath, s.once)}, // multipart, streamed
		{http.MethodGet, "/api/v1/customers/:id/documents/:document_id", RoleViewer, documentRes.handleGet()},
		{http.MethodPatch, "/api/v1/customers/:id/documents/:document_id", RoleAgent, documentRes.handlePatch()},
		{http.MethodDelete, "/api/v1/customers/:id/documents/:document_id", RoleAgent, documentRes.handleDelete(docs.Deactivate)}, // deactivates: listed again with active_only=false
		{http.MethodGet, "/api/v1/customers/:id/documents/:document_id/content", RoleViewer, handleDocumentContent(docs)},
	}
}

// customersPrefix is the path below which reserved names live.
const customersPrefix = "/api/v1/customers/"

// reservedNames are the collection-level names below /api/v1/customers/
// (API.md's routing note). httprouter v1.3.0 panics when a static segment
// sits beside the :id wildcard, so routes under these names are kept in a
// router of their own, and dispatch sends a request there first whenever
// the segment after /api/v1/customers/ is one of them. Customer ids
// (UUIDs) can never collide with these names. A later issue serves one by
// adding its rows to routes; until then the name answers 404.
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
// request passes (request id, access log, panic recovery), then the
// reserved-name dispatch, then the router, whose routes each add the body
// limit, authentication, rate limiting and, on POST, Idempotency-Key
// handling.
func (s *server) handler(routes []route) http.Handler {
	main, reserved := newRouter(), newRouter()
	reserved.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, crm.Errorf(crm.CodeNotFound, "%s%s is not implemented yet.", customersPrefix, reservedName(r.URL.Path)))
	})
	for _, rt := range routes {
		target := main
		if reservedName(rt.path) != "" {
			target = reserved
		}
		target.Handle(rt.method, rt.path, s.chain(rt))
	}
	dispatch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reservedName(r.URL.Path) != "" {
			reserved.ServeHTTP(w, r)
			return
		}
		main.ServeHTTP(w, r)
	})
	return withRequestID(s.logger, s.identify)(accessLog(recoverPanic(dispatch)))
}

// chain wraps a route's handler in its per-route middleware. The body
// limit is per route because an upload may be far larger than JSON. The
// matched pattern and path parameters go into the request's info, not into
// a new context: httprouter's Handler adapter would copy the request for
// them.
func (s *server) chain(rt route) httprouter.Handle {
	h := rt.handler
	upload := uploadRoutes[rt.method+" "+rt.path]
	if rt.role != "" {
		if rt.method == http.MethodPost && !upload {
			h = s.idempotent(h)
		}
		h = s.limits.limit(h)
		h = s.authenticate(rt.role)(h)
	}
	limit := s.maxBody
	if upload {
		limit = s.maxUpload
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
