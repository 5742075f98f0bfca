package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/ispstack/crm"
)

// Problem codes that have no crm.Code because only the HTTP layer
// produces them.
const (
	// codeMethodNotAllowed is the 405 of the router.
	codeMethodNotAllowed crm.Code = "method_not_allowed"
	// codeRangeNotSatisfiable is the 416 of a download's Range.
	codeRangeNotSatisfiable crm.Code = "range_not_satisfiable"
	// codeHeaderTooLarge is the 431 of a request whose headers exceed
	// MaxHeaderBytes.
	codeHeaderTooLarge crm.Code = "request_header_too_large"
)

// unavailableRetryAfter is the Retry-After (seconds) of every 503: long
// enough for a store failover or a restart to settle, short enough that a
// client retries soon.
const unavailableRetryAfter = "5"

// internalDetail is all a client learns about an internal error.
const internalDetail = "An internal error occurred. Quote the request id when reporting it."

// problem is an RFC 9457 problem document with the extensions of API.md.
type problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Code      crm.Code         `json:"code"`
	Detail    string           `json:"detail,omitempty"`
	Errors    []crm.FieldError `json:"errors,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
}

// statuses maps every crm error code to its HTTP status: the one place
// where codes become statuses (DESIGN.md convention 2).
var statuses = map[crm.Code]struct {
	status int
	title  string
}{
	crm.CodeInvalid:              {http.StatusBadRequest, "Invalid request"},
	crm.CodeUnauthenticated:      {http.StatusUnauthorized, "Unauthenticated"},
	crm.CodeForbidden:            {http.StatusForbidden, "Forbidden"},
	crm.CodeNotFound:             {http.StatusNotFound, "Not found"},
	codeMethodNotAllowed:         {http.StatusMethodNotAllowed, "Method not allowed"},
	crm.CodeConflict:             {http.StatusConflict, "Conflict"},
	crm.CodePreconditionFailed:   {http.StatusPreconditionFailed, "Precondition failed"},
	crm.CodePayloadTooLarge:      {http.StatusRequestEntityTooLarge, "Payload too large"},
	crm.CodeUnsupportedMediaType: {http.StatusUnsupportedMediaType, "Unsupported media type"},
	codeRangeNotSatisfiable:      {http.StatusRequestedRangeNotSatisfiable, "Range not satisfiable"},
	crm.CodeIdempotencyMismatch:  {http.StatusUnprocessableEntity, "Idempotency key reused"},
	crm.CodeUnprocessable:        {http.StatusUnprocessableEntity, "Unprocessable request"},
	crm.CodeRateLimited:          {http.StatusTooManyRequests, "Too many requests"},
	codeHeaderTooLarge:           {http.StatusRequestHeaderFieldsTooLarge, "Request header fields too large"},
	crm.CodeUnavailable:          {http.StatusServiceUnavailable, "Service unavailable"},
	crm.CodeInternal:             {http.StatusInternalServerError, "Internal error"},
}

// problemFor builds the problem document of err. Internal errors get a
// generic detail: their text stays in the log.
func problemFor(err error, requestID string) problem {
	code := crm.ErrorCode(err)
	s, ok := statuses[code]
	if !ok {
		code, s = crm.CodeInternal, statuses[crm.CodeInternal]
	}
	p := problem{Type: "about:blank", Title: s.title, Status: s.status, Code: code, RequestID: requestID}
	if code == crm.CodeInternal {
		p.Detail = internalDetail
		return p
	}
	p.Detail = crm.ErrorMessage(err)
	p.Errors = crm.ErrorFields(err)
	return p
}

// writeError answers err as a problem document. Internal errors and
// unavailability are logged with the request id and the route.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	info := requestInfoFrom(r.Context())
	p := problemFor(err, info.id)
	switch p.Code {
	case crm.CodeInternal:
		info.logger.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", info.id), slog.String("route", info.route), slog.String("error", err.Error()))
	case crm.CodeUnavailable:
		info.logger.LogAttrs(r.Context(), slog.LevelWarn, "unavailable",
			slog.String("request_id", info.id), slog.String("route", info.route), slog.String("error", err.Error()))
	}
	writeProblem(w, r, p)
}

// writeProblem writes p as application/problem+json; a 503 carries
// Retry-After.
func writeProblem(w http.ResponseWriter, _ *http.Request, p problem) {
	body, err := json.Marshal(p)
	if err != nil { // cannot happen: every field marshals
		body = []byte(`{"type":"about:blank","title":"Internal error","status":500,"code":"internal"}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	h.Del("Location")
	if p.Status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", unavailableRetryAfter)
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}

// invalid returns an invalid error with one field problem.
func invalid(field, message string) error {
	var p crm.Problems
	p.Add(field, message)
	return p.Err()
}
