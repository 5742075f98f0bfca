package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
)

// defaultMaxBodyBytes is the JSON body limit of API.md.
const defaultMaxBodyBytes = 1 << 20

// DefaultMaxImportBytes is the body limit of a bulk import when
// Config.MaxImportBytes is 0: 100 MiB.
const DefaultMaxImportBytes = 100 << 20

// Config configures the handler.
type Config struct {
	// Services are the domain services the handlers call, as app.New
	// wires them. Services.Customers is required; a module whose service
	// is nil (Documents without a bucket) has no routes and is absent from
	// the OpenAPI document. The document service's MaxSize sets the upload
	// limit (the upload route alone reads bodies beyond MaxBodyBytes).
	Services *app.Services
	// Backend keeps idempotency records and answers readiness probes; a
	// store.Store satisfies it. Required.
	Backend Backend
	// Keys are the accepted API keys (see ParseAPIKeys). At least one.
	Keys []APIKey
	// Logger receives the access log and the details of internal errors;
	// nil means slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes limits JSON request bodies; 0 means 1 MiB. Document
	// uploads are limited by the document service's MaxSize instead.
	MaxBodyBytes int64
	// MaxImportBytes limits the body of a bulk import (streamed, so it
	// may be far larger than JSON); 0 means DefaultMaxImportBytes.
	MaxImportBytes int64
	// RateLimit is the sustained number of requests per second allowed per
	// API key; 0 means unlimited.
	RateLimit float64
	// RateBurst is how many requests a key may send at once above
	// RateLimit; values below 1 mean 1.
	RateBurst int
	// Now is the clock of idempotency records and rate limits; nil means
	// time.Now.
	Now func() time.Time
	// BasePath is the path prefix the handler is mounted under when it is
	// served below another mux with http.StripPrefix (for example "/crm"),
	// so Location headers point where clients can follow them. "" when the
	// API is served at the root.
	BasePath string
}

// Backend is the storage the HTTP layer itself needs: idempotency records
// shared by every replica, and a readiness check. A store.Store satisfies
// it.
type Backend interface {
	// ClaimIdempotencyKey inserts rec unless a live record with the same
	// Scope and Key exists, which it then returns; (nil, nil) means rec was
	// claimed.
	ClaimIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord, now time.Time) (*crm.IdempotencyRecord, error)
	// FinishIdempotencyKey stores the response of a claimed record.
	FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error
	// ReleaseIdempotencyKey deletes a claim so the key can be used again.
	ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error
	// Ping reports whether the backend is reachable (unavailable otherwise).
	Ping(ctx context.Context) error
}

// server holds the configured dependencies of the handlers and middleware.
type server struct {
	services  *app.Services
	backend   Backend
	logger    *slog.Logger
	maxBody   int64
	maxUpload int64 // the body limit of uploads: the largest file plus the form around it
	maxImport int64 // the body limit of bulk imports
	now       func() time.Time
	keys      *keyring
	limits    *rateLimiter
	openapi   []byte // the OpenAPI document of the configured routes
	basePath  string
}

// New returns the HTTP handler of the API described by cfg.
func New(cfg Config) (http.Handler, error) {
	if cfg.Services == nil || cfg.Services.Customers == nil {
		return nil, errors.New("httpapi: Config.Services with its Customers service is required")
	}
	if cfg.Backend == nil {
		return nil, errors.New("httpapi: Config.Backend is required")
	}
	keys, err := newKeyring(cfg.Keys)
	if err != nil {
		return nil, err
	}
	if cfg.RateLimit < 0 {
		return nil, errors.New("httpapi: Config.RateLimit must not be negative")
	}
	s := &server{
		services:  cfg.Services,
		backend:   cfg.Backend,
		logger:    cfg.Logger,
		maxBody:   cfg.MaxBodyBytes,
		maxImport: cfg.MaxImportBytes,
		now:       cfg.Now,
		keys:      keys,
		basePath:  strings.TrimSuffix(cfg.BasePath, "/"),
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.maxBody <= 0 {
		s.maxBody = defaultMaxBodyBytes
	}
	if s.maxImport <= 0 {
		s.maxImport = DefaultMaxImportBytes
	}
	if s.now == nil {
		s.now = time.Now
	}
	if docs := cfg.Services.Documents; docs != nil {
		s.maxUpload = docs.MaxSize() + formOverhead
	}
	s.limits = newRateLimiter(cfg.Keys, cfg.RateLimit, cfg.RateBurst, s.now)
	routes := s.routes()
	comps, err := componentsOf(s.configured)
	if err != nil {
		return nil, err
	}
	if s.openapi, err = openAPIJSON(routes, comps); err != nil {
		return nil, err
	}
	return s.handler(routes), nil
}
