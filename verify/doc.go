// Package verify is identity verification (KYC), credit checks and address
// verification for customers, run as a workflow over a Repository.
//
// # The workflow
//
// Service.StartIdentity queues an identity verification (pending); the
// workers (Service.Run, on every server, or Service.ProcessDue for one
// round) claim due verifications in a transaction (FOR UPDATE SKIP LOCKED
// in Postgres, so two servers never claim the same one), hold each for a
// lease, and call the provider: up to Options.Workers at once (an
// errgroup with that limit), each call bounded by CallTimeout, retried
// CallsPerClaim times with exponential backoff while the failure is
// transient, through a circuit breaker per provider that stops calling one
// that keeps failing. The outcome is stored under the row's lock only if
// the worker still holds its claim: a worker that died or froze loses the
// verification to whoever claims it after the lease, and a late answer of
// the first is dropped, so each verification finishes exactly once. Every
// provider call carries the verification's id as its idempotency key, so a
// takeover does not make the provider decide (or a bureau record an
// inquiry) twice. An identity verification whose calls all failed waits
// RetryDelay (doubling) and is tried again, up to MaxAttempts calls;
// document_upload and manual_review, and whatever the provider refers,
// wait for a person (Service.Review). Approvals count for
// IdentityValidFor; after that the customer's overall status is expired.
//
// Service.CheckCredit runs a credit check through the same claims and
// calls while its caller waits, and stores the score as the customer's
// credit_score in the check's transaction. Service.CheckAddress checks an
// address at once and can write the normalised address back.
// Service.Status reports the overall standing, the latest of each kind and
// the history.
//
// Every step writes an audit entry (entity "verification") and an outbox
// event (the Event constants) whose content is a summary without personal
// data: no tax id, no address, no review notes, no document content.
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
