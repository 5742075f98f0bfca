package verify

import (
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify/address"
)

// Kind is what a stored verification checks.
type Kind string

// The kinds of verification.
const (
	// KindIdentity is an identity verification (KYC), run by the workers
	// and, for some methods, decided by a person.
	KindIdentity Kind = "identity"
	// KindCredit is a credit check at a bureau.
	KindCredit Kind = "credit"
	// KindAddress is an address verification.
	KindAddress Kind = "address"
)

// Status is where a verification stands.
type Status string

// The statuses. Completed and failed are terminal.
const (
	// StatusPending: waiting, for a worker (Job.DueAt set) or for a
	// person's review (Job.DueAt nil, RequiredActions has manual_review).
	StatusPending Status = "pending"
	// StatusInProgress: a worker holds it and is asking the provider.
	StatusInProgress Status = "in_progress"
	// StatusCompleted: decided (identity: approved or rejected), or
	// answered (credit, address).
	StatusCompleted Status = "completed"
	// StatusFailed: no answer could be had (the provider refused for good,
	// or kept failing past the retries).
	StatusFailed Status = "failed"
)

// Terminal reports whether s is final.
func (s Status) Terminal() bool { return s == StatusCompleted || s == StatusFailed }

// Open reports whether s is not final: pending or in progress.
func (s Status) Open() bool { return s == StatusPending || s == StatusInProgress }

// ActionManualReview is the required action of a verification waiting for
// a person (POST …/review).
const ActionManualReview = "manual_review"

