package main

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm/analytics"
)

const (
	// ingestBatch is how many records each feed request carries: the most
	// one call takes.
	ingestBatch = analytics.MaxBatch
	// ingestRuns is how many measured ingest runs there are; the report
	// gives the median.
	ingestRuns = 3
	// benchFeedPrefix starts the source id of every record the benchmark
	// ingests, so cleanup can find them among the loaded history.
	benchFeedPrefix = "BENCH-"
)

// ingest POSTs batches of ingestBatch new records, invoices and payments
// in turn, each batch to the next history customer, so concurrent clients
// write to distinct customers. Every batch also refreshes its customer's
// profile in its transaction, as the API does.
func (b *bench) ingest(ctx context.Context, baseURL string, ids []string) []*runResult {
	tag := benchFeedPrefix + strconv.FormatInt(time.Now().UnixNano(), 36)
	base := time.Now().UTC().AddDate(-5, 0, 0).Truncate(24 * time.Hour)
	var seq atomic.Int64
	mk := func(*rand.Rand) request {
		n := seq.Add(1)
		id := ids[int(n)%len(ids)]
		if n%2 == 0 {
			return request{kind: "invoices", method: http.MethodPost, path: "/api/v1/customers/" + id + "/invoices", body: invoiceBatch(tag, n, base)}
		}
		return request{kind: "payments", method: http.MethodPost, path: "/api/v1/customers/" + id + "/payments", body: paymentBatch(tag, n, base)}
	}
	clients := b.cfg.ingestClients
	waitQuiet()
	b.client.run(ctx, baseURL, clients, b.cfg.warmup, mk)
	var runs []*runResult
	for i := range ingestRuns {
		waitQuiet()
		stop := b.profile(fmt.Sprintf("ingest-%d", i+1))
		res, _ := measured(func() (*runResult, error) { return b.client.run(ctx, baseURL, clients, b.cfg.duration, mk), nil })
		stop()
		log.Printf("ingest run %d: %d batches, %.0f records/s, batch p50 %s, p95 %s, errors %d, foreign CPU %.2f cores %s",
			i+1, res.requests, res.rps*ingestBatch, res.p50, res.p95, res.errors, res.foreign, res.firstErr)
		runs = append(runs, res)
	}
	return runs
}

// invoiceBatch is the body of batch n: ingestBatch paid invoices, one a
// day from base, each with an id of its own.
func invoiceBatch(tag string, n int64, base time.Time) []byte {
	b := []byte(`{"invoices":[`)
	for k := range ingestBatch {
		if k > 0 {
			b = append(b, ',')
		}
		at := base.AddDate(0, 0, k)
		b = fmt.Appendf(b, `{"invoice_id":"%s-%d-%d","issued_at":"%s","due_date":"%s","amount":%d.%02d,"status":"paid"}`,
			tag, n, k, at.Format(time.DateOnly), at.AddDate(0, 0, 14).Format(time.DateOnly), 30+k%90, k%100)
	}
	return append(b, "]}"...)
}

// paymentBatch is the body of batch n: ingestBatch succeeded payments, one
// a day from base, each with an id of its own.
func paymentBatch(tag string, n int64, base time.Time) []byte {
	b := []byte(`{"payments":[`)
	for k := range ingestBatch {
		if k > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"transaction_id":"%s-%d-%d","amount":%d.%02d,"paid_at":"%s","payment_method":"credit_card","autopay":true}`,
			tag, n, k, 30+k%90, k%100, base.AddDate(0, 0, k).Add(9*time.Hour).Format(time.RFC3339))
	}
	return append(b, "]}"...)
}

// removeBenchFeeds deletes the invoices and payments the benchmark
// ingested (their ids start with benchFeedPrefix). Their customers'
// profiles keep counting them until they are next refreshed, which the
// analytics phase's full refresh does first.
func removeBenchFeeds(ctx context.Context, pool *pgxpool.Pool) error {
	for _, q := range []string{
		"DELETE FROM invoices WHERE invoice_id LIKE '" + benchFeedPrefix + "%'",
		"DELETE FROM payments WHERE transaction_id LIKE '" + benchFeedPrefix + "%'",
	} {
		tag, err := pool.Exec(ctx, q)
		if err != nil {
			return err
		}
		if n := tag.RowsAffected(); n > 0 {
			log.Printf("cleanup: %s: %d rows", q, n)
		}
	}
	return nil
}
