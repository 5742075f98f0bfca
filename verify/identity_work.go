package verify

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/ispstack/crm/customer"
)

// workIdentity asks the identity provider about a claimed identity
// verification and stores the outcome: a decision, a referral to a
// person, a retry later, or a failure.
func (s *Service) workIdentity(ctx context.Context, held *Verification) error {
	c, err := s.repo.GetCustomer(ctx, held.CustomerID)
	if err != nil {
		return err
	}
	id := held.Identity
	req := IdentityRequest{IdempotencyKey: held.ID, CustomerID: held.CustomerID, Method: id.Method,
		Level: id.Level, ThirdParty: id.ThirdParty, Documents: id.Documents, Name: c.Name, TaxID: s.taxID(c)}
	var res IdentityResult
	calls, err := s.call(ctx, identityProviderName(id), func(ctx context.Context) (err error) {
		res, err = s.opts.Identity.Verify(ctx, req)
		return err
	})
	return s.finish(ctx, held, func(_ context.Context, _ Repository, v *Verification, now time.Time) (string, string, error) {
		switch {
		case err == nil:
			v.Job.Attempts += calls
			return s.decide(v, res, now)
		case ctx.Err() != nil:
			a, t := release(v, calls, now)
			return a, t, nil
		case errors.Is(err, ErrCircuitOpen):
			// The breaker spared the provider: wait out its cooldown, and
			// the claim does not count against the verification.
			v.Job.Claims--
			return s.retryAt(v, err, now.Add(s.opts.BreakerCooldown))
		case IsTransient(err):
			v.Job.Attempts += calls
			if v.Job.Attempts >= s.opts.MaxAttempts {
				code, msg := failure(err)
				failVerification(v, code, msg+" (gave up after "+strconv.Itoa(v.Job.Attempts)+" calls)", now)
				return actionFail, EventFailed, nil
			}
			return s.retryAt(v, err, now.Add(s.retryDelay(v.Job.Claims)))
		default:
			v.Job.Attempts += calls
			code, msg := failure(err)
			failVerification(v, code, msg, now)
			return actionFail, EventFailed, nil
		}
	})
}

// decide stores the provider's answer: a rejection, or an approval by a
// third-party service, is final; a referral, and any answer on a method
// that ends with a person (document upload, manual review), waits for a
// review with the provider's reasons as findings.
func (s *Service) decide(v *Verification, res IdentityResult, now time.Time) (string, string, error) {
	id := v.Identity
	id.ProviderReference = res.ProviderReference
	v.Job.ClaimedBy, v.Job.DueAt, v.Job.LastError = "", nil, ""
	if res.Decision == DecisionRejected || res.Decision == DecisionApproved && id.Method == MethodThirdPartyService {
		s.complete(v, res.Decision, res.Reasons, "", "", now)
		return actionComplete, EventCompleted, nil
	}
	v.Status = StatusPending
	id.RequiredActions = []string{ActionManualReview}
	id.Findings = res.Reasons
	return actionReviewRequired, EventReviewRequired, nil
}

// complete makes v completed with the decision; an approval counts until
// IdentityValidFor from now.
func (s *Service) complete(v *Verification, d Decision, reasons []Reason, reviewer, notes string, now time.Time) {
	if reasons == nil {
		reasons = []Reason{}
	}
	out := &IdentityOutcome{Decision: d, Reasons: reasons, CompletedAt: now,
		ProviderReference: v.Identity.ProviderReference, ReviewedBy: reviewer, Notes: notes}
	if d == DecisionApproved {
		exp := now.Add(s.opts.IdentityValidFor)
		out.ExpiresAt = &exp
	}
	v.Status = StatusCompleted
	v.Identity.RequiredActions = []string{}
	v.Identity.Result = out
}

// retryAt gives v back to the queue, due at when, after a transient
// failure.
func (s *Service) retryAt(v *Verification, err error, when time.Time) (string, string, error) {
	code, _ := failure(err)
	v.Status = StatusPending
	v.Job.ClaimedBy = ""
	v.Job.DueAt = &when
	v.Job.LastError = code
	return actionRetry, EventRetryScheduled, nil
}

// retryDelay is how long to wait after the claims-th claim failed:
// RetryDelay doubled per earlier claim, at most MaxRetryDelay.
func (s *Service) retryDelay(claims int) time.Duration {
	d := s.opts.RetryDelay
	for i := 1; i < claims && d < s.opts.MaxRetryDelay; i++ {
		d *= 2
	}
	return min(d, s.opts.MaxRetryDelay)
}

// identityProviderName names the provider an identity verification calls,
// for its circuit breaker: one breaker per third-party service.
func identityProviderName(id *Identity) string {
	if id.ThirdParty != "" {
		return "identity/" + string(id.ThirdParty)
	}
	return "identity/" + string(id.Method)
}

// taxID opens the customer's tax id for a provider; "" when none is on
// file or no cipher is configured, or it cannot be opened (the provider
// then matches on the rest).
func (s *Service) taxID(c *customer.Customer) TaxID {
	if c.TaxID == nil || s.opts.TaxIDs == nil {
		return ""
	}
	digits, err := s.opts.TaxIDs.Open(c.TaxID)
	if err != nil {
		s.opts.Logger.Error("verify: cannot open a tax id", "customer_id", c.ID, "err", err)
		return ""
	}
	return TaxID(digits)
}
