package pgstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
)

// The shape of BenchmarkCustomerFactsPostgres: factsBenchCustomers
// customers with five years of monthly invoices and payments, as many
// without any, read factsBatch ids per call; and the refresh it
// extrapolates to.
const (
	factsBenchCustomers = 2000
	factsBenchMonths    = 60
	factsBatch          = 1000
	refreshHistory      = 100_000
	refreshBare         = 900_000
)

// factsBenchAsOf is the instant the benchmark reads the Facts at; the
// history ends in its month.
var factsBenchAsOf = time.Date(2025, time.March, 14, 12, 0, 0, 0, time.UTC)

// BenchmarkCustomerFactsPostgres measures CustomerFacts as the sweep calls
// it, over batches of factsBatch ids: "history" reads customers with a
// service, a status history and 60 monthly invoices and payments (some
// failed, some late); "bare" customers with only a service and a status
// history. Each reports ns/customer, and "bare" the extrapolation to a
// refresh of refreshHistory customers with history and refreshBare
// without, on one connection (s/refresh). The feeds are written
// month by month, as a billing feed writes them, so a customer's payments
// lie on different pages as they would in production. It loads about
// 250,000 rows: run it alone, e.g.
//
//	go test ./store/pgstore -run '^$' -bench CustomerFacts -benchtime 3x
func BenchmarkCustomerFactsPostgres(b *testing.B) {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, pgtest.DSN(b), pgstore.Options{})
	if err != nil {
		b.Fatalf("pgstore.Open: %v", err)
	}
	b.Cleanup(func() { s.Close() })
	history, bare := loadFactsBench(b, s)

	var historyNS float64
	for _, tc := range []struct {
		name string
		ids  []string
	}{{"history", history}, {"bare", bare}} {
		b.Run(tc.name, func(b *testing.B) {
			// A prepared statement is planned for its values five times
			// before Postgres settles on the generic plan the sweep runs
			// on; the first call is logged, the settled ones timed.
			start := time.Now()
			readFacts(b, s, tc.ids)
			b.Logf("first call of %d batches: %v", len(tc.ids)/factsBatch, time.Since(start))
			for range 5 {
				readFacts(b, s, tc.ids)
			}
			for b.Loop() {
				readFacts(b, s, tc.ids)
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(tc.ids))
			b.ReportMetric(ns, "ns/customer")
			if tc.name == "history" {
				historyNS = ns
			} else if historyNS > 0 {
				b.ReportMetric((historyNS*refreshHistory+ns*refreshBare)/1e9, "s/refresh")
			}
		})
	}
}

// readFacts reads the Facts of ids, factsBatch at a time.
func readFacts(b *testing.B, s *pgstore.Store, ids []string) {
	for i := 0; i < len(ids); i += factsBatch {
		batch := ids[i:min(i+factsBatch, len(ids))]
		facts, err := s.CustomerFacts(context.Background(), batch, factsBenchAsOf)
		if err != nil {
			b.Fatalf("CustomerFacts: %v", err)
		}
		if len(facts) != len(batch) || len(facts[0].Services) != 1 {
			b.Fatalf("CustomerFacts: %d facts of %d customers", len(facts), len(batch))
		}
	}
}

// loadFactsBench stores the customers with history and those without, and
// returns their ids, in the order CustomerIDs walks them.
func loadFactsBench(b *testing.B, s *pgstore.Store) (history, bare []string) {
	ctx := context.Background()
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	for i := range 2 * factsBenchCustomers {
		c := &customer.Customer{ID: crm.NewID(), AccountNumber: fmt.Sprintf("%010d", i), Name: "Bench",
			Email: fmt.Sprintf("b%d@example.com", i), Phone: fmt.Sprintf("+1217%07d", i),
			Type: customer.TypeResidential, Status: customer.StatusActive, BillingAddress: addr,
			PreferredContact: customer.ContactEmail, CommunicationPreferences: customer.DefaultCommunicationPreferences,
			Version: 1, CreatedAt: factsBenchAsOf, UpdatedAt: factsBenchAsOf}
		if err := s.CreateCustomer(ctx, c); err != nil {
			b.Fatal(err)
		}
		sub := &customer.Subscription{ID: crm.NewID(), CustomerID: c.ID, PlanName: "Fiber 500",
			ServiceType: customer.ServiceInternet, Technology: customer.TechFiber, Status: customer.SubscriptionActive,
			MonthlyPrice: 4999, ContractTerm: customer.TermOneYear, StartDate: crm.Date{Year: 2020, Month: time.March, Day: 1},
			BandwidthDownMbps: 500, BandwidthUpMbps: 100, Version: 1, CreatedAt: factsBenchAsOf, UpdatedAt: factsBenchAsOf}
		if err := s.CreateSubscription(ctx, sub); err != nil {
			b.Fatal(err)
		}
		// Alternate, so both sets spread over the id order as in a real
		// customer base.
		if i%2 == 0 {
			history = append(history, c.ID)
		} else {
			bare = append(bare, c.ID)
		}
	}
	all := append(append([]string{}, history...), bare...)
	for _, q := range []struct {
		query string
		args  []any
	}{
		{factsBenchStatusSQL, []any{all}},
		{factsBenchInvoicesSQL, []any{history, factsBenchMonths}},
		{factsBenchPaymentsSQL, []any{history, factsBenchMonths}},
	} {
		if err := s.ExecForTest(ctx, q.query, q.args...); err != nil {
			b.Fatal(err)
		}
	}
	// As autovacuum would have: statistics and the visibility map.
	if err := s.ExecForTest(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return history, bare
}

// The feeds of the benchmark, month by month: invoice m of customer k is
// issued on the 1st, m months before March 2025, and due on the 15th; its
// payment is made on the 10th, on the 20th (late) every 7th month of a
// customer, and fails every 12th. Half the customers pay by autopay.
const (
	factsBenchStatusSQL = `INSERT INTO customer_status_changes (customer_id, id, from_status, to_status, reason, notes,
		actor_id, request_id, at)
	SELECT c.id, c.id, '', 'active', '', '', 'bench', '', '2020-03-01 00:00:00+00'
	FROM unnest($1::text[]) AS c (id)`
	factsBenchInvoicesSQL = `INSERT INTO invoices (customer_id, invoice_id, issued_at, due_date, amount, status, delivery,
		created_at, updated_at)
	SELECT c.id, 'INV-' || m, d, d + 14, 4999, 'paid', CASE WHEN c.k % 3 = 0 THEN 'postal' ELSE 'email' END, d, d
	FROM generate_series($2::int - 1, 0, -1) AS m,
		LATERAL (SELECT (date '2025-03-01' - make_interval(months => m))::date AS d) AS day,
		unnest($1::text[]) WITH ORDINALITY AS c (id, k)`
	factsBenchPaymentsSQL = `INSERT INTO payments (customer_id, transaction_id, amount, paid_at, payment_method, autopay,
		status, invoice_id, failure_reason, notes, created_at, updated_at)
	SELECT c.id, 'TX-' || m, 4999, at, 'credit_card', c.k % 2 = 0,
		CASE WHEN (m + c.k) % 12 = 0 THEN 'failed' ELSE 'succeeded' END, 'INV-' || m, '', '', at, at
	FROM generate_series($2::int - 1, 0, -1) AS m,
		unnest($1::text[]) WITH ORDINALITY AS c (id, k),
		LATERAL (SELECT (timestamp '2025-03-01 08:00:00' - make_interval(months => m)
			+ make_interval(days => CASE WHEN (m + c.k) % 7 = 0 THEN 19 ELSE 9 END)) AT TIME ZONE 'UTC' AS at) AS paid`
)
