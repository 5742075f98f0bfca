package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/verify"
)

// Defaults of the optional settings.
const (
	defaultAddr               = ":8080"
	defaultReactivateInterval = 30 * time.Second
	defaultSweepInterval      = time.Hour
	// defaultAnalyticsSweepInterval is how often every customer's analytics
	// profile is recomputed: tenure and the windows of the churn features
	// move with time, a day at a time, so an hour keeps scores current.
	defaultAnalyticsSweepInterval = analytics.DefaultSweepInterval
	// orphanGrace is how old an unrecorded document file must be before the
	// sweep deletes it: far beyond the longest upload (httpapi allows 10
	// minutes), so files still arriving are never taken.
	orphanGrace = time.Hour
	// Default BLOB_URLs: nothing outlives the memory store, so neither need
	// its files; with Postgres they go to a directory beside the process.
	defaultMemBlobURL  = "mem://"
	defaultFileBlobURL = "file://./data/documents"
	// purgeInterval is how often expired idempotency keys are deleted; they
	// live 24 h, so an hour's delay costs little storage.
	purgeInterval = time.Hour
	// defaultOutboxRetention is how long outbox events are kept: relays
	// deliver within seconds, and a week covers a relay that was down
	// over a long weekend.
	defaultOutboxRetention = 7 * 24 * time.Hour
	// shutdownTimeout bounds the drain of in-flight requests; it stays below
	// the 30 s that Kubernetes and systemd wait before SIGKILL.
	shutdownTimeout = 25 * time.Second
	// defaultSMTPFrom is the sender of bulk emails when SMTP_FROM is
	// empty: an address that names no real domain, so a relay that checks
	// senders refuses it rather than mail going out in someone's name.
	defaultSMTPFrom = "no-reply@localhost"
)

// envVar documents one configuration variable, for `server help` and for
// keeping the README's table honest.
type envVar struct {
	Name, Default, Meaning string
}

