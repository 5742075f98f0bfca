package analytics

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// The defaults of the sweep's Options.
const (
	DefaultSweepInterval = time.Hour
	DefaultSweepBatch    = 1000
	// DefaultSweepWorkers is two batches at once: on a 2-core machine a
	// round of 1M customers took 75 s with one and 55 s with two (bench/).
	DefaultSweepWorkers = 2
)

// ProfileSweep is the name of the sweep that refreshes every customer's
// Profile (Service.Sweep), under which the stores keep its SweepState.
const ProfileSweep = "customer_profiles"

const (
	// sweepLogEvery is how many batches a Sweep refreshes between two
	// progress lines in the log.
	sweepLogEvery = 100
	// sweepRetry is how long RunSweeps waits after a failed Sweep.
	sweepRetry = time.Minute
	// sweepMinWait keeps RunSweeps from spinning when a round is due
	// again as soon as it ends (a round longer than the interval).
	sweepMinWait = time.Second
)

// SweepState is where a periodic sweep over every customer stands: the
// round it is in and the last customer it handed out. The stores keep one
// per name, shared by every server.
type SweepState struct {
	Name string
	// Cursor is the id of the last customer claimed in the current round;
	// "" before its first batch.
	Cursor string
	// StartedAt is when the current (or last) round started; zero before
	// the first.
	StartedAt time.Time
	// FinishedAt is when the last batch of the round was claimed; nil
	// while the round runs.
	FinishedAt *time.Time
}

// SweepStats sums up what one call of Sweep did.
type SweepStats struct {
	// Round is when the round the call worked on started; zero when none
	// was due.
	Round time.Time
	// Batches and Customers count the batches the call refreshed and the
	// profiles they stored.
	Batches, Customers int
	// Next is when the next round is due: SweepInterval after Round (or
	// after the round the call found finished).
	Next time.Time
}

// Sweep refreshes every customer's Profile, a batch of SweepBatch
// customers (by id) per transaction, when a round is due: the tenure,
// the windows of the facts and the churn score move with time even when
// nothing changes, and a new model rescoring every customer arrives this
// way. A round is due SweepInterval after the previous one started, once
// that one is finished; the first is due at once. Sweep works on the due
// (or running) round until no batch of it is left to claim, with
// SweepWorkers batches at once, and returns what it did.
//
// Several servers may sweep at once: the batches are claimed through the
// ProfileSweep state, locked for the moment of the claim (LockSweep), so
// the servers share the round and never refresh the same batch, and a
// round runs once per interval whoever starts it. A batch whose server
// stops between its claim and its commit is refreshed by the next round;
// the customers' own changes refresh their profiles meanwhile.
func (s *Service) Sweep(ctx context.Context) (SweepStats, error) {
	var (
		mu    sync.Mutex
		stats SweepStats
	)
	g, ctx := errgroup.WithContext(ctx)
	for range s.sweep.workers {
		g.Go(func() error {
			for {
				c, err := s.claim(ctx)
				if err != nil {
					return err
				}
				n := 0
				if len(c.ids) > 0 {
					err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
						var err error
						n, err = s.refresh(ctx, r, c.ids)
						return err
					})
					if err != nil {
						return err
					}
				}
				mu.Lock()
				stats.Next = c.next
				if len(c.ids) > 0 {
					stats.Round = c.round
					stats.Batches++
					stats.Customers += n
					if stats.Batches%sweepLogEvery == 0 {
						s.logger.Info("analytics sweep progress", "round", stats.Round, "batches", stats.Batches,
							"customers", stats.Customers)
					}
				}
				mu.Unlock()
				if c.last {
					return nil
				}
			}
		})
	}
	err := g.Wait()
	return stats, err
}

// sweepClaim is a batch of the sweep: the customer ids to refresh (none
// when no round is due), the round's start and when the next is due, and
// whether the round has no batch left after this one.
type sweepClaim struct {
	ids         []string
	round, next time.Time
	last        bool
}

// claim takes the next batch of the due or running round, in a
// transaction of its own that holds the sweep's state for the moment of
// the claim.
func (s *Service) claim(ctx context.Context) (sweepClaim, error) {
	var c sweepClaim
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		st, err := r.LockSweep(ctx, ProfileSweep)
		if err != nil {
			return err
		}
		now := s.clock() // under the lock, so rounds start in order
		if st.StartedAt.IsZero() || st.FinishedAt != nil {
			if due := st.StartedAt.Add(s.sweep.interval); !st.StartedAt.IsZero() && now.Before(due) {
				c = sweepClaim{round: st.StartedAt, next: due, last: true}
				return nil
			}
			st.StartedAt, st.Cursor, st.FinishedAt = now, "", nil
		}
		ids, err := r.CustomerIDs(ctx, st.Cursor, s.sweep.batch, false)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			st.Cursor = ids[len(ids)-1]
		}
		if len(ids) < s.sweep.batch {
			st.FinishedAt = &now
		}
		c = sweepClaim{ids: ids, round: st.StartedAt, next: st.StartedAt.Add(s.sweep.interval), last: st.FinishedAt != nil}
		return r.SaveSweep(ctx, st)
	})
	return c, err
}

// RunSweeps runs Sweep until ctx is done: at once, then whenever the next
// round is due (also when another server ran the last one), and a minute
// after a failure. Every server may run it (see Sweep). Each call that
// refreshed something, and each failure, is logged.
func (s *Service) RunSweeps(ctx context.Context) {
	for {
		stats, err := s.Sweep(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			s.logger.Error("analytics sweep failed; will retry", "err", err, "batches", stats.Batches,
				"customers", stats.Customers)
		case stats.Batches > 0:
			s.logger.Info("analytics sweep", "round", stats.Round, "batches", stats.Batches, "customers", stats.Customers)
		}
		t := time.NewTimer(sweepWait(stats, err, s.clock(), s.sweep.interval))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// sweepWait is how long RunSweeps waits after a Sweep that returned
// stats and err at now: until the next round is due, at least
// sweepMinWait and at most the interval; sweepRetry (at most the
// interval) after a failure.
func sweepWait(stats SweepStats, err error, now time.Time, interval time.Duration) time.Duration {
	if err != nil {
		return min(sweepRetry, interval)
	}
	return min(max(stats.Next.Sub(now), sweepMinWait), interval)
}
