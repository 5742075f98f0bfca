package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// psqlBin is the psql the bulk phases' baselines run: psql's \copy is
// the floor the issue sets the import and the export against.
const psqlBin = "psql"

// psqlRun is one psql command's run.
type psqlRun struct {
	elapsed time.Duration // wall time, psql's start and exit included
	// cpu is psql's own CPU and its Postgres backend's, which is gone
	// before measured's last snapshot and would otherwise count as
	// another process's (sampled every backendSample: the last moments
	// of the backend may be missed).
	cpu time.Duration
}

// backendSample is how often runPSQL reads its backend's CPU time.
const backendSample = 50 * time.Millisecond

// querier runs a query: a *pgx.Conn or a *pgxpool.Pool.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// psqlRuns numbers runPSQL's runs, to name each one's connection.
var psqlRuns atomic.Int64

// runPSQL runs the psql meta-command or statement command against dsn,
// its output discarded, and fails on any error. db (another connection to
// the same server) finds psql's backend by its application name while it
// runs, to read its CPU time.
func runPSQL(ctx context.Context, db querier, dsn, command string) (psqlRun, error) {
	app := "bench-psql-" + strconv.FormatInt(psqlRuns.Add(1), 10)
	cmd := exec.CommandContext(ctx, psqlBin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", command)
	cmd.Env = append(os.Environ(), "PGAPPNAME="+app)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdout: the null device
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return psqlRun{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var backendTicks uint64
	t := time.NewTicker(backendSample)
	defer t.Stop()
	var err error
wait:
	for {
		select {
		case err = <-exited:
			break wait
		case <-t.C:
			var pid int
			if db.QueryRow(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", app).Scan(&pid) == nil {
				backendTicks = max(backendTicks, procCPU(strconv.Itoa(pid)))
			}
		}
	}
	run := psqlRun{elapsed: time.Since(start), cpu: time.Duration(backendTicks) * time.Second / clockTicks}
	run.cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if err != nil {
		return run, fmt.Errorf("psql %.120s: %w: %s", command, err, strings.TrimSpace(stderr.String()))
	}
	return run, nil
}

// withDatabase returns the URL dsn naming database db instead.
func withDatabase(dsn, db string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("the bulk phases need the database as a postgres:// URL, not %q", dsn)
	}
	u.Path = "/" + db
	return u.String(), nil
}
