package storetest

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/store"
)

// sweepTests check the state of the periodic sweeps, and that servers
// sharing a store share a sweep's rounds.
var sweepTests = []test{
	{"SweepStateRoundTrip", testSweepStateRoundTrip},
	{"SweepLockSerialises", testSweepLockSerialises},
	{"TwoSweepersShareRounds", testTwoSweepersShareRounds},
}

// testSweepStateRoundTrip checks the zero state of a sweep never saved,
// that a saved state reads back whole, and that sweeps are kept by name.
func testSweepStateRoundTrip(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	got, err := s.LockSweep(ctx, "a")
	ok(t, "lock a new sweep", err)
	check(t, "new sweep", &analytics.SweepState{Name: "a"}, got)

	running := &analytics.SweepState{Name: "a", Cursor: newID(t), StartedAt: at(time.Minute)}
	ok(t, "save running", s.SaveSweep(ctx, running))
	got, err = s.LockSweep(ctx, "a")
	ok(t, "lock running", err)
	check(t, "running sweep", running, got)

	finished := &analytics.SweepState{Name: "a", Cursor: newID(t), StartedAt: at(time.Hour), FinishedAt: ptr(at(2 * time.Hour))}
	ok(t, "save finished", s.SaveSweep(ctx, finished))
	got, err = s.LockSweep(ctx, "a")
	ok(t, "lock finished", err)
	check(t, "finished sweep", finished, got)

	got, err = s.LockSweep(ctx, "b")
	ok(t, "lock another sweep", err)
	check(t, "another sweep", &analytics.SweepState{Name: "b"}, got)
}

// testSweepLockSerialises runs transactions that each lock a sweep, read
// a counter kept in its cursor and save it incremented, from several
// goroutines: the lock held to the end of each transaction means no
// increment is lost, as no batch is claimed twice.
func testSweepLockSerialises(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	const workers, rounds = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
					st, err := tx.LockSweep(ctx, "count")
					if err != nil {
						return err
					}
					n, _ := strconv.Atoi(st.Cursor)
					st.Cursor = strconv.Itoa(n + 1)
					return tx.SaveSweep(ctx, st)
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.LockSweep(t.Context(), "count")
	ok(t, "lock", err)
	check(t, "count", strconv.Itoa(workers*rounds), got.Cursor)
}

// testTwoSweepersShareRounds runs the profile sweep of two analytics
// services (two servers) over one store at once, in batches of 2: each
// round refreshes every non-deleted customer exactly once, a sweep while
// the round is recent does nothing, and the next round is due an interval
// after the last one started.
func testTwoSweepersShareRounds(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	var want []string
	for i := range 7 {
		c := newCustomer(t, "Swept "+strconv.Itoa(i))
		create(t, s, c)
		want = append(want, c.ID)
	}
	gone := newCustomer(t, "Deleted")
	create(t, s, gone)
	remove(t, s, gone)
	slices.Sort(want)

	var (
		mu    sync.Mutex
		now   = at(0)
		saved []string
	)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	// Each service runs its transactions on a Repository that notes the
	// customers whose profiles it saves.
	inTx := func(ctx context.Context, fn func(ctx context.Context, r analytics.Repository) error) error {
		return store.Tx[analytics.Repository](s)(ctx, func(ctx context.Context, r analytics.Repository) error {
			return fn(ctx, savesNoted{Repository: r, note: func(ids []string) {
				mu.Lock()
				defer mu.Unlock()
				saved = append(saved, ids...)
			}})
		})
	}
	opts := analytics.Options{Now: clock, SweepInterval: time.Hour, SweepBatch: 2}
	sweepers := []*analytics.Service{analytics.NewService(s, inTx, opts), analytics.NewService(s, inTx, opts)}
	sweep := func(round string) []analytics.SweepStats {
		t.Helper()
		stats := make([]analytics.SweepStats, len(sweepers))
		errs := make([]error, len(sweepers))
		var wg sync.WaitGroup
		for i, sv := range sweepers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stats[i], errs[i] = sv.Sweep(t.Context())
			}()
		}
		wg.Wait()
		for _, err := range errs {
			ok(t, round, err)
		}
		return stats
	}
	round := func(name string, started time.Time) {
		t.Helper()
		mu.Lock()
		saved = nil
		mu.Unlock()
		stats := sweep(name)
		slices.Sort(saved)
		check(t, name+": customers refreshed", want, saved)
		batches, customers := 0, 0
		for _, st := range stats {
			batches += st.Batches
			customers += st.Customers
			check(t, name+": next round", started.Add(time.Hour), st.Next)
		}
		check(t, name+": batches", 4, batches)
		check(t, name+": customers", len(want), customers)
		for _, id := range want {
			p, err := s.GetProfile(t.Context(), id)
			ok(t, name+": profile", err)
			check(t, name+": computed at", started, p.ComputedAt)
		}
	}

	round("first round", at(0))
	mu.Lock()
	now = at(59 * time.Minute)
	mu.Unlock()
	for _, st := range sweep("too early") {
		check(t, "too early", analytics.SweepStats{Next: at(time.Hour)}, st)
	}
	mu.Lock()
	now = at(time.Hour)
	mu.Unlock()
	round("second round", at(time.Hour))
	_, err := s.GetProfile(t.Context(), gone.ID)
	wantCode(t, "profile of the deleted customer", err, crm.CodeNotFound)
}

// savesNoted is a Repository that tells note the customers of the
// profiles it saves.
type savesNoted struct {
	analytics.Repository
	note func(ids []string)
}

func (r savesNoted) SaveProfiles(ctx context.Context, ps []analytics.Profile) error {
	ids := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].CustomerID
	}
	r.note(ids)
	return r.Repository.SaveProfiles(ctx, ps)
}
