package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// psqlBin is the psql the bulk phases' baselines run: psql's \copy is
// the floor the issue sets the import and the export against.
const psqlBin = "psql"

// psqlRun is one psql command's run.
type psqlRun struct {
	elapsed time.Duration // wall time, psql's start and exit included
	cpu     time.Duration // psql's own CPU (user and system)
}

// runPSQL runs the psql meta-command or statement command against dsn,
// its output discarded, and fails on any error.
func runPSQL(ctx context.Context, dsn, command string) (psqlRun, error) {
	cmd := exec.CommandContext(ctx, psqlBin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", command)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdout: the null device
	start := time.Now()
	err := cmd.Run()
	run := psqlRun{elapsed: time.Since(start)}
	if cmd.ProcessState != nil {
		run.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
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
