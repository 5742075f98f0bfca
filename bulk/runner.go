package bulk

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
)

// Run runs due jobs and delivers due messages until ctx ends (see
// DeliverDue). It claims up to Runners jobs at a time and runs them at
// once, then looks again at once while there was work, after PollInterval
// when there was none, or as soon as a job is queued in this process.
// Every server runs it; the claims keep two servers off one job or
// message. It returns nil when ctx ends.
func (s *Service) Run(ctx context.Context) error {
	var g errgroup.Group
	g.Go(func() error { return s.runDelivery(ctx) })
	g.Go(func() error { return s.runJobs(ctx) })
	return g.Wait()
}

// runJobs runs due jobs until ctx ends.
func (s *Service) runJobs(ctx context.Context) error {
	crm.Poll(ctx, s.opts.PollInterval, s.wake, s.ProcessDue, func(err error) {
		s.opts.Logger.Error("bulk: running due jobs", "err", err)
	})
	return nil
}

// ProcessDue claims up to Runners due jobs (queued ones, and running ones
// whose lease ran out: a dead server's), runs each to its end, its
// cancellation or ctx's end, and returns how many it claimed. A job's own
// failure fails the job; it is not returned.
func (s *Service) ProcessDue(ctx context.Context) (int, error) {
	var claimed []*Job
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		claimed = claimed[:0]
		now := s.clock()
		due, err := r.DueJobs(ctx, now, s.opts.Runners)
		if err != nil {
			return err
		}
		for i := range due {
			j := &due[i]
			j.State = StateRunning
			if j.StartedAt == nil {
				j.StartedAt = &now
			}
			j.Lease.ClaimedBy = crm.NewID()
			j.Lease.Claims++
			lease := now.Add(s.opts.Lease)
			j.Lease.DueAt = &lease
			if err := s.save(ctx, r, j, now); err != nil {
				return err
			}
			claimed = append(claimed, j)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var g errgroup.Group
	g.SetLimit(s.opts.Runners)
	for _, j := range claimed {
		g.Go(func() error {
			if err := s.run(ctx, j); err != nil && !errors.Is(err, errClaimLost) && ctx.Err() == nil {
				s.opts.Logger.Error("bulk: running a job", "job_id", j.ID, "kind", j.Kind, "err", err)
			}
			return nil
		})
	}
	return len(claimed), g.Wait()
}

// errClaimLost: the job's lease ran out and another runner took it over,
// or it was cancelled or finished meanwhile; this runner stops.
var errClaimLost = errors.New("bulk: claim lost")

// save writes j one version up.
func (s *Service) save(ctx context.Context, r Repository, j *Job, now time.Time) error {
	j.Version++
	j.UpdatedAt = now
	return r.UpdateJob(ctx, j)
}

// run works on a claimed job batch by batch. Each batch commits in one
// transaction with the job's new checkpoint, counts and errors, under the
// job's lock and only while this claim holds it: a batch is never half
// applied, and none is applied twice, whoever resumes the job. The
// changes are made in the name of the job's creator.
func (s *Service) run(ctx context.Context, held *Job) error {
	ctx = crm.WithActor(ctx, crm.Actor{ID: held.CreatedBy, RequestID: "job:" + held.ID})
	k, ok := s.kinds[held.Kind]
	if !ok {
		return s.stop(ctx, held, StateFailed, "unknown job kind "+string(held.Kind))
	}
	b, err := k.start(ctx, held)
	if err != nil {
		return s.stop(ctx, held, StateFailed, crm.ErrorMessage(err))
	}
	defer b.close()
	if held.DryRun {
		return s.dryRun(ctx, held, b)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := s.batch(ctx, held, b)
		if err != nil {
			var failed *jobFailure
			switch {
			case errors.As(err, &failed):
				return s.stop(ctx, held, StateFailed, failed.reason)
			case !errors.Is(err, errClaimLost):
				// The batch rolled back: give the job back, due at once,
				// to resume at its last committed batch.
				s.release(ctx, held)
			}
			return err
		}
		if done {
			return nil
		}
	}
}

// jobFailure is an error that fails the job rather than its batch (an
// input that cannot be read any further).
type jobFailure struct{ reason string }

func (e *jobFailure) Error() string { return "bulk: job failed: " + e.reason }

// errDryRun rolls a dry run back.
var errDryRun = errors.New("bulk: dry run")

// dryRun runs every batch of a dry run in one transaction and rolls it
// back, so each row meets what the rows before it did, exactly as in a
// real run, and nothing stays; then it stores the counts and errors and
// finishes the job. Its progress shows at the end only, and a dry run
// taken over after a crash starts again from its first row (nothing of
// it was kept). On the memory store the transaction holds every other
// writer off until it ends.
func (s *Service) dryRun(ctx context.Context, held *Job, b batcher) error {
	var total batchResult
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := b.next(ctx, r, held)
			if err != nil {
				return err
			}
			total.counts.add(res.counts)
			for reason, n := range res.skipped {
				if total.skipped == nil {
					total.skipped = map[string]int{}
				}
				total.skipped[reason] += n
			}
			total.errs = append(total.errs, res.errs...)
			total.processed += res.processed
			if res.done {
				return errDryRun
			}
		}
	})
	var failed *jobFailure
	switch {
	case errors.As(err, &failed):
		return s.stop(ctx, held, StateFailed, failed.reason)
	case !errors.Is(err, errDryRun):
		s.release(ctx, held)
		return err
	}
	return s.withClaim(context.WithoutCancel(ctx), held, func(ctx context.Context, r Repository, j *Job, now time.Time) error {
		if err := s.record(ctx, r, j, total); err != nil {
			return err
		}
		state := StateSucceeded
		if j.CancelRequested {
			state = StateCancelled
		}
		finish(j, state, "", now)
		return nil
	})
}

