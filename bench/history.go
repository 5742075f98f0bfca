package main

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// historyFingerprint names the shape of the generated history; a change
// to what loadHistory writes must change it, so a stale load is replaced.
const historyFingerprint = "history-v2"

// loadHistory makes sure n loaded customers, spread over the base, each
// hold one internet service started months months before now and months
// monthly invoices and payments, COPYing them when bench_history does not record
// that load already. It returns those customers' ids and how long the load
// took (0 when an earlier one was reused). A few payments fail or come
// late, so the figures have something to count.
func loadHistory(ctx context.Context, pool *pgxpool.Pool, maxID string, n, months int, now time.Time) ([]string, time.Duration, error) {
	// Every k-th loaded customer by id, so the customers with a history
	// are spread over the whole base (ids follow creation time), as they
	// are in an ISP's data: the first n by id would all be the oldest, and
	// a list ordered by creation would meet them last.
	rows, err := pool.Query(ctx, `SELECT id FROM (
		SELECT id, row_number() OVER (ORDER BY id) AS rn FROM customers WHERE id <= $1 AND deleted_at IS NULL) t
		WHERE rn % greatest((SELECT count(*) FROM customers WHERE id <= $1 AND deleted_at IS NULL) / $2, 1) = 0
		ORDER BY id LIMIT $2`, maxID, n)
	if err != nil {
		return nil, 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, 0, err
	}
	var got string
	_ = pool.QueryRow(ctx, "SELECT fingerprint FROM bench_history").Scan(&got)
	want := fmt.Sprintf("%s/%d/%d/%s", historyFingerprint, len(ids), months, maxID)
	if got == want {
		log.Printf("history: reusing %d customers with %d months of invoices and payments", len(ids), months)
		return ids, 0, nil
	}
	log.Printf("history: loading %d customers with %d months of invoices and payments", len(ids), months)
	start := time.Now()
	if _, err := pool.Exec(ctx, "DROP TABLE IF EXISTS bench_history; TRUNCATE services, invoices, payments, usage_days, tickets, customer_analytics"); err != nil {
		return nil, 0, err
	}
	begin := now.UTC().AddDate(0, -months, 0).Truncate(24 * time.Hour)
	techs := []string{"fiber", "dsl", "cable"}
	terms := []string{"month_to_month", "one_year", "two_year"}
	methods := []string{"credit_card", "bank_transfer", "electronic_check", "check"}
	type plan struct {
		price  int64
		method string
		auto   bool
	}
	planOf := func(i int) (plan, *rand.Rand) {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		m := methods[r.IntN(len(methods))]
		return plan{price: int64(3000 + r.IntN(9000)), method: m, auto: m == "credit_card" || m == "bank_transfer"}, r
	}
	services := make([][]any, 0, len(ids))
	for i, id := range ids {
		p, r := planOf(i)
		services = append(services, []any{id, fmt.Sprintf("%s-%08d", id[:8], i), "Internet " + techs[i%3], techs[i%3], "active",
			p.price, terms[r.IntN(3)], begin, nil, 100, 20, nil, false, 1, begin, begin, "internet"})
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"services"}, []string{"customer_id", "id", "plan_name", "technology", "status",
		"monthly_price", "contract_term", "start_date", "end_date", "bandwidth_down_mbps", "bandwidth_up_mbps", "service_address",
		"suspended_with_customer", "version", "created_at", "updated_at", "service_type"}, pgx.CopyFromRows(services)); err != nil {
		return nil, 0, fmt.Errorf("copy services: %w", err)
	}
	// Invoices and payments, streamed customer by customer.
	copyMonthly := func(table string, cols []string, row func(i, k int, id string, p plan, r *rand.Rand) []any) error {
		i, k := 0, 0
		var r *rand.Rand
		var p plan
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if k == months {
				i, k = i+1, 0
			}
			if i == len(ids) {
				return nil, nil
			}
			if k == 0 {
				p, r = planOf(i)
			}
			k++
			return row(i, k, ids[i], p, r), nil
		})
		_, err := pool.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	}
	issued := func(k int) time.Time { return begin.AddDate(0, k-1, 0) }
	err = copyMonthly("invoices", []string{"customer_id", "invoice_id", "issued_at", "due_date", "amount", "status", "delivery",
		"period_start", "period_end", "created_at", "updated_at"}, func(i, k int, id string, p plan, r *rand.Rand) []any {
		at := issued(k)
		status := "paid"
		if k == months {
			status = "open"
		}
		return []any{id, fmt.Sprintf("INV-%d", k), at, at.AddDate(0, 0, 14), p.price, status, "email", at, at.AddDate(0, 1, -1), at, at}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("copy invoices: %w", err)
	}
	err = copyMonthly("payments", []string{"customer_id", "transaction_id", "amount", "paid_at", "payment_method", "autopay",
		"status", "invoice_id", "failure_reason", "notes", "created_at", "updated_at"}, func(i, k int, id string, p plan, r *rand.Rand) []any {
		at := issued(k).Add(time.Duration(5+r.IntN(15)) * 24 * time.Hour) // a few paid after the due date
		status, reason := "succeeded", ""
		if r.IntN(50) == 0 {
			status, reason = "failed", "insufficient_funds"
		}
		return []any{id, fmt.Sprintf("TX-%d", k), p.price, at, p.method, p.auto, status, fmt.Sprintf("INV-%d", k), reason, "", at, at}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("copy payments: %w", err)
	}
	if _, err := pool.Exec(ctx, "VACUUM (ANALYZE) services, invoices, payments"); err != nil {
		return nil, 0, err
	}
	if _, err := pool.Exec(ctx, "CREATE TABLE bench_history (fingerprint text NOT NULL)"); err != nil {
		return nil, 0, err
	}
	if _, err := pool.Exec(ctx, "INSERT INTO bench_history VALUES ($1)", want); err != nil {
		return nil, 0, err
	}
	d := time.Since(start)
	total := len(ids) * (1 + 2*months)
	log.Printf("history: %d rows in %s (%.0f rows/s)", total, d.Round(time.Millisecond), float64(total)/d.Seconds())
	return ids, d, nil
}
