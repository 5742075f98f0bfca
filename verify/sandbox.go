package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The tax id endings the sandbox providers react to; see the package
// documentation for the full table of test inputs.
const (
	// SandboxThinFile: the bureau has too little history to score.
	SandboxThinFile = "0000"
	// SandboxTimeout: the provider times out (a transient error).
	SandboxTimeout = "6666"
	// SandboxReject: the bureau refuses (frozen file); identity is rejected.
	SandboxReject = "9999"
)

// The name fragments the sandbox identity provider reacts to, matched
// without regard to case.
const (
	SandboxNameReject = "Reject"
	SandboxNameReview = "Review"
)

// sandboxReference derives a provider reference from the idempotency key,
// so one key always gives one reference, as at a real provider.
func sandboxReference(kind, key string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + key))
	return "sbx_" + kind + "_" + hex.EncodeToString(sum[:10])
}

// sandboxTimeoutError is the transient failure both sandboxes give for a
// tax id ending in SandboxTimeout.
func sandboxTimeoutError(provider string) error {
	return &ProviderError{Provider: provider, Code: CodeTimeout, Transient: true,
		Message: "the provider did not answer in time (sandbox tax id ending " + SandboxTimeout + ")"}
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
