package verify

import (
	"context"
	"errors"
	"time"

	"github.com/ispstack/crm"
)

// HardCheckInterval is how long after a hard credit check another one
// needs Force: every hard inquiry lowers the consumer's score a little.
const HardCheckInterval = 30 * 24 * time.Hour

// CheckCredit pulls the customer's credit report from a bureau, stores the
// check and the score as the customer's credit_score (audited), and
// returns the completed check. It runs the claimed check through the
// workflow's calls (per-call timeout, retries, circuit breaker) while the
// caller waits; if this process dies meanwhile, a worker takes the check
// over when its lease ends, with the same idempotency key, so the bureau
// records one inquiry. Errors: not_found; invalid (naming the field:
// bureau, check_type, consent, purpose, force); unprocessable naming
// tax_id when none is on file, or when the bureau refused for good (the
// check is kept, failed); conflict for a hard check within
// HardCheckInterval of the last one (unless in.Force) or while another
// hard check runs; unavailable when the bureau did not answer (the check
// is kept, failed; nothing else changed).
func (s *Service) CheckCredit(ctx context.Context, customerID string, in CreditInput) (*Verification, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var held *Verification
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		c, err := r.LockCustomer(ctx, customerID)
		if err != nil {
			return err
		}
		if c.TaxID == nil || s.opts.TaxIDs == nil {
			return &crm.Error{Code: crm.CodeUnprocessable, Message: "a credit check needs the customer's tax id on file",
				Fields: []crm.FieldError{{Field: "tax_id", Message: "is not on file for this customer"}}}
		}
		now := s.clock()
		if in.CheckType == CheckHard {
			if err := s.checkHardInterval(ctx, r, customerID, in.Force, now); err != nil {
				return err
			}
		}
		v := newVerification(customerID, KindCredit, string(in.CheckType), now)
		v.Credit = &CreditCheck{Bureau: in.Bureau, CheckType: in.CheckType, Purpose: in.Purpose, Forced: in.Force}
		s.claim(v, now)
		if err := r.CreateVerification(ctx, v); err != nil {
			return err
		}
		held = v
		return record(ctx, r, nil, v, actionRequest, EventRequested, now)
	})
	if err != nil {
		return nil, err
	}
	// The caller waits, but its going away must not strand the check:
	// the work finishes (within the lease) either way.
	// A claim lost meanwhile (this process stalled past the lease) was
	// finished by the worker that took it over: its outcome is the answer.
	if err := s.workCredit(context.WithoutCancel(ctx), held); err != nil && !errors.Is(err, errClaimLost) {
		return nil, err
	}
	v, err := s.repo.GetVerification(ctx, customerID, held.ID)
	if err != nil {
		return nil, err
	}
	return v, creditFailure(v)
}

// checkHardInterval refuses a hard check while another runs, or within
// HardCheckInterval of the last completed one unless forced.
func (s *Service) checkHardInterval(ctx context.Context, r Repository, customerID string, force bool, now time.Time) error {
	last, err := r.LatestVerification(ctx, customerID, KindCredit, string(CheckHard), "")
	switch {
	case crm.ErrorCode(err) == crm.CodeNotFound:
		return nil
	case err != nil:
		return err
	case last.Status.Open():
		return crm.Errorf(crm.CodeConflict, "a hard credit check of the customer is running (%s)", last.ID)
	}
	done, err := r.LatestVerification(ctx, customerID, KindCredit, string(CheckHard), StatusCompleted)
	switch {
	case crm.ErrorCode(err) == crm.CodeNotFound:
		return nil
	case err != nil:
		return err
	case force || done.Credit.CheckedAt == nil || !now.Before(done.Credit.CheckedAt.Add(HardCheckInterval)):
		return nil
	}
	return crm.Errorf(crm.CodeConflict, "the last hard credit check was on %s; another is allowed from %s unless forced (force: true, admin)",
		done.Credit.CheckedAt.Format(time.DateOnly), done.Credit.CheckedAt.Add(HardCheckInterval).Format(time.DateOnly))
}

// creditFailure is the error a failed check answers its caller with.
func creditFailure(v *Verification) error {
	f := v.Credit.Failure
	if v.Status != StatusFailed || f == nil {
		return nil
	}
	msg := "credit check " + v.ID + " failed: " + f.Code
	if f.Description != "" {
		msg += ": " + f.Description
	}
	switch f.Code {
	case CodeTimeout, CodeUnavailable, CodeCircuitOpen, "provider_error":
		return crm.Errorf(crm.CodeUnavailable, "%s; nothing was stored on the customer, try again later", msg)
	case CodeNoTaxID:
		return &crm.Error{Code: crm.CodeUnprocessable, Message: msg, Fields: []crm.FieldError{{Field: "tax_id", Message: "is not on file for this customer"}}}
	}
	return crm.Errorf(crm.CodeUnprocessable, "%s", msg)
}
