package verify

import (
	"context"
	"errors"
)

// ErrProviderUnavailable is matched (errors.Is) by every transient provider
// failure: a timeout, an outage, a rate limit. Trying again later, with the
// same idempotency key, may succeed.
var ErrProviderUnavailable = errors.New("verify: provider unavailable")

// ErrProviderRejected is matched (errors.Is) by every permanent refusal of
// a request by a provider, e.g. a bureau that will not report on a frozen
// file. Trying again gives the same answer.
var ErrProviderRejected = errors.New("verify: provider rejected the request")

// Codes of a ProviderError.
const (
	// CodeTimeout: the provider did not answer in time (transient).
	CodeTimeout = "provider_timeout"
	// CodeUnavailable: the provider is down or refuses load (transient).
	CodeUnavailable = "provider_unavailable"
	// CodeFileFrozen: the consumer froze their credit file (permanent).
	CodeFileFrozen = "file_frozen"
)

// ProviderError is a provider's failure to give an answer. Its Code and
// Message are safe to store and show; they never carry a tax id or
// document content.
type ProviderError struct {
	// Provider names who failed, e.g. "sandbox/experian".
	Provider string
	// Code classifies the failure: one of the Code constants or the
	// provider's own code.
	Code string
	// Message says what happened, for people.
	Message string
	// Transient is true when trying again later may succeed.
	Transient bool
	// Err is the underlying cause, if any (never shown to API clients).
	Err error
}

// Error implements the error interface.
func (e *ProviderError) Error() string {
	s := e.Provider + ": " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *ProviderError) Unwrap() error { return e.Err }

// Is makes a transient error match ErrProviderUnavailable and a permanent
// one ErrProviderRejected.
func (e *ProviderError) Is(target error) bool {
	return target == ErrProviderUnavailable && e.Transient ||
		target == ErrProviderRejected && !e.Transient
}

// IsTransient reports whether err is worth retrying with backoff: a
// transient ProviderError (or anything else matching
// ErrProviderUnavailable) or a per-call deadline that passed. A cancelled
// context, an invalid request and a rejection are not. A workflow checks
// its own context first: when that has ended, it stops instead of retrying.
func IsTransient(err error) bool {
	return errors.Is(err, ErrProviderUnavailable) || errors.Is(err, context.DeadlineExceeded)
}
