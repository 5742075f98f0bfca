package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
)

// every calls fn at once and then every d until ctx is done. fn gets ctx,
// so a run in progress is cancelled at shutdown; the work is transactional,
// so a cancelled run leaves nothing half done.
func every(ctx context.Context, d time.Duration, fn func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// reactivateDue lifts the suspensions whose end date has passed. Every
// replica runs it; the store makes sure each customer is reactivated once
// (rows are claimed with FOR UPDATE SKIP LOCKED in Postgres).
func reactivateDue(ctx context.Context, svc *customer.Service, logger *slog.Logger) {
	n, err := svc.ReactivateDue(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("scheduled reactivation failed; will retry", "err", err, "reactivated", n)
	case n > 0:
		logger.Info("scheduled reactivation", "reactivated", n)
	}
}

// purgeExpired deletes Idempotency-Key records past their 24 h lifetime
// and outbox events older than retention, which would otherwise grow
// without bound.
func purgeExpired(ctx context.Context, st store.Store, retention time.Duration, logger *slog.Logger) {
	n, err := st.PurgeIdempotencyKeys(ctx, time.Now().Add(-store.IdempotencyTTL))
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("idempotency key purge failed; will retry", "err", err)
	case n > 0:
		logger.Info("purged expired idempotency keys", "deleted", n)
	}
	n, err = st.PruneEvents(ctx, time.Now().Add(-retention))
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("outbox prune failed; will retry", "err", err)
	case n > 0:
		logger.Info("pruned delivered outbox events", "deleted", n)
	}
}

// maintainDocuments deletes document files that no record names (left by a
// crash mid-upload or a failed purge) and retries the malware scans that
// failed. Every replica may run it: deleting an orphan twice is harmless,
// and a scan verdict is stored once.
func maintainDocuments(ctx context.Context, docs *document.Service, logger *slog.Logger) {
	res, err := docs.SweepOrphans(ctx, orphanGrace)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("document orphan sweep failed; will retry", "err", err, "deleted", res.Deleted)
	case res.Deleted > 0:
		logger.Info("deleted orphaned document files", "deleted", res.Deleted, "checked", res.Checked)
	}
	n, err := docs.ScanPending(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("document scan retry failed; will retry", "err", err, "scanned", n)
	case n > 0:
		logger.Info("scanned pending documents", "scanned", n)
	}
}