// batch commits one batch of held and reports whether the job is over.
func (s *Service) batch(ctx context.Context, held *Job, b batcher) (bool, error) {
	var over bool
	err := s.withClaim(ctx, held, func(ctx context.Context, r Repository, j *Job, now time.Time) error {
		if j.CancelRequested {
			over = true
			finish(j, StateCancelled, "", now)
			return nil
		}
		res, err := b.next(ctx, r, j)
		if err != nil {
			return err
		}
		if err := s.record(ctx, r, j, res); err != nil {
			return err
		}
		lease := now.Add(s.opts.Lease)
		j.Lease.DueAt = &lease
		if res.done {
			over = true
			finish(j, StateSucceeded, "", now)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if held.Kind == KindCommunication {
		// The batch queued messages: the senders need not wait to poll.
		select {
		case s.sendWake <- struct{}{}:
		default:
		}
	}
	return over, nil
}

// withClaim runs fn in a transaction on the job that held claims, locked,
// then saves the job one version up; errClaimLost when the claim no
// longer holds it (its lease was taken over, or it was finished). Once fn
// made the job final, its input is dropped.
func (s *Service) withClaim(ctx context.Context, held *Job, fn func(ctx context.Context, r Repository, j *Job, now time.Time) error) error {
	var final bool
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		j, err := r.LockJob(ctx, held.ID)
		if err != nil {
			return err
		}
		if j.Lease.ClaimedBy != held.Lease.ClaimedBy || j.State != StateRunning {
			return errClaimLost
		}
		now := s.clock()
		if err := fn(ctx, r, j, now); err != nil {
			return err
		}
		final = j.State.Final()
		return s.save(ctx, r, j, now)
	})
	if err == nil && final {
		s.dropInput(ctx, held.ID)
	}
	return err
}

// record applies a batch's result to j and stores its row errors.
func (s *Service) record(ctx context.Context, r Repository, j *Job, res batchResult) error {
	if len(res.errs) > 0 {
		for i := 0; i < len(res.errs); i += errorPage {
			page := res.errs[i:min(i+errorPage, len(res.errs))]
			if err := r.InsertJobErrors(ctx, j.ID, j.ErrorCount+i, page); err != nil {
				return err
			}
		}
		if room := MaxJobErrors - len(j.Errors); room > 0 {
			j.Errors = append(j.Errors, res.errs[:min(room, len(res.errs))]...)
		}
		j.ErrorCount += len(res.errs)
	}
	j.Counts.add(res.counts)
	for reason, n := range res.skipped {
		if n > 0 {
			if j.SkippedBy == nil {
				j.SkippedBy = map[string]int{}
			}
			j.SkippedBy[reason] += n
		}
	}
	j.Progress.Processed += res.processed
	if res.checkpoint != nil {
		j.Checkpoint = res.checkpoint
	}
	return nil
}

// finish makes j final.
func finish(j *Job, state State, failure string, now time.Time) {
	j.State = state
	j.Failure = failure
	j.FinishedAt = &now
	j.Lease.DueAt = nil
	j.Lease.ClaimedBy = ""
}

// stop ends a claimed job in state, if the claim still holds it.
func (s *Service) stop(ctx context.Context, held *Job, state State, failure string) error {
	return s.withClaim(context.WithoutCancel(ctx), held, func(_ context.Context, _ Repository, j *Job, now time.Time) error {
		finish(j, state, failure, now)
		return nil
	})
}

// release gives a claimed job back to the queue, due now, if the claim
// still holds it; a failure leaves it to its lease.
func (s *Service) release(ctx context.Context, held *Job) {
	err := s.withClaim(context.WithoutCancel(ctx), held, func(_ context.Context, _ Repository, j *Job, now time.Time) error {
		j.Lease.ClaimedBy, j.Lease.DueAt = "", &now
		return nil
	})
	if err != nil && !errors.Is(err, errClaimLost) {
		s.opts.Logger.Error("bulk: releasing a job", "job_id", held.ID, "err", err)
	}
}

// dropInput deletes a final job's input, which holds personal data that
// the customers it created now keep; a failure only leaves it for later.
func (s *Service) dropInput(ctx context.Context, jobID string) {
	if err := s.repo.DeleteJobInput(context.WithoutCancel(ctx), jobID); err != nil {
		s.opts.Logger.Error("bulk: deleting a job's input", "job_id", jobID, "err", err)
	}
}

// nudge wakes this process's runners.
func (s *Service) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
