// Command bench measures the customer API side by side with the floors this
// machine sets, in one run, and prints one table of figures with PASS/FAIL
// against the targets of DESIGN.md and the issue:
//
//   - GET /api/v1/customers/{id} through httpapi over pgstore, against
//     bare net/http + pgx handlers doing the same read (target ≥ 0.85×):
//     the default response (the customer with its services) against one
//     that reads the customer and its services in the same statement, and
//     the customer alone (include_*=false) against one that reads the row;
//   - the same GET over memstore, against a hello-JSON handler (≥ 0.6×);
//   - filtered lists (p95 < 20 ms) and q search (p95 < 50 ms) at 1M
//     customers, and create throughput;
//   - analytics, over the first -history customers given an internet
//     service and -history-months of monthly invoices and payments (COPYed
//     once, reused like the customers): a full refresh of every customer's
//     profile, analytics.Service.Sweep as the server runs it (< 60 s);
//     GET /api/v1/customers/high-value, /at-risk and the list of a
//     three-rule segment created with an admin key, first and following
//     pages (p95 < 100 ms each); GET /api/v1/customers/{id}/payment-history
//     (p95 < 20 ms); and feed ingest, concurrent clients POSTing batches of
//     1,000 new invoices or payments to distinct customers (≥ 20k
//     records/s), which cleanup deletes again;
//   - the bulk operations of issue 10 (the comms and bulkimport servers
//     run their bulk runner, as cmd/server does): export, GET
//     /api/v1/customers/export?format=csv
//     of every loaded customer against psql's \copy of the same columns
//     in the same order (≥ 0.5×), with the process's RSS growing < 100 MB;
//     comms, a bulk SMS to -comms-rows consenting customers through the
//     webhook notifier to a receiver on a loopback port (≥ 2,000
//     messages/s); bulkimport, -import-rows generated customers as CSV
//     through POST /api/v1/customers/bulk-import against psql's \copy of
//     the same customers into a table LIKE customers INCLUDING ALL (≥ 0.5×,
//     stretch 0.8×; RSS < 100 MB), both into empty tables of a database
//     of its own (BENCH_DATABASE_URL's name + "_import", dropped after).
//
// It first makes sure the Postgres database BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/crm_bench?sslmode=disable) holds -rows
// generated customers under the current migrations, loading them with COPY
// when it does not (a loaded database is reused across runs). Every server
// runs in this process on a loopback port; GET throughput is driven by wrk
// when installed (bench/run installs it) and by a built-in Go client
// otherwise, lists, search and creates by the Go client, which records
// each request's latency. The memory store is filled only for the last
// phase: its heap would otherwise tax the garbage collector during the
// Postgres phases.
//
// The machine may be shared: before each run the benchmark waits a little
// for other processes to leave the CPUs, and the report gives, per run, the
// cores other processes kept busy (neither this process, nor wrk, nor the
// Postgres backends serving it). Medians and same-run ratios are the
// figures to quote.
//
// Run it from the repository root:
//
//	bash bench/run                          # the full benchmark
//	go run ./bench -rows 20000 -duration 3s  # a quick smoke run
//	go run ./bench -phases list,search        # re-measure after an index change
//	go run ./bench -phases analytics          # the analytics targets alone
//	go run ./bench -phases export,comms,bulkimport -import-rows 10000 -comms-rows 10000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/ispstack/crm/bulk"
)

// config holds the flags.
type config struct {
	dsn           string
	rows          int
	memRows       int
	duration      time.Duration
	warmup        time.Duration
	rounds        int
	loadConns     int
	pool          int
	pgConns       int
	memConns      int
	listClients   int
	createClients int
	history       int
	historyMonths int
	ingestClients int
	sweepWorkers  int
	importRows    int
	commsRows     int
	sendRate      float64
	wrk           string
	cpuProfileDir string
	reportFile    string
	phases        map[string]bool
}

