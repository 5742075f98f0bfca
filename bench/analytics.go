package main

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/store"
)

// analyticsResult is what the analytics phase measured.
type analyticsResult struct {
	history, months int           // customers with a history, months of it
	historyLoad     time.Duration // 0 when an earlier run's history was reused
	// The full refresh: one round of the profile sweep.
	sweep        analytics.SweepStats
	sweepWorkers int
	sweepRun     *runResult // its elapsed time and foreign CPU
	// The reads, each measured by the Go client.
	highValue, atRisk, segment, paymentHistory *runResult
	// items counts the customers on the pages the list mixes were drawn
	// from: a list that comes back empty measures nothing.
	items          map[string]int
	segmentRules   string
	segmentMembers int
	// The feed ingest runs: each request a batch of ingestBatch records.
	ingest []*runResult
}

// analyticsPhase measures the analytics read model over the history of
// the first -history customers: a full refresh of every profile, the
// ranked lists and a segment's list, payment histories and feed ingest.
func (b *bench) analyticsPhase(ctx context.Context, svc *app.Services, st store.Store, logger *slog.Logger, pool *pgxpool.Pool, baseURL, maxID string, now time.Time) (*analyticsResult, error) {
	ids, took, err := loadHistory(ctx, pool, maxID, b.cfg.history, b.cfg.historyMonths, now)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("analytics: no customer to give a history")
	}
	// Leftovers of an interrupted run would weigh on their customers' reads.
	if err := removeBenchFeeds(ctx, pool); err != nil {
		return nil, err
	}
	res := &analyticsResult{history: len(ids), months: b.cfg.historyMonths, historyLoad: took, items: map[string]int{}}

	sweeper := svc.Analytics // as the server runs it: analytics.Options' defaults
	res.sweepWorkers = analytics.DefaultSweepWorkers
	if b.cfg.sweepWorkers > 0 {
		sweeper = analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Logger: logger, SweepWorkers: b.cfg.sweepWorkers})
		res.sweepWorkers = b.cfg.sweepWorkers
	}
	if err := b.fullRefresh(ctx, sweeper, pool, res); err != nil {
		return nil, err
	}

	admin := newGoClient(benchAdminKey, 1)
	seg, err := b.createSegment(ctx, admin, pool, baseURL, res)
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		name, path string
		out        **runResult
	}{
		{"high-value", "/api/v1/customers/high-value?limit=50", &res.highValue},
		{"at-risk", "/api/v1/customers/at-risk?limit=50", &res.atRisk},
		{"segment list", "/api/v1/customers?limit=50&segment_id=" + seg, &res.segment},
	} {
		mix, items, err := b.pagedMix(ctx, baseURL, l.path, listPages)
		if err != nil {
			return nil, err
		}
		res.items[l.name] = items
		*l.out = b.latency(ctx, l.name, baseURL, mix)
	}
	res.paymentHistory = b.latency(ctx, "payment-history", baseURL, paymentHistoryMix(ids, 400))

	res.ingest = b.ingest(ctx, baseURL, ids)
	return res, nil
}

// fullRefresh times one whole round of the profile sweep. A round runs
// once per SweepInterval, so the sweep's state is reset first: the next
// Sweep then starts a round at once and works it to its end.
func (b *bench) fullRefresh(ctx context.Context, sweeper *analytics.Service, pool *pgxpool.Pool, res *analyticsResult) error {
	if _, err := pool.Exec(ctx, "DELETE FROM analytics_sweeps WHERE name = $1", analytics.ProfileSweep); err != nil {
		return err
	}
	waitQuiet()
	stop := b.profile("sweep")
	run, err := measured(func() (*runResult, error) {
		start := time.Now()
		stats, err := sweeper.Sweep(ctx)
		res.sweep = stats
		return &runResult{elapsed: time.Since(start), requests: int64(stats.Customers)}, err
	})
	stop()
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if res.sweep.Batches == 0 {
		return fmt.Errorf("sweep: no round ran after resetting its state")
	}
	res.sweepRun = run
	// Autovacuum analyzes a table once a tenth of it changed; the round
	// just wrote every row, so analyze now rather than measure the lists
	// on the statistics of an empty table.
	if _, err := pool.Exec(ctx, "ANALYZE customer_analytics"); err != nil {
		return err
	}
	log.Printf("sweep: %d customers in %d batches in %s (%.0f customers/s, %d workers), foreign CPU %.2f cores",
		res.sweep.Customers, res.sweep.Batches, run.elapsed.Round(time.Millisecond), float64(res.sweep.Customers)/run.elapsed.Seconds(), res.sweepWorkers, run.foreign)
	return nil
}

// paymentHistoryMix is n payment-history reads of random history
// customers, half over the default 12 months, half over 60.
func paymentHistoryMix(ids []string, n int) []request {
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]request, n)
	for k := range out {
		path, kind := "/api/v1/customers/"+ids[r.IntN(len(ids))]+"/payment-history", "months=12 (default)"
		if k%2 == 1 {
			path, kind = path+"?months=60", "months=60"
		}
		out[k] = request{kind: kind, method: http.MethodGet, path: path}
	}
	return out
}

// storeProfiles makes sure every loaded customer has its stored profile,
// as on a server whose sweep has run: a customer without one has its
// details computed from the feeds on each GET. It runs one round of the
// sweep when some are missing (after a reload).
func storeProfiles(ctx context.Context, svc *app.Services, pool *pgxpool.Pool) error {
	var missing bool
	err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers c WHERE deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM customer_analytics a WHERE a.customer_id = c.id))`).Scan(&missing)
	if err != nil || !missing {
		return err
	}
	if _, err := pool.Exec(ctx, "DELETE FROM analytics_sweeps WHERE name = $1", analytics.ProfileSweep); err != nil {
		return err
	}
	start := time.Now()
	stats, err := svc.Analytics.Sweep(ctx)
	if err != nil {
		return fmt.Errorf("store the profiles: %w", err)
	}
	log.Printf("profiles: stored %d customers' in %s, so GETs read them as a running server's do", stats.Customers, time.Since(start).Round(time.Millisecond))
	_, err = pool.Exec(ctx, "ANALYZE customer_analytics")
	return err
}
