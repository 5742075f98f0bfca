package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm/store"
)

// claimQueue is a work queue a store serves with FOR UPDATE SKIP LOCKED
// (verifications, jobs, messages), as the conformance tests drive it.
type claimQueue[T any] struct {
	// due selects up to limit rows due at now in tx, locking them.
	due func(ctx context.Context, tx store.Store, now time.Time, limit int) ([]T, error)
	// claim takes rows over in tx for the worker, so that no later
	// selection at now returns them.
	claim func(ctx context.Context, tx store.Store, rows []T, worker string, now time.Time) error
	// id is a row's id.
	id func(T) string
}

// hold is how long the first transaction of skipsLocked waits for the
// second when the store runs one transaction at a time.
const hold = 250 * time.Millisecond

// skipWait is how long the first transaction of skipsLocked waits, once
// the second has started beside it, for the second to select: far longer
// than a select takes, so only one that waits for the first's rows runs
// out of it.
const skipWait = 5 * time.Second

// skipsLocked checks that two transactions selecting due rows at once get
// different ones: the first holds the earliest two until the second has
// selected, and the second gets the next two without waiting for the
// first. ids are four due rows in due order. A store whose transactions
// run one at a time (memstore) cannot start the second until the first
// ends, so the first stops waiting after hold; the second then finds the
// first's rows claimed. When the second does start beside the first, it
// must select within skipWait: a selection that waited for the rows the
// first holds (FOR UPDATE without SKIP LOCKED) would not.
func skipsLocked[T any](t *testing.T, s store.Store, q claimQueue[T], now time.Time, ids []string) {
	ctx := t.Context()
	var got [2][]string
	var errs [2]error
	var blocked bool // the second started beside the first but did not select
	selected := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	started := make(chan struct{}) // the second's transaction has begun
	var once [2]sync.Once
	// signal says transaction i has selected; it is also called when the
	// transaction ends, so a failure does not leave the other waiting.
	signal := func(i int) { once[i].Do(func() { close(selected[i]) }) }
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			defer signal(i)
			if i == 1 {
				<-selected[0]
			}
			errs[i] = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
				if i == 1 {
					close(started)
				}
				rows, err := q.due(ctx, tx, now, 2)
				if err != nil {
					return err
				}
				for _, r := range rows {
					got[i] = append(got[i], q.id(r))
				}
				signal(i)
				if i == 0 {
					select {
					case <-selected[1]:
					case <-started:
						select {
						case <-selected[1]:
						case <-time.After(skipWait):
							blocked = true
						}
					case <-time.After(hold):
					}
				}
				return q.claim(ctx, tx, rows, fmt.Sprintf("worker %d", i), now)
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		ok(t, fmt.Sprintf("transaction %d", i), err)
	}
	if blocked {
		t.Errorf("the second transaction waited for the rows the first holds instead of skipping them")
	}
	check(t, "rows of the first", ids[:2], got[0])
	check(t, "rows of the second", ids[2:], got[1])
}

// drainedOnce checks that workers draining the queue at once each claim
// what they select: every row of want (all due at now) is claimed exactly
// once, and no claim fails.
func drainedOnce[T any](t *testing.T, s store.Store, q claimQueue[T], now time.Time, want []string) {
	claimed := make([][]string, writers)
	errs := parallel(func(i int) error {
		for {
			var rows []T
			err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
				var err error
				if rows, err = q.due(ctx, tx, now, 3); err != nil {
					return err
				}
				return q.claim(ctx, tx, rows, fmt.Sprintf("worker %d", i), now)
			})
			if err != nil || len(rows) == 0 {
				return err
			}
			for _, r := range rows {
				claimed[i] = append(claimed[i], q.id(r))
			}
		}
	})
	for i, err := range errs {
		ok(t, fmt.Sprintf("worker %d", i), err)
	}
	got := slices.Concat(claimed...)
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	check(t, "claimed", want, got)
}

// dueInOrder checks the selection of a queue whose due rows at now are
// all, earliest due first (ties by id), and whose row later is due a
// microsecond after now: every limit, and a now a little earlier or
// later, or long before.
func dueInOrder[T any](t *testing.T, s store.Store, q claimQueue[T], now time.Time, all []T, later T) {
	for _, tc := range []struct {
		name  string
		limit int
		now   time.Time
		want  []T
	}{
		{"all due", 10, now, all},
		{"no limit", 0, now, all},
		{"limit", 2, now, all[:2]},
		{"earlier now", 10, now.Add(-time.Microsecond), all[:3]},
		{"later now", 10, now.Add(time.Microsecond), append(slices.Clone(all), later)},
		{"none due", 10, now.Add(-72 * time.Hour), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []T
			err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
				var err error
				got, err = q.due(ctx, tx, tc.now, tc.limit)
				return err
			})
			ok(t, "due", err)
			check(t, "due", tc.want, got)
		})
	}
}