func main() {
	log.SetFlags(log.Ltime)
	var cfg config
	flag.StringVar(&cfg.dsn, "db", envOr("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench?sslmode=disable"), "Postgres DSN of the bench database (dropped and recreated when it must be reloaded)")
	flag.IntVar(&cfg.rows, "rows", 1_000_000, "customers in the Postgres database")
	flag.IntVar(&cfg.memRows, "mem-rows", 100_000, "customers in the memory store")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each measured run")
	flag.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.IntVar(&cfg.rounds, "rounds", 5, "rounds of each side-by-side GET comparison (medians are reported)")
	flag.IntVar(&cfg.loadConns, "load-conns", 2, "connections that COPY rows and build indexes")
	flag.IntVar(&cfg.pool, "pool", max(8, 4*runtime.GOMAXPROCS(0)), "database connections of the real store and of the bare handler alike")
	flag.IntVar(&cfg.pgConns, "c-pg", 32, "HTTP connections for the Postgres GET comparison")
	flag.IntVar(&cfg.memConns, "c-mem", 64, "HTTP connections for the memory/hello-JSON comparison")
	flag.IntVar(&cfg.listClients, "list-clients", 4, "concurrent clients for the list and search latencies")
	flag.IntVar(&cfg.createClients, "create-clients", 16, "concurrent clients creating customers")
	flag.IntVar(&cfg.history, "history", 100_000, "customers (the first loaded, by id) given an internet service and monthly invoices and payments for the analytics phase")
	flag.IntVar(&cfg.historyMonths, "history-months", 60, "months of invoices and payments of each history customer")
	flag.IntVar(&cfg.ingestClients, "ingest-clients", 4, "concurrent clients posting feed batches in the analytics phase")
	flag.IntVar(&cfg.sweepWorkers, "sweep-workers", 0, "batches the full profile refresh works at once (0: the server's default, analytics.Options.SweepWorkers)")
	flag.IntVar(&cfg.importRows, "import-rows", 100_000, "CSV rows the bulkimport phase imports (and psql copies)")
	flag.IntVar(&cfg.commsRows, "comms-rows", 100_000, "consenting customers the comms phase messages (at most 100,000, bulk.MaxTargetIDs)")
	flag.Float64Var(&cfg.sendRate, "send-rate", 50_000, "messages a second the comms phase's senders send at most (bulk.Options.SendRate, BULK_SEND_RATE of the server): far above the target, so that the pipeline, not the limit, sets the figure")
	flag.StringVar(&cfg.wrk, "wrk", "wrk", `wrk binary for GET throughput; "" uses the built-in Go client`)
	flag.StringVar(&cfg.cpuProfileDir, "cpuprofile", "", "write a CPU profile of each measured phase of the real server into this directory")
	flag.StringVar(&cfg.reportFile, "report", "", "also write the report (Markdown) to this file")
	flag.DurationVar(&quietWait, "quiet-wait", 5*time.Second, "before each measured run, wait up to this long for other processes to leave the CPUs (0: do not wait)")
	phases := flag.String("phases", "get,mem,list,search,analytics,create,export,comms,bulkimport", "comma-separated phases to run: get (Postgres GET vs bare), mem (memory GET vs hello-JSON), list, search, analytics (profile refresh, ranked and segment lists, payment history, feed ingest), create, export (CSV export of every customer vs psql \\copy), comms (bulk SMS through the webhook notifier), bulkimport (CSV import vs psql \\copy, in a database of its own)")
	flag.Parse()
	if cfg.commsRows > bulk.MaxTargetIDs {
		log.Fatalf("bench: -comms-rows %d: a bulk communication names at most %d customers", cfg.commsRows, bulk.MaxTargetIDs)
	}
	cfg.phases = map[string]bool{}
	for _, p := range strings.Split(*phases, ",") {
		switch p = strings.TrimSpace(p); p {
		case "get", "mem", "list", "search", "analytics", "create", "export", "comms", "bulkimport":
			cfg.phases[p] = true
		case "":
		default:
			log.Fatalf("bench: unknown phase %q", p)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, err := run(ctx, cfg)
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	rep.total = time.Since(start)
	out := rep.markdown()
	fmt.Print(out)
	if cfg.reportFile != "" {
		if err := os.WriteFile(cfg.reportFile, []byte(out), 0o644); err != nil {
			log.Fatalf("bench: %v", err)
		}
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
