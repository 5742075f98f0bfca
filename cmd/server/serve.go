package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/verify"
)

// serve runs the API until ctx is cancelled, then shuts down in order:
// stop accepting connections and drain in-flight requests (at most
// shutdownTimeout), stop the background loops, close the store. It returns
// nil after a clean shutdown.
func serve(ctx context.Context, cfg *config, logger *slog.Logger) (err error) {
	st, cipher, storeName, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	bucket, err := openBucket(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer bucket.Close()
	notifier, closeNotifier, err := newNotifier(cfg, logger)
	if err != nil {
		return err
	}
	defer closeNotifier()
	services, err := app.New(st, app.Options{TaxIDs: cipher, Logger: logger, Bucket: bucket,
		Documents: document.Options{MaxSize: cfg.maxUploadBytes},
		Analytics: analytics.Options{Model: cfg.churnModel, SweepInterval: cfg.analyticsSweepInterval},
		Verify:    verify.Options{IdentityValidFor: cfg.identityValidFor},
		Bulk:      bulk.Options{Notifier: notifier, SendRate: cfg.sendRate}})
	if err != nil {
		return err
	}
	if m := cfg.churnModel; m != nil {
		logger.Info("scoring churn with the model of CHURN_MODEL_FILE", "model", m.Name, "version", m.Version)
	}
	svc, docs := services.Customers, services.Documents

	keys := cfg.keys
	if len(keys) == 0 {
		k, err := generateAdminKey()
		if err != nil {
			return err
		}
		keys = []httpapi.APIKey{k}
		// Logged exactly once: it is the only way to learn the key, and it
		// is valid only for this process.
		logger.Warn("API_KEYS is empty: generated an admin API key for this process only; use it as 'Authorization: Bearer <api_key>' or set API_KEYS",
			"api_key", k.Secret, "key_id", k.ID)
	}
	if cfg.seedDemo {
		if err := seedDemo(ctx, svc, logger); err != nil {
			return err
		}
	}

	api, err := httpapi.New(httpapi.Config{
		Services:       services,
		Backend:        st,
		Keys:           keys,
		Logger:         logger,
		RateLimit:      cfg.rateLimit,
		RateBurst:      cfg.rateBurst,
		MaxImportBytes: cfg.maxImportBytes,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("ADDR: %w", err)
	}
	srv := &http.Server{
		Handler: api,
		// Timeouts bound what a slow or malicious client can hold open.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// Request contexts deliberately do not derive from ctx: cancelling
		// ctx starts a drain, and in-flight requests must be allowed to
		// finish rather than fail.
	}
	logger.Info("listening", "addr", ln.Addr().String(), "store", storeName)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		logger.Info("shutting down: draining in-flight requests", "timeout", shutdownTimeout.String())
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			_ = srv.Close()
			return fmt.Errorf("shutdown: requests still running after %s: %w", shutdownTimeout, err)
		}
		return nil
	})
	g.Go(func() error {
		every(gctx, cfg.reactivateInterval, func(ctx context.Context) { reactivateDue(ctx, svc, logger) })
		return nil
	})
	g.Go(func() error {
		every(gctx, purgeInterval, func(ctx context.Context) { purgeExpired(ctx, st, cfg.outboxRetention, logger) })
		return nil
	})
	g.Go(func() error {
		every(gctx, cfg.sweepInterval, func(ctx context.Context) { maintainDocuments(ctx, docs, logger) })
		return nil
	})
	if cfg.analyticsSweepInterval > 0 {
		// Every replica runs it; the store hands each batch to one.
		g.Go(func() error {
			services.Analytics.RunSweeps(gctx)
			return nil
		})
	}
	// The verification workers: every replica runs them; claims keep two
	// off one verification, and one in hand at shutdown is finished or
	// given back before Run returns.
	g.Go(func() error { return services.Verify.Run(gctx) })
	// The bulk job runners and message senders: every replica runs them;
	// claims with a lease keep two off one job or message, and a job whose
	// server died is taken over when its lease runs out, at its last
	// committed batch.
	g.Go(func() error { return services.Bulk.Run(gctx) })
	if err := g.Wait(); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}
