package verify

import (
	"context"

	"github.com/ispstack/crm/verify/address"
)

// IdentityProvider confirms that a customer is who they claim to be: a
// document checker, a third-party identity service (Experian, Equifax,
// LexisNexis) or a queue for people. An adapter for one service is a small
// file implementing this one method.
type IdentityProvider interface {
	// Verify decides on req. A rejection or a referral to manual review is
	// a result, not an error. Errors: invalid (crm.CodeInvalid) for a
	// request that fails IdentityRequest.Validate; a *ProviderError, which
	// IsTransient tells apart (timeout, outage) from a permanent refusal;
	// ctx's error when ctx ends first. Calls with the same IdempotencyKey
	// return the same ProviderReference.
	Verify(ctx context.Context, req IdentityRequest) (IdentityResult, error)
}

// CreditBureau pulls a consumer credit report. An adapter for one bureau is
// a small file implementing this one method; it maps the bureau's answer
// to a score and factors and builds the report with NewCreditReport.
type CreditBureau interface {
	// Check pulls the report for req. Errors: invalid (crm.CodeInvalid)
	// for a request that fails CreditRequest.Validate; a *ProviderError,
	// transient (timeout, outage) or permanent (the bureau refuses, e.g. a
	// frozen file); ctx's error when ctx ends first. Calls with the same
	// IdempotencyKey return the same ProviderReference (a real bureau bills
	// and records a hard inquiry once per key).
	Check(ctx context.Context, req CreditRequest) (CreditReport, error)
}

// AddressProvider verifies a postal address. OfflineAddress, the offline
// checker of package address, is the default; an adapter for a commercial
// service is a small file implementing this one method. Looking an address
// up changes nothing anywhere, so unlike the other providers it needs no
// idempotency key.
type AddressProvider interface {
	// Verify checks a; an address that fails a check is a Result with
	// Valid false, not an error. Errors are the provider's own failures
	// (*ProviderError) or ctx's error.
	Verify(ctx context.Context, a address.Address) (address.Result, error)
}
