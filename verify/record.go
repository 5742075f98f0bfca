package verify

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// The outbox event types of verifications. Each payload is the
// verification's summary (see summary): ids, kind, status, decision and
// codes, never an address, a note, a tax id or document content.
const (
	// EventRequested: a verification or check was asked for.
	EventRequested = "verification.requested"
	// EventStarted: a worker claimed it and calls the provider.
	EventStarted = "verification.started"
	// EventRetryScheduled: the provider failed for now; a worker tries
	// again at the summary's due_at.
	EventRetryScheduled = "verification.retry_scheduled"
	// EventReleased: a worker stopping (its server shutting down) gave
	// the verification back before the provider answered; it is due
	// again at once.
	EventReleased = "verification.released"
	// EventReviewRequired: an identity verification waits for a person.
	EventReviewRequired = "verification.review_required"
	// EventCompleted: decided (identity), answered (credit) or checked
	// (address).
	EventCompleted = "verification.completed"
	// EventFailed: no answer could be had.
	EventFailed = "verification.failed"
)

// The audit actions of verifications (entity "verification").
const (
	actionRequest        = "request"
	actionStart          = "start"
	actionRetry          = "retry"
	actionRelease        = "release"
	actionReviewRequired = "review_required"
	actionComplete       = "complete"
	actionFail           = "fail"
	actionReview         = "review"
)

// workerActor is the actor of the steps the workers take.
var workerActor = crm.Actor{ID: "verify-worker"}

// record writes the audit entry of a step from before (nil when created)
// to after and, when typ is not "", its outbox event. extra are changes
// the summaries cannot show (that review notes were given).
func record(ctx context.Context, r Repository, before, after *Verification, action, typ string, now time.Time, extra ...crm.FieldChange) error {
	var b any
	if before != nil {
		b = summary(before)
	}
	changes := append(crm.Diff(b, summary(after), func(_ string, v any) any { return v }), extra...)
	e := crm.NewAuditEntry(ctx, after.CustomerID, "verification", after.ID, action, changes, now)
	return crm.Record(ctx, r, e, typ, summary(after))
}

// summary is what the audit trail and the outbox keep of a verification:
// nothing personal, so both can outlive the customer's erasure.
func summary(v *Verification) map[string]any {
	m := map[string]any{
		"id": v.ID, "customer_id": v.CustomerID, "kind": v.Kind, "status": v.Status,
		"attempts": v.Job.Attempts, "last_error": v.Job.LastError, "due_at": v.Job.DueAt,
	}
	if v.Subject != "" {
		m["subject"] = v.Subject
	}
	switch {
	case v.Identity != nil:
		id := v.Identity
		m["verification_method"], m["verification_level"] = id.Method, id.Level
		if id.ThirdParty != "" {
			m["third_party_service"] = id.ThirdParty
		}
		m["documents"] = id.Documents
		m["required_actions"] = id.RequiredActions
		m["provider_reference"] = id.ProviderReference
		if r := id.Result; r != nil {
			m["decision"], m["reasons"], m["expires_at"] = r.Decision, reasonCodes(r.Reasons), r.ExpiresAt
			if r.ReviewedBy != "" {
				m["reviewed_by"] = r.ReviewedBy
			}
		}
	case v.Credit != nil:
		c := v.Credit
		m["bureau"], m["check_type"], m["forced"] = c.Bureau, c.CheckType, c.Forced
		if c.Purpose != "" {
			m["purpose"] = c.Purpose
		}
		if r := c.Report; r != nil {
			m["score"], m["risk_tier"], m["provider_reference"] = r.Score, r.RiskTier, r.ProviderReference
		}
		if c.Failure != nil {
			m["failure"] = c.Failure.Code
		}
	case v.Address != nil:
		a := v.Address
		m["address_type"], m["valid"], m["confidence"], m["applied"] = a.AddressType, a.Result.Valid, a.Result.Confidence, a.Applied
		codes := make([]string, len(a.Result.Messages))
		for i, msg := range a.Result.Messages {
			codes[i] = msg.Code
		}
		m["messages"] = codes
	}
	return m
}

// reasonCodes returns the codes of reasons.
func reasonCodes(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}