// envVars lists every variable the server reads.
var envVars = []envVar{
	{"ADDR", defaultAddr, "listen address (host:port; port 0 picks a free port)"},
	{"DATABASE_URL", "empty", "Postgres DSN; empty selects the in-memory store"},
	{"API_KEYS", "empty", "comma-separated role:key pairs, roles admin, agent, viewer; empty generates one admin key and logs it once"},
	{"ENCRYPTION_KEY", "empty", "base64 of 32 bytes, encrypts tax ids at rest; memory store: random per process; Postgres: required"},
	{"BLOB_URL", "mem:// (memory), file://./data/documents (Postgres)", "where document files live (mem://, file:///path, s3://bucket?region=…); file:// directories are created"},
	{"MAX_UPLOAD_BYTES", strconv.Itoa(document.DefaultMaxSize), "largest document file accepted, in bytes (413 beyond)"},
	{"MAX_IMPORT_BYTES", strconv.Itoa(httpapi.DefaultMaxImportBytes), "largest bulk import body accepted, in bytes (413 beyond); the file streams into the store, never held in memory"},
	{"SWEEP_INTERVAL", defaultSweepInterval.String(), "how often document files without a record (older than 1h) are deleted and unscanned documents retried (Go duration)"},
	{"SEED_DEMO", "false", "true loads 300 demo customers at start (skipped when the store already has customers)"},
	{"RATE_LIMIT", "0", "requests per second allowed per API key; 0 means unlimited"},
	{"RATE_BURST", "RATE_LIMIT rounded up", "requests a key may send at once above RATE_LIMIT"},
	{"REACTIVATE_INTERVAL", defaultReactivateInterval.String(), "how often due suspensions are lifted (Go duration)"},
	{"OUTBOX_RETENTION", defaultOutboxRetention.String(), "how long outbox events are kept for relays before they are deleted (Go duration)"},
	{"ANALYTICS_SWEEP_INTERVAL", defaultAnalyticsSweepInterval.String(), "how often every customer's churn score, lifetime value and analytics filters are recomputed, shared by all servers (Go duration; 0 disables)"},
	{"CHURN_MODEL_FILE", "empty: the shipped model", "path of a churn model JSON (as cmd/churnfit writes it) to score with instead of the shipped one"},
	{"SMTP_URL", "empty: emails are logged, not sent", "SMTP server of bulk emails: smtp://user:pass@host:port (STARTTLS when offered; port 587 by default) or smtps:// (TLS from the start, port 465)"},
	{"SMTP_FROM", defaultSMTPFrom, "sender of bulk emails, an address with an optional name (\"ISP <no-reply@isp.example>\"); its domain ends every Message-ID"},
	{"SMS_WEBHOOK_URL", "empty: SMS are logged, not sent", "http(s) URL of the SMS gateway: one signed JSON POST per message"},
	{"SMS_WEBHOOK_SECRET", "empty", "HMAC-SHA256 key signing the SMS webhook's requests; required with SMS_WEBHOOK_URL"},
	{"BULK_SEND_RATE", strconv.Itoa(bulk.DefaultSendRate), "bulk messages per second one server sends at most (a provider's rate limit)"},
	{"IDENTITY_VALID_FOR", "365d", "how long an approved identity verification counts before the customer's verification status turns expired (Go duration such as 8760h, or days such as 365d)"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
}

// config is the parsed environment.
type config struct {
	addr        string
	databaseURL string
	// keys are the API keys; empty when API_KEYS is empty, in which case
	// serve generates one.
	keys []httpapi.APIKey
	// encryptionKey is the 32-byte tax id key; nil when ENCRYPTION_KEY is
	// empty (the memory store then draws a random one).
	encryptionKey []byte
	// blobURL is where document files live.
	blobURL            string
	maxUploadBytes     int64
	maxImportBytes     int64
	sweepInterval      time.Duration
	seedDemo           bool
	rateLimit          float64
	rateBurst          int
	reactivateInterval time.Duration
	outboxRetention    time.Duration
	// analyticsSweepInterval is how often a round of the profile sweep
	// starts; 0 runs none.
	analyticsSweepInterval time.Duration
	// churnModel scores churn; nil for the shipped model.
	churnModel *analytics.Model
	// identityValidFor is how long an approved identity verification
	// counts.
	identityValidFor time.Duration
	// smtpURL is the SMTP server of bulk emails ("" logs them instead);
	// it holds the password, so it is only logged masked.
	smtpURL  string
	smtpFrom string
	// smsWebhookURL is the SMS gateway ("" logs SMS instead), signed
	// with smsWebhookSecret.
	smsWebhookURL    string
	smsWebhookSecret string
	// sendRate is how many bulk messages a second this server sends.
	sendRate float64
	logLevel slog.Level
}

// loadConfig reads the environment through getenv. It reports every bad
// variable at once, each error naming its variable and never repeating a
// secret.
func loadConfig(getenv func(string) string) (*config, error) {
	cfg := &config{
		addr:                   defaultAddr,
		databaseURL:            strings.TrimSpace(getenv("DATABASE_URL")),
		reactivateInterval:     defaultReactivateInterval,
		maxUploadBytes:         document.DefaultMaxSize,
		maxImportBytes:         httpapi.DefaultMaxImportBytes,
		sweepInterval:          defaultSweepInterval,
		outboxRetention:        defaultOutboxRetention,
		analyticsSweepInterval: defaultAnalyticsSweepInterval,
		identityValidFor:       verify.DefaultIdentityValidFor,
		smtpFrom:               defaultSMTPFrom,
		sendRate:               bulk.DefaultSendRate,
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	if v := strings.TrimSpace(getenv("ADDR")); v != "" {
		cfg.addr = v
	}
	if v := getenv("API_KEYS"); strings.TrimSpace(v) != "" {
		keys, err := httpapi.ParseAPIKeys(v)
		if err != nil {
			bad("API_KEYS", "%v", err)
		}
		cfg.keys = keys
	}
	if v := strings.TrimSpace(getenv("ENCRYPTION_KEY")); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			bad("ENCRYPTION_KEY", "%v (generate one with: openssl rand -base64 32)", err)
		}
		cfg.encryptionKey = key
	}
	cfg.blobURL = defaultMemBlobURL
	if cfg.databaseURL != "" {
		cfg.blobURL = defaultFileBlobURL
	}
	if v := strings.TrimSpace(getenv("BLOB_URL")); v != "" {
		if err := checkBlobURL(v); err != nil {
			bad("BLOB_URL", "%v", err)
		}
		cfg.blobURL = v
	}
	if v := strings.TrimSpace(getenv("MAX_UPLOAD_BYTES")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > maxUploadLimit {
			bad("MAX_UPLOAD_BYTES", "must be a number of bytes between 1 and %d, got %q", int64(maxUploadLimit), v)
		}
		cfg.maxUploadBytes = n
	}
	if v := strings.TrimSpace(getenv("MAX_IMPORT_BYTES")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			bad("MAX_IMPORT_BYTES", "must be a positive number of bytes such as %d, got %q", int64(httpapi.DefaultMaxImportBytes), v)
		}
		cfg.maxImportBytes = n
	}
	duration := func(name, example string, into *time.Duration) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				bad(name, "must be a positive duration such as %s, got %q", example, v)
			}
			*into = d
		}
	}
	duration("SWEEP_INTERVAL", "1h or 30m", &cfg.sweepInterval)
	duration("REACTIVATE_INTERVAL", "30s or 1m", &cfg.reactivateInterval)
	duration("OUTBOX_RETENTION", "168h", &cfg.outboxRetention)
	if v := strings.TrimSpace(getenv("ANALYTICS_SWEEP_INTERVAL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			bad("ANALYTICS_SWEEP_INTERVAL", "must be a duration such as 1h or 30m, or 0 to disable the sweep, got %q", v)
		}
		cfg.analyticsSweepInterval = d
	}
	if v := strings.TrimSpace(getenv("CHURN_MODEL_FILE")); v != "" {
		m, err := loadModel(v)
		if err != nil {
			bad("CHURN_MODEL_FILE", "%v", err)
		}
		cfg.churnModel = m
	}
	if v := strings.TrimSpace(getenv("IDENTITY_VALID_FOR")); v != "" {
		d, err := parseDays(v)
		if err != nil || d <= 0 {
			bad("IDENTITY_VALID_FOR", "must be a positive duration such as 8760h, or a number of days such as 365d, got %q", v)
		}
		cfg.identityValidFor = d
	}
	if v := strings.TrimSpace(getenv("SEED_DEMO")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("SEED_DEMO", "must be true or false, got %q", v)
		}
		cfg.seedDemo = b
	}
	if v := strings.TrimSpace(getenv("RATE_LIMIT")); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			bad("RATE_LIMIT", "must be a non-negative number of requests per second, got %q", v)
		}
		cfg.rateLimit = f
	}
	cfg.rateBurst = int(math.Ceil(cfg.rateLimit))
	if v := strings.TrimSpace(getenv("RATE_BURST")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad("RATE_BURST", "must be a positive integer, got %q", v)
		}
		cfg.rateBurst = n
	}
	loadNotifierConfig(cfg, getenv, bad)
	if v := strings.TrimSpace(getenv("LOG_LEVEL")); v != "" {
		if err := cfg.logLevel.UnmarshalText([]byte(v)); err != nil {
			bad("LOG_LEVEL", "must be debug, info, warn or error, got %q", v)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}

// parseDays reads a Go duration, or a whole number of days with the
// suffix d ("365d"), which time.ParseDuration does not know.
func parseDays(s string) (time.Duration, error) {
	n, ok := strings.CutSuffix(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	days, err := strconv.Atoi(n)
	if err != nil || days > math.MaxInt64/int(24*time.Hour) {
		return 0, fmt.Errorf("not a number of days: %q", s)
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

// decodeKey decodes a base64 key of 32 bytes, accepting the standard and
// URL-safe alphabets with or without padding, since tools differ.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(b) != 32 {
			return nil, fmt.Errorf("must be base64 of 32 bytes, got %d bytes", len(b))
		}
		return b, nil
	}
	return nil, errors.New("must be base64 of 32 bytes, and is not valid base64")
}

// loadModel reads the churn model at path.
func loadModel(path string) (*analytics.Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return analytics.ParseModel(b)
}

// maxUploadLimit caps MAX_UPLOAD_BYTES at 5 GiB, the most S3 takes in one
// upload, so a typo cannot open the door to unbounded bodies.
const maxUploadLimit = 5 << 30

// blobSchemes are the gocloud.dev/blob URL schemes whose drivers the server
// registers (bucket.go).
var blobSchemes = []string{"mem", "file", "s3"}

// checkBlobURL validates BLOB_URL now, so a typo fails at deploy time rather
// than on the first document upload.
func checkBlobURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("must be a URL such as mem://, file:///var/lib/crm or s3://bucket")
	}
	if !slices.Contains(blobSchemes, u.Scheme) {
		return fmt.Errorf("unsupported scheme %q (want one of %s)", u.Scheme, strings.Join(blobSchemes, ", "))
	}
	return nil
}

// randomKey returns n random bytes; crypto/rand never fails on supported
// platforms.
func randomKey(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// generateAdminKey returns a fresh admin API key for a server started
// without API_KEYS.
func generateAdminKey() (httpapi.APIKey, error) {
	keys, err := httpapi.ParseAPIKeys("admin:" + base64.RawURLEncoding.EncodeToString(randomKey(32)))
	if err != nil || len(keys) != 1 {
		return httpapi.APIKey{}, fmt.Errorf("generate API key: %v", err)
	}
	return keys[0], nil
}
