package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm/bulk"
)

// exportResult is what the export phase measured.
type exportResult struct {
	rows, columns int
	bytes         int64
	psqlRun       *runResult // psql \copy (SELECT …) TO STDOUT
	apiRun        *runResult // GET /api/v1/customers/export
	rss           rssResult
}

func (r *exportResult) psqlRate() float64 { return float64(r.rows) / r.psqlRun.elapsed.Seconds() }
func (r *exportResult) apiRate() float64  { return float64(r.rows) / r.apiRun.elapsed.Seconds() }

// export measures GET /api/v1/customers/export?format=csv of every live
// customer of the bench database, read to the end and counted, against
// psql's \copy of the same columns in the same order (created_at, id) to
// the null device, after one unmeasured psql run that warms both alike;
// and the growth of this process's RSS during the API's export.
func (b *bench) export(ctx context.Context, pool *pgxpool.Pool, baseURL string) (*exportResult, error) {
	names := bulk.ExportColumns().Names()
	exprs := make([]string, len(names))
	for i, n := range names {
		exprs[i] = exportExpr(n)
	}
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM customers WHERE deleted_at IS NULL ORDER BY created_at, id"
	res := &exportResult{columns: len(names)}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM customers WHERE deleted_at IS NULL").Scan(&res.rows); err != nil {
		return nil, err
	}
	psql := func() (*runResult, error) {
		run, err := runPSQL(ctx, pool, b.cfg.dsn, `\copy (`+query+`) TO STDOUT WITH CSV HEADER`)
		return &runResult{elapsed: run.elapsed, toolCPU: run.cpu}, err
	}
	if _, err := psql(); err != nil { // warm-up
		return nil, err
	}
	waitQuiet()
	var err error
	if res.psqlRun, err = measured(psql); err != nil {
		return nil, err
	}
	log.Printf("export: psql \\copy of %d rows: %s, %.0f rows/s, foreign CPU %.2f cores", res.rows, res.psqlRun.elapsed.Round(time.Millisecond), res.psqlRate(), res.psqlRun.foreign)

	waitQuiet()
	stop := b.profile("export")
	rss := watchRSS()
	res.apiRun, err = measured(func() (*runResult, error) {
		start := time.Now()
		resp, err := adminRequest(ctx, http.MethodGet, baseURL+"/api/v1/customers/export?format=csv", "", nil, 0)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
			return nil, fmt.Errorf("GET export: status %d: %s", resp.StatusCode, body)
		}
		var c csvCounter
		if res.bytes, err = io.Copy(&c, resp.Body); err != nil {
			return nil, fmt.Errorf("GET export: %w", err)
		}
		if got := c.records - 1; got != res.rows { // the header
			return nil, fmt.Errorf("GET export: %d rows, want %d", got, res.rows)
		}
		return &runResult{elapsed: time.Since(start)}, nil
	})
	res.rss = rss.end()
	stop()
	if err != nil {
		return nil, err
	}
	log.Printf("export: API export of %d rows (%s): %s, %.0f rows/s, ratio %.2f×, RSS +%s (%s), foreign CPU %.2f cores",
		res.rows, mb(res.bytes), res.apiRun.elapsed.Round(time.Millisecond), res.apiRate(), res.apiRate()/res.psqlRate(), mb(res.rss.growth()), res.rss.how, res.apiRun.foreign)
	return res, nil
}

// exportExpr is the SQL expression of the customers table that holds the
// export column name: the billing address and the communication
// preferences are columns of their own, the service address and the
// emergency contact JSON objects.
func exportExpr(name string) string {
	keys := strings.Split(name, ".")
	switch keys[0] {
	case "billing_address":
		if keys[1] == "coordinates" {
			return "billing_" + keys[2]
		}
		return "billing_" + keys[1]
	case "communication_preferences":
		return keys[1]
	case "service_address", "emergency_contact":
		expr := keys[0]
		for _, k := range keys[1 : len(keys)-1] {
			expr += "->'" + k + "'"
		}
		return expr + "->>'" + keys[len(keys)-1] + "'"
	}
	return name
}

// csvCounter counts the records of CSV written to it: line ends outside
// quoted cells.
type csvCounter struct {
	records int
	quoted  bool
}

func (c *csvCounter) Write(p []byte) (int, error) {
	for _, ch := range p {
		switch {
		case ch == '"':
			c.quoted = !c.quoted
		case ch == '\n' && !c.quoted:
			c.records++
		}
	}
	return len(p), nil
}
