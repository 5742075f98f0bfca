// Package httpapi serves the customer-management API (/api/v1) over HTTP.
//
// New returns an http.Handler with every route of API.md. The route table
// is built from modules: each module's file (customers.go, contacts.go,
// documents.go) contributes its rows, each carrying the OpenAPI operation
// that documents it, and its schemas (openapi_customers.go, …), through
// the registry in routes.go; a module whose service Config.Services does
// not hold is left out of both the router and the OpenAPI document.
// Cross-cutting behaviour is middleware (request ids, access log, panic
// recovery, header and body limits, API-key authentication with roles,
// per-key rate limits, Idempotency-Key); handlers return their errors
// (handler.go), which become RFC 9457 problem documents, and crm error
// codes are mapped to HTTP statuses in exactly one place (problem.go).
// Request bodies go through one strict decoder (decode.go) and responses
// through one encoder (encode.go); document uploads are the one exception,
// streamed from a multipart body (documents_upload.go) under their own
// size limit, and downloads are streamed with range support
// (documents_content.go).
//
// The handler holds no state that must be shared between replicas:
// idempotency records live in the Backend (a store.Store), so any number of
// servers can run behind one load balancer. Rate limits are per process.
package httpapi
