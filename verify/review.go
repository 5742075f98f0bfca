package verify

import (
	"context"

	"github.com/ispstack/crm"
)

// Get returns a verification of the customer, of any kind. Errors:
// not_found (also for another customer's verification).
func (s *Service) Get(ctx context.Context, customerID, id string) (*Verification, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("verification")
	}
	return s.repo.GetVerification(ctx, customerID, id)
}

// Review decides an identity verification that waits for a person: the
// actor in ctx approves or rejects it, with optional notes (kept with the
// result, redacted in the audit trail). Errors: not_found, invalid,
// conflict (not an identity verification, already decided, or not waiting
// for a review).
func (s *Service) Review(ctx context.Context, customerID, id string, in ReviewInput) (*Verification, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("verification")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Verification
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		v, err := r.LockVerification(ctx, customerID, id)
		if err != nil {
			return err
		}
		switch {
		case v.Identity == nil:
			return crm.Errorf(crm.CodeConflict, "only identity verifications are reviewed; this is a %s verification", v.Kind)
		case v.Status.Terminal():
			return crm.Errorf(crm.CodeConflict, "the verification is already %s", v.Status)
		case v.Status != StatusPending || v.Job.DueAt != nil:
			return crm.Errorf(crm.CodeConflict, "the verification is not waiting for a review: the provider has not answered yet")
		}
		before := v.Clone()
		now := s.clock()
		decision, reason := DecisionApproved, Reason{Code: "manual_review_approved", Description: "approved by a reviewer"}
		if in.Decision == ReviewReject {
			decision, reason = DecisionRejected, Reason{Code: "manual_review_rejected", Description: "rejected by a reviewer"}
		}
		s.complete(v, decision, append([]Reason{reason}, v.Identity.Findings...), crm.ActorFrom(ctx).ID, in.Notes, now)
		var extra []crm.FieldChange
		if in.Notes != "" {
			extra = append(extra, crm.Added("notes", crm.Redacted))
		}
		if err := s.save(ctx, r, before, v, actionReview, EventCompleted, now, extra...); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
