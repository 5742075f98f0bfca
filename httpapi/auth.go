package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ispstack/crm"
)

// Role is what an API key may do. Roles are ordered: each includes the
// rights of the ones before it.
type Role string

// The roles of API.md, from least to most privileged.
const (
	// RoleViewer may read: every GET.
	RoleViewer Role = "viewer"
	// RoleAgent may also create and update customers and services,
	// upload, update and deactivate documents, and suspend and reactivate
	// customers.
	RoleAgent Role = "agent"
	// RoleAdmin may do everything: delete customers, read the audit trail,
	// override a non-payment suspension.
	RoleAdmin Role = "admin"
)

// roleRank orders the roles; unknown roles rank 0 and may do nothing.
var roleRank = map[Role]int{RoleViewer: 1, RoleAgent: 2, RoleAdmin: 3}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// Includes reports whether r has at least the rights of min.
func (r Role) Includes(min Role) bool { return r.Valid() && roleRank[r] >= roleRank[min] }

// APIKey is an accepted API key. ID identifies it in logs, audit entries and
// idempotency scopes; Secret is the bearer token and is never logged.
type APIKey struct {
	ID     string
	Role   Role
	Secret string
}

// String returns the key's id and role, never its secret, so a key that
// ends up in a log line or an error message does not leak.
func (k APIKey) String() string { return fmt.Sprintf("%s (%s)", k.ID, k.Role) }

// KeyID returns the id ParseAPIKeys derives from a secret: "key_" and the
// first 12 hex digits of its SHA-256, stable across restarts and safe to log.
func KeyID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "key_" + hex.EncodeToString(sum[:])[:12]
}

// ParseAPIKeys parses the API_KEYS format of API.md: comma-separated
// "role:key" pairs, roles admin, agent and viewer. Blank entries are
// skipped, so "" gives no keys. Errors name the entry by position and never
// repeat a secret.
func ParseAPIKeys(s string) ([]APIKey, error) {
	var keys []APIKey
	seen := map[string]int{}
	for i, entry := range strings.Split(s, ",") {
		n := i + 1
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		role, secret, ok := strings.Cut(entry, ":")
		if !ok {
			return nil, fmt.Errorf("API key entry %d: want role:key", n)
		}
		r := Role(strings.TrimSpace(role))
		if !r.Valid() {
			return nil, fmt.Errorf("API key entry %d: unknown role %q (want admin, agent or viewer)", n, role)
		}
		if secret == "" {
			return nil, fmt.Errorf("API key entry %d: empty key", n)
		}
		if strings.ContainsFunc(secret, func(c rune) bool { return c <= ' ' || c >= 0x7f }) {
			return nil, fmt.Errorf("API key entry %d: key must be printable ASCII without spaces", n)
		}
		if first, dup := seen[secret]; dup {
			return nil, fmt.Errorf("API key entry %d: duplicate key (same as entry %d)", n, first)
		}
		seen[secret] = n
		keys = append(keys, APIKey{ID: KeyID(secret), Role: r, Secret: secret})
	}
	return keys, nil
}

// keyring checks bearer tokens against the configured keys.
type keyring struct {
	keys []hashedKey
}

type hashedKey struct {
	id   string
	role Role
	hash [sha256.Size]byte
}

func newKeyring(keys []APIKey) (*keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("httpapi: at least one API key is required")
	}
	ids := map[string]bool{}
	hashes := map[[sha256.Size]byte]bool{}
	kr := &keyring{}
	for i, k := range keys {
		switch {
		case !k.Role.Valid():
			return nil, fmt.Errorf("httpapi: API key %d: unknown role %q", i+1, k.Role)
		case k.Secret == "":
			return nil, fmt.Errorf("httpapi: API key %d: empty secret", i+1)
		case k.ID == "":
			return nil, fmt.Errorf("httpapi: API key %d: empty id", i+1)
		case ids[k.ID]:
			return nil, fmt.Errorf("httpapi: API key %d: duplicate id %s", i+1, k.ID)
		}
		h := sha256.Sum256([]byte(k.Secret))
		if hashes[h] {
			return nil, fmt.Errorf("httpapi: API key %d: duplicate secret", i+1)
		}
		ids[k.ID], hashes[h] = true, true
		kr.keys = append(kr.keys, hashedKey{id: k.ID, role: k.Role, hash: h})
	}
	return kr, nil
}

// lookup returns the key whose secret is token. It compares the SHA-256 of
// token with every key in constant time and without stopping early, so
// neither the length nor the position of a match leaks through timing.
func (kr *keyring) lookup(token string) (hashedKey, bool) {
	h := sha256.Sum256([]byte(token))
	var found hashedKey
	match := 0
	for _, k := range kr.keys {
		if subtle.ConstantTimeCompare(h[:], k.hash[:]) == 1 {
			found, match = k, 1
		}
	}
	return found, match == 1
}

// caller is the authenticated API key of a request.
type caller struct {
	id   string
	role Role
}

// callerFrom returns the caller identified by a valid API key, which
// identify records in the request's info rather than in a context value
// of its own: one allocation less on every request.
func callerFrom(ctx context.Context) (caller, bool) {
	info := requestInfoFrom(ctx)
	return caller{id: info.keyID, role: info.role}, info.role != ""
}

// bearerToken returns the token of an "Authorization: Bearer <token>"
// header (scheme case-insensitive).
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// credential is what a request's Authorization header held.
type credential uint8

const (
	credentialNone    credential = iota // no bearer token
	credentialInvalid                   // a bearer token that is no API key
	credentialValid                     // the token of a configured API key
)

// identify reads the request's bearer token into info: whether it names
// an API key and which. It refuses nothing; authenticate does, per route.
func (s *server) identify(r *http.Request, info *requestInfo) {
	token, ok := bearerToken(r)
	if !ok {
		return
	}
	k, ok := s.keys.lookup(token)
	if !ok {
		info.credential = credentialInvalid
		return
	}
	info.credential, info.keyID, info.role = credentialValid, k.id, k.role
}

// authenticate requires a known API key of at least role min: 401 (with
// WWW-Authenticate) for a missing or unknown key, 403 for a role too low.
// identify has already read the key, and the crm.Actor (key id and request
// id) is in the context for the handlers and the audit trail.
func (s *server) authenticate(min Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := requestInfoFrom(r.Context())
			switch {
			case info.credential == credentialNone:
				w.Header().Set("WWW-Authenticate", `Bearer realm="crm"`)
				writeError(w, r, crm.Errorf(crm.CodeUnauthenticated, "An API key is required: send Authorization: Bearer <key>."))
			case info.credential == credentialInvalid:
				w.Header().Set("WWW-Authenticate", `Bearer realm="crm", error="invalid_token"`)
				writeError(w, r, crm.Errorf(crm.CodeUnauthenticated, "The API key is not valid."))
			case !info.role.Includes(min):
				writeError(w, r, crm.Errorf(crm.CodeForbidden, "This operation needs the %s role; the API key has the %s role.", min, info.role))
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}
