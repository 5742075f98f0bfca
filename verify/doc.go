// Package verify is identity verification (KYC), credit checks and address
// verification for customers.
//
// What exists so far is the library's provider layer; the stores, the HTTP
// endpoints and the asynchronous workflow that calls the providers (worker
// pool, per-call timeouts, retries with backoff, circuit breaker, claimed
// jobs) are still to come.
//
// # Providers
//
// Each outside service is an interface with one method, so a real adapter
// is a small file implementing one of them:
//
//   - IdentityProvider: Verify(ctx, IdentityRequest) (IdentityResult, error),
//     by document upload, a third-party service (Experian, Equifax,
//     LexisNexis) or manual review; the decision is approved, rejected or
//     manual_review (a person decides).
//   - CreditBureau: Check(ctx, CreditRequest) (CreditReport, error) at
//     Experian, Equifax or TransUnion, soft or hard. A bureau adapter maps
//     its answer to a score (300–850, nil for a thin file) and factors and
//     calls NewCreditReport, which adds the risk tier, the recommended
//     deposit and the credit limit from the table on RiskTier.
//   - AddressProvider: Verify(ctx, address.Address) (address.Result, error).
//     OfflineAddress, the offline checker of package address, is the
//     default.
//
// Every identity and credit request carries an IdempotencyKey: a retry
// sends the same key, and the provider answers with the same
// ProviderReference (and makes a hard inquiry once). Requests carry the
// customer id and only what the provider needs. The tax id travels in
// memory as a TaxID, which prints, logs and encodes masked to its last four
// digits; no result type has a tax id, not even its last four digits, nor
// any document content.
//
// A provider's failure is a *ProviderError. IsTransient tells a failure
// worth retrying (ErrProviderUnavailable: a timeout or an outage, or a
// per-call deadline that passed) from a permanent one (ErrProviderRejected,
// e.g. a frozen credit file) and from an invalid request (crm.CodeInvalid,
// from the requests' Validate). An identity rejection is a decision, not an
// error.
//
// # The sandbox
//
// SandboxIdentity and SandboxBureau are deterministic providers for tests
// and demos, in the spirit of a payment processor's test mode. They are
// pure: the answer follows from the request alone, with no state, clock or
// randomness, and the reference from the idempotency key. The test inputs:
//
//	tax id ends  credit check                       identity verification
//	0000         thin file: score nil, no_score     (no effect)
//	6666         transient timeout error            transient timeout error
//	9999         permanent error file_frozen        rejected
//	other        score 300 + (last 3 digits % 551)  (no effect)
//
//	identity input                                       decision
//	name contains "Reject" (any case)                    rejected
//	name contains "Review" (any case)                    manual_review
//	verification_method manual_review                    manual_review
//	document_upload with utility_bill documents only     manual_review
//	anything else                                        approved
//
// The first rule that matches wins, in this order: an invalid request (the
// Validate error), an ended context (its error), 6666, then the rows as
// listed, rejection before review (see SandboxBureau.Check and
// SandboxIdentity.Verify). The timeout error is returned at once rather
// than by blocking until ctx ends, so tests of retries and of the circuit
// breaker run without waiting; a test of a per-call timeout uses a provider
// of its own that blocks. A residential customer's SSN cannot end in 0000
// (package customer refuses it), so a thin file is reached with a
// business customer's EIN, e.g. 12-3450000.
package verify
