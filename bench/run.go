package main

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store/pgstore"
)

// benchKey is the API key every request uses (an agent: it may read,
// create and post feeds); benchAdminKey creates the analytics phase's
// segment, which takes an admin. benchTaxKey encrypts the tax ids of
// generated customers.
const (
	benchKey      = "bench-agent-key"
	benchAdminKey = "bench-admin-key"
	benchTaxKey   = "bench tax id key, 32 bytes long!"
)

// The GET paths measured against the bare handler: the API's default
// (customer plus services, billing summary and account metrics) and the
// customer alone, the same single row the bare handler reads.
const leanGetQuery = "?include_services=false&include_billing=false&include_metrics=false"

// bench holds what the phases share.
type bench struct {
	cfg      config
	lg       *loadGen
	client   *goClient // for lists and search
	rep      *report
	profiles string
}

// run prepares the data, starts the servers and measures every phase.
func run(ctx context.Context, cfg config) (*report, error) {
	cipher, err := customer.NewTaxIDCipher([]byte(benchTaxKey))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	gen, err := newGenerator(cfg.rows, now, cipher)
	if err != nil {
		return nil, err
	}
	if err := checkGenerated(ctx, gen, cipher, 300); err != nil {
		return nil, err
	}
	ld, err := prepareDatabase(ctx, cfg.dsn, cfg.rows, cfg.loadConns, gen)
	if err != nil {
		return nil, err
	}
	rep := &report{cfg: cfg, load: ld}

	// The servers, each on its own loopback port.
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil)) // formatted like production, written nowhere
	keys := []httpapi.APIKey{
		{ID: httpapi.KeyID(benchKey), Role: httpapi.RoleAgent, Secret: benchKey},
		{ID: httpapi.KeyID(benchAdminKey), Role: httpapi.RoleAdmin, Secret: benchAdminKey},
	}
	pg, err := pgstore.Open(ctx, cfg.dsn, pgstore.Options{MaxOpenConns: cfg.pool})
	if err != nil {
		return nil, err
	}
	defer pg.Close()
	if err := pg.Migrate(ctx); err != nil {
		return nil, err
	}
	realSvc, realH, err := newAPI(pg, cipher, keys, logger)
	if err != nil {
		return nil, err
	}
	pool, err := openBarePool(ctx, cfg.dsn, cfg.pool)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	ourPostgres = func() map[string]bool {
		// The bulkimport phase's database is the bench's too.
		rows, err := pool.Query(ctx, "SELECT pid::text FROM pg_stat_activity WHERE datname IN (current_database(), current_database() || $1) OR datname IS NULL", importDBSuffix)
		if err != nil {
			return nil
		}
		pids, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		out := map[string]bool{}
		for _, p := range pids {
			out[p] = true
		}
		return out
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.close()
		}
	}()
	start := func(name string, h http.Handler) *server {
		s, err2 := serve(name, h)
		if err2 != nil && err == nil {
			err = err2
		}
		servers = append(servers, s)
		return s
	}
	realS, bareS := start("real", realH), start("bare", bareHandler(pool))
	if err != nil {
		return nil, err
	}

	dir, err := os.MkdirTemp("", "crm-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	wr, err := newWrkRunner(cfg.wrk, dir)
	if err != nil {
		return nil, err
	}
	rep.tool = "wrk"
	if wr == nil {
		rep.tool = "built-in Go client"
		log.Printf("wrk not found: GET throughput is measured with the built-in Go client (install wrk for the reference figures)")
	}
	b := &bench{cfg: cfg, lg: &loadGen{wrk: wr, dir: dir, key: benchKey}, client: newGoClient(benchKey, cfg.createClients), rep: rep, profiles: cfg.cpuProfileDir}
	if b.profiles != "" {
		if err := os.MkdirAll(b.profiles, 0o755); err != nil {
			return nil, err
		}
	}

	// The workloads' inputs, sampled from what is stored.
	ids, err := sampleIDs(ctx, pool, ld.maxID, 100_000)
	if err != nil {
		return nil, err
	}
	if err := checkSameRow(ctx, b.client, realS.url, bareS.url, ids[0]); err != nil {
		return nil, err
	}
	searches, err := searchQueries(ctx, pool, ld.maxID, 400)
	if err != nil {
		return nil, err
	}
	lists := listQueries(gen, 400)

	if cfg.phases["get"] {
		if err := storeProfiles(ctx, realSvc, pool); err != nil {
			return nil, err
		}
		if err := b.getPostgres(ctx, realS, bareS, ids); err != nil {
			return nil, err
		}
	}
	if cfg.phases["list"] {
		rep.list = b.latency(ctx, "list", realS.url, lists)
	}
	if cfg.phases["search"] {
		rep.search = b.latency(ctx, "search", realS.url, searches)
	}
	// Before create: the full refresh sweeps every customer, and a profile
	// (customer_analytics references its customer) would keep cleanup from
	// deleting the created customers by id alone.
	if cfg.phases["analytics"] {
		if rep.analytics, err = b.analyticsPhase(ctx, realSvc, pg, logger, pool, realS.url, ld.maxID, now); err != nil {
			return nil, err
		}
	}
	// The export reads the loaded customers alone, before create adds
	// some; comms messages loaded customers.
	if cfg.phases["export"] {
		if rep.export, err = b.export(ctx, pool, realS.url); err != nil {
			return nil, err
		}
	}
	if cfg.phases["comms"] {
		if rep.comms, err = b.comms(ctx, pool, pg, cipher, keys, logger, ld.maxID); err != nil {
			return nil, err
		}
	}
	if cfg.phases["create"] {
		rep.create = b.creates(ctx, realS.url, gen, cfg.rows)
	}
	if cfg.phases["bulkimport"] {
		if rep.bulkImport, err = b.bulkImport(ctx, gen, cipher, keys, logger); err != nil {
			return nil, err
		}
	}
	// Last, so that the memory store's heap (every customer a tree of
	// pointers the garbage collector must trace) does not tax the Postgres
	// measurements: it inflated their GC time severalfold when present.
	if cfg.phases["mem"] {
		if err := b.getMemory(ctx, now, cipher, keys, logger); err != nil {
			return nil, err
		}
	}
	if err := cleanup(ctx, pool, ld.maxID); err != nil {
		log.Printf("cleanup: %v", err)
	}
	return rep, nil
}

// profile starts a CPU profile of the phase name when profiling is on and
// returns the function that stops it.
func (b *bench) profile(name string) func() {
	if b.profiles == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(b.profiles, name+".pprof"))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		log.Printf("profile %s: %v", name, err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
