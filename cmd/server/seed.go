package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/demo"
)

// demoCustomers is how many customers SEED_DEMO=true loads.
const demoCustomers = 300

// seedDemo loads the demo data unless the store already holds customers,
// so restarting a Postgres-backed server with SEED_DEMO=true is harmless.
func seedDemo(ctx context.Context, svc *customer.Service, logger *slog.Logger) error {
	page, err := svc.List(ctx, customer.ListParams{Limit: 1})
	if err != nil {
		return fmt.Errorf("SEED_DEMO: %w", err)
	}
	if len(page.Items) > 0 {
		logger.Info("SEED_DEMO: the store already has customers; not seeding")
		return nil
	}
	start := time.Now()
	ctx = crm.WithActor(ctx, crm.Actor{ID: "demo-seed"})
	// A fixed seed: every demo starts with the same customers.
	if err := demo.Seed(ctx, svc, demoCustomers, rand.New(rand.NewPCG(2024, 1))); err != nil {
		return fmt.Errorf("SEED_DEMO: %w", err)
	}
	logger.Info("SEED_DEMO: loaded demo customers", "customers", demoCustomers, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}
