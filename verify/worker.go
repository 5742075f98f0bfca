package verify

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
)

// Run works on due verifications until ctx ends: it claims up to Workers
// at a time and runs them at once (errgroup with that limit), then looks
// again at once while there was work, after PollInterval when there was
// none, or as soon as a verification is queued in this process. Every
// server runs it; the claims keep two servers off one verification. It
// returns nil when ctx ends.
func (s *Service) Run(ctx context.Context) error {
	crm.Poll(ctx, s.opts.PollInterval, s.wake, s.ProcessDue, func(err error) {
		s.opts.Logger.Error("verify: claiming due verifications", "err", err)
	})
	return nil
}

// ProcessDue claims up to Workers due verifications (queued ones, retries
// whose time came, and claims whose lease ran out: a crashed worker's),
// runs them at once and returns how many it claimed. A verification
// claimed more than MaxClaims times fails instead. Failures of single
// verifications are logged, not returned.
func (s *Service) ProcessDue(ctx context.Context) (int, error) {
	ctx = crm.WithActor(ctx, workerActor)
	var claimed []*Verification
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		claimed = claimed[:0]
		now := s.clock()
		due, err := r.DueVerifications(ctx, now, s.opts.Workers)
		if err != nil {
			return err
		}
		for i := range due {
			v := &due[i]
			before := v.Clone()
			if v.Job.Claims >= s.opts.MaxClaims {
				failVerification(v, CodeTooManyClaims, "the verification was claimed too often without finishing", now)
				if err := s.save(ctx, r, before, v, actionFail, EventFailed, now); err != nil {
					return err
				}
				continue
			}
			s.claim(v, now)
			if err := s.save(ctx, r, before, v, actionStart, EventStarted, now); err != nil {
				return err
			}
			claimed = append(claimed, v)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var g errgroup.Group
	g.SetLimit(s.opts.Workers)
	for _, v := range claimed {
		g.Go(func() error {
			s.work(ctx, v)
			return nil
		})
	}
	return len(claimed), g.Wait()
}

// CodeTooManyClaims is the failure code of a verification claimed
// MaxClaims times without finishing.
const CodeTooManyClaims = "too_many_claims"

// claim makes v held by a new claim of this worker until the lease ends.
func (s *Service) claim(v *Verification, now time.Time) {
	due := now.Add(s.opts.Lease)
	v.Status = StatusInProgress
	v.Job.ClaimedBy = crm.NewID()
	v.Job.DueAt = &due
	v.Job.Claims++
}

// save writes v (one version up from before) and records the step.
func (s *Service) save(ctx context.Context, r Repository, before, v *Verification, action, typ string, now time.Time, extra ...crm.FieldChange) error {
	v.Version++
	v.UpdatedAt = now
	if err := r.UpdateVerification(ctx, v); err != nil {
		return err
	}
	return record(ctx, r, before, v, action, typ, now, extra...)
}

// work asks the provider about v, which this worker has claimed, and
// stores the outcome, logging a failure to do so.
func (s *Service) work(ctx context.Context, v *Verification) {
	var err error
	switch v.Kind {
	case KindIdentity:
		err = s.workIdentity(ctx, v)
	case KindCredit:
		err = s.workCredit(ctx, v)
	default:
		err = crm.Errorf(crm.CodeInternal, "a %s verification has no work", v.Kind)
	}
	switch {
	case err == nil:
	case errors.Is(err, errClaimLost):
		s.opts.Logger.Warn("verify: claim taken over before the outcome was stored; the new holder's counts",
			"verification_id", v.ID, "customer_id", v.CustomerID)
	case crm.ErrorCode(err) == crm.CodeNotFound:
		// The customer was erased meanwhile, and its verifications with it.
	default:
		s.opts.Logger.Error("verify: working on a verification", "verification_id", v.ID,
			"customer_id", v.CustomerID, "kind", v.Kind, "err", err)
	}
}

// errClaimLost: the lease of a worker's claim ran out and another worker
// took the verification over; the first one's outcome is dropped, so each
// verification finishes exactly once.
var errClaimLost = errors.New("verify: claim lost")

// finish stores the outcome of a claimed verification: under the row's
// lock it checks that held still holds the claim, lets apply change the
// stored copy (and whatever else it writes in the transaction) and saves
// it with the step apply names. It runs even when ctx has ended (a server
// shutting down stores what it learned), within the lease.
func (s *Service) finish(ctx context.Context, held *Verification, apply func(ctx context.Context, r Repository, v *Verification, now time.Time) (action, typ string, err error)) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.Lease)
	defer cancel()
	return s.inTx(ctx, func(ctx context.Context, r Repository) error {
		v, err := r.LockVerification(ctx, held.CustomerID, held.ID)
		if err != nil {
			return err
		}
		if v.Job.ClaimedBy != held.Job.ClaimedBy || v.Status.Terminal() {
			return errClaimLost
		}
		before := v.Clone()
		now := s.clock()
		action, typ, err := apply(ctx, r, v, now)
		if err != nil {
			return err
		}
		return s.save(ctx, r, before, v, action, typ, now)
	})
}

// release gives a claimed verification back when the worker stops before
// the provider answered (ctx ended: the server is shutting down), due at
// once for another worker, with the calls made counted.
func release(v *Verification, calls int, now time.Time) (string, string) {
	v.Status = StatusPending
	v.Job.ClaimedBy = ""
	v.Job.DueAt = &now
	v.Job.Attempts += calls
	return actionRelease, EventReleased
}

// failVerification ends v without an answer, for code.
func failVerification(v *Verification, code, message string, now time.Time) {
	v.Status = StatusFailed
	v.Job.ClaimedBy = ""
	v.Job.DueAt = nil
	v.Job.LastError = code
	reason := Reason{Code: code, Description: message}
	switch {
	case v.Identity != nil:
		v.Identity.RequiredActions = []string{}
		v.Identity.Result = &IdentityOutcome{Decision: DecisionRejected, Reasons: []Reason{reason},
			CompletedAt: now, ProviderReference: v.Identity.ProviderReference}
	case v.Credit != nil:
		v.Credit.Failure = &reason
		v.Credit.CheckedAt = &now
	}
}

// failure returns the code and message of a provider call's error.
func failure(err error) (code, message string) {
	var pe *ProviderError
	switch {
	case errors.As(err, &pe):
		return pe.Code, pe.Message
	case crm.ErrorCode(err) == crm.CodeInvalid:
		return "invalid_request", crm.ErrorMessage(err)
	default:
		return "provider_error", "the provider call failed"
	}
}
