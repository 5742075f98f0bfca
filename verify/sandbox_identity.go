package verify

import (
	"context"
	"strings"
)

// SandboxIdentity is a deterministic IdentityProvider for tests and demos,
// in the spirit of a payment processor's test mode: the outcome follows
// from the request alone (see the package documentation for the table).
// It keeps no state, reads no clock and draws no random numbers.
type SandboxIdentity struct{}

var _ IdentityProvider = SandboxIdentity{}

// Verify decides on req by the sandbox rules, first match wins:
//  1. an invalid request: the Validate error;
//  2. ctx already ended: ctx's error;
//  3. a tax id ending 6666: a transient ProviderError (CodeTimeout),
//     returned at once;
//  4. a name containing "Reject", or a tax id ending 9999: rejected;
//  5. a name containing "Review", MethodManualReview, or
//     MethodDocumentUpload with utility bills only: manual review;
//  6. otherwise approved.
//
// The reference is derived from the idempotency key alone.
func (SandboxIdentity) Verify(ctx context.Context, req IdentityRequest) (IdentityResult, error) {
	if err := req.Validate(); err != nil {
		return IdentityResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return IdentityResult{}, err
	}
	tax := string(req.TaxID)
	if strings.HasSuffix(tax, SandboxTimeout) {
		return IdentityResult{}, sandboxTimeoutError(sandboxIdentityName(req))
	}
	res := IdentityResult{ProviderReference: sandboxReference("idv", req.IdempotencyKey)}
	switch {
	case containsFold(req.Name, SandboxNameReject):
		res.Decision = DecisionRejected
		res.Reasons = []Reason{{"identity_not_confirmed", "The name could not be matched to a real identity."}}
	case strings.HasSuffix(tax, SandboxReject):
		res.Decision = DecisionRejected
		res.Reasons = []Reason{{"identity_mismatch", "The tax id does not belong to the named person."}}
	case containsFold(req.Name, SandboxNameReview):
		res.Decision = DecisionManualReview
		res.Reasons = []Reason{{"review_flagged", "The provider flagged the identity for a person to check."}}
	case req.Method == MethodManualReview:
		res.Decision = DecisionManualReview
		res.Reasons = []Reason{{"review_requested", "Manual review was requested."}}
	case req.Method == MethodDocumentUpload && utilityBillsOnly(req.Documents):
		res.Decision = DecisionManualReview
		res.Reasons = []Reason{{"no_photo_id", "No photo identity document was offered; a utility bill proves only an address."}}
	default:
		res.Decision = DecisionApproved
		res.Reasons = []Reason{{"identity_confirmed", "The identity was confirmed."}}
	}
	return res, nil
}

// sandboxIdentityName names the simulated provider in errors.
func sandboxIdentityName(req IdentityRequest) string {
	if req.ThirdParty != "" {
		return "sandbox/" + string(req.ThirdParty)
	}
	return "sandbox/" + string(req.Method)
}

// utilityBillsOnly reports whether every document is a utility bill.
func utilityBillsOnly(docs []Document) bool {
	for _, d := range docs {
		if d.Type != DocumentUtilityBill {
			return false
		}
	}
	return len(docs) > 0
}
