package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Seed creates n demo customers through svc, with their services, and
// suspends about one in ten. Everything drawn from rng is deterministic;
// dates are relative to today (time.Now), so backdated start dates and
// scheduled reactivations stay plausible whenever the demo is loaded.
// The audit trail names the actor in ctx (see crm.WithActor).
//
// Seed does not check for existing data: seeding a store that already holds
// customers with the same random source fails with a conflict on the first
// duplicate email or phone number.
func Seed(ctx context.Context, svc *customer.Service, n int, rng *rand.Rand) error {
	recs, err := generate(n, rng)
	if err != nil {
		return err
	}
	now := time.Now()
	today := crm.DateOf(now)
	for i, r := range recs {
		if err := seedOne(ctx, svc, r, now, today); err != nil {
			return fmt.Errorf("demo: customer %d of %d: %w", i+1, n, err)
		}
	}
	return nil
}

func seedOne(ctx context.Context, svc *customer.Service, r record, now time.Time, today crm.Date) error {
	c, err := svc.Create(ctx, r.Input)
	if err != nil {
		return err
	}
	for _, s := range r.Services {
		in := s.Input
		in.StartDate = dateDaysAgo(today, s.StartDaysAgo)
		if s.EndDaysAgo != nil {
			in.EndDate = dateDaysAgo(today, *s.EndDaysAgo)
		}
		if _, err := svc.AddSubscription(ctx, c.ID, in); err != nil {
			return err
		}
	}
	if r.Suspend == nil {
		return nil
	}
	in := customer.SuspendInput{Reason: r.Suspend.Reason, Notes: r.Suspend.Notes}
	if r.Suspend.UntilDays > 0 {
		until := now.Add(time.Duration(r.Suspend.UntilDays) * 24 * time.Hour).UTC().Truncate(time.Second)
		in.Until = &until
	}
	_, err = svc.Suspend(ctx, c.ID, in)
	return err
}