// Verification is one stored verification of a customer, of any kind:
// exactly one of Identity, Credit and Address is set, as Kind says. The
// three kinds share one history per customer, newest first.
type Verification struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	Kind       Kind   `json:"kind"`
	Status     Status `json:"status"`
	// Subject narrows Kind for lookups: the check type (soft, hard) of a
	// credit check, the address type (billing, service) of an address
	// verification ("" for an address given in the request), "" for an
	// identity verification.
	Subject  string        `json:"subject"`
	Identity *Identity     `json:"identity,omitempty"`
	Credit   *CreditCheck  `json:"credit,omitempty"`
	Address  *AddressCheck `json:"address,omitempty"`
	// Job is the workflow's bookkeeping; never shown to API clients.
	Job       Job       `json:"job"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Job is a verification's place in the asynchronous workflow.
type Job struct {
	// DueAt is when a worker may next claim the verification: now or a
	// retry's time for one waiting for a worker, the end of the lease for
	// one a worker holds (a lease that ran out is taken over), nil when no
	// worker has anything to do (terminal, or waiting for a person).
	DueAt *time.Time `json:"due_at"`
	// ClaimedBy is the claim of the worker that holds the verification
	// ("" when none): each claim is new, so a worker whose lease was taken
	// over can tell that it no longer holds it.
	ClaimedBy string `json:"claimed_by"`
	// Claims counts the claims so far; the workflow gives up after
	// Options.MaxClaims (a verification whose workers keep dying).
	Claims int `json:"claims"`
	// Attempts counts the provider calls made so far, over every claim.
	Attempts int `json:"attempts"`
	// LastError is the code of the provider's last failure ("" when none).
	LastError string `json:"last_error"`
}

// Identity is an identity verification (Kind identity).
type Identity struct {
	Method     Method     `json:"verification_method"`
	Level      Level      `json:"verification_level"`
	ThirdParty ThirdParty `json:"third_party_service,omitempty"`
	Documents  []Document `json:"documents"`
	// EstimatedCompletion is when a decision is expected; see
	// EstimatedDuration.
	EstimatedCompletion time.Time `json:"estimated_completion"`
	// RequiredActions are what must happen before a decision: manual_review
	// while waiting for a person; never nil.
	RequiredActions []string `json:"required_actions"`
	// ProviderReference is the provider's id of the verification, once it
	// answered.
	ProviderReference string `json:"provider_reference,omitempty"`
	// Findings are the provider's reasons for sending the verification to
	// review, for the reviewer.
	Findings []Reason `json:"findings,omitempty"`
	// Result is the decision; nil until terminal.
	Result *IdentityOutcome `json:"result"`
}

// IdentityOutcome is the final result of an identity verification. It
// carries no tax id and no document content.
type IdentityOutcome struct {
	// Decision is approved or rejected; a failed verification (no
	// decision could be had) is rejected, with the failure as reason.
	Decision Decision `json:"decision"`
	// Reasons explain the decision; never nil.
	Reasons     []Reason  `json:"reasons"`
	CompletedAt time.Time `json:"completed_at"`
	// ProviderReference is the provider's id of the verification ("" when
	// no provider answered).
	ProviderReference string `json:"provider_reference"`
	// ReviewedBy is the actor who decided a manual review ("" when the
	// provider decided).
	ReviewedBy string `json:"reviewed_by,omitempty"`
	// Notes are the reviewer's.
	Notes string `json:"notes,omitempty"`
	// ExpiresAt is when an approval stops counting
	// (Options.IdentityValidFor after CompletedAt); nil for a rejection.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// CreditCheck is a credit check (Kind credit).
type CreditCheck struct {
	Bureau    Bureau    `json:"bureau"`
	CheckType CheckType `json:"check_type"`
	Purpose   Purpose   `json:"purpose,omitempty"`
	// Forced is true for a hard check an admin made within the 30 days
	// after another.
	Forced bool `json:"forced,omitempty"`
	// Report is the bureau's answer; nil until completed.
	Report *CreditReport `json:"report"`
	// Failure says why a failed check has no report.
	Failure *Reason `json:"failure,omitempty"`
	// CheckedAt is when the bureau answered or the check failed; nil
	// while open.
	CheckedAt *time.Time `json:"checked_at"`
}

// AddressCheck is an address verification (Kind address), made and
// completed at once.
type AddressCheck struct {
	// AddressType is billing or service for a stored address, "" for one
	// given in the request.
	AddressType string `json:"address_type,omitempty"`
	// Input is the address as checked.
	Input address.Address `json:"input"`
	// Result is the verdict.
	Result address.Result `json:"result"`
	// Applied is true when the normalised address was written back to
	// the customer.
	Applied   bool      `json:"applied"`
	CheckedAt time.Time `json:"checked_at"`
}

// The address types of a customer's stored addresses.
const (
	AddressBilling = "billing"
	AddressService = "service"
)

// Clone returns a deep copy of v, for stores that keep values in memory
// and for the workflow, which edits copies.
func (v *Verification) Clone() *Verification {
	c := *v
	c.Job.DueAt = cloneTime(v.Job.DueAt)
	if v.Identity != nil {
		id := *v.Identity
		id.Documents = slices.Clone(v.Identity.Documents)
		id.RequiredActions = slices.Clone(v.Identity.RequiredActions)
		id.Findings = slices.Clone(v.Identity.Findings)
		if r := v.Identity.Result; r != nil {
			o := *r
			o.Reasons = slices.Clone(r.Reasons)
			o.ExpiresAt = cloneTime(r.ExpiresAt)
			id.Result = &o
		}
		c.Identity = &id
	}
	if v.Credit != nil {
		cr := *v.Credit
		cr.CheckedAt = cloneTime(v.Credit.CheckedAt)
		if v.Credit.Failure != nil {
			f := *v.Credit.Failure
			cr.Failure = &f
		}
		if r := v.Credit.Report; r != nil {
			rep := *r
			if r.Score != nil {
				s := *r.Score
				rep.Score = &s
			}
			rep.Factors = slices.Clone(r.Factors)
			cr.Report = &rep
		}
		c.Credit = &cr
	}
	if v.Address != nil {
		a := *v.Address
		a.Result.Messages = slices.Clone(v.Address.Result.Messages)
		if v.Address.Result.Coordinates != nil {
			co := *v.Address.Result.Coordinates
			a.Result.Coordinates = &co
		}
		c.Address = &a
	}
	return &c
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := *t
	return &u
}

// newVerification starts a record of kind for the customer at now.
func newVerification(customerID string, kind Kind, subject string, now time.Time) *Verification {
	return &Verification{ID: crm.NewID(), CustomerID: customerID, Kind: kind, Subject: subject,
		Status: StatusPending, Version: 1, CreatedAt: now, UpdatedAt: now}
}
