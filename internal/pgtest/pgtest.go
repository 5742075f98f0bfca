// Package pgtest gives each test its own freshly migrated PostgreSQL
// database, so Postgres-backed tests can run in parallel and never see each
// other's rows.
//
// The server comes from CRM_TEST_DATABASE_URL when it is set (a URL whose
// user may create databases; its database is only used to create and drop
// others). Otherwise a throwaway container is started with testcontainers-go
// when a Docker engine is healthy. Without either the test is skipped, except
// when CI is set, where it fails: a skipped database test must never look
// green in CI.
//
// The schema is migrated once into a template database named after a hash
// of store/pgstore's migration files (so a schema change builds a new one,
// and an unchanged schema is reused across runs); each test then gets
// CREATE DATABASE … TEMPLATE, which copies files instead of replaying
// migrations, and the database is dropped when the test ends. Building the
// template is guarded by a sync.Once within the process and a Postgres
// advisory lock across processes, because `go test ./...` runs the test
// binaries of different packages in parallel. Templates of older schemas
// stay on a long-lived server until dropped by hand (DROP DATABASE after
// ALTER DATABASE … IS_TEMPLATE false); containers are removed with them.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm/store/pgstore"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/postgres"
)

// EnvURL names the environment variable with the base server's URL.
const EnvURL = "CRM_TEST_DATABASE_URL"

// containerImage is the Postgres image started when EnvURL is not set.
const containerImage = "postgres:15-alpine"

// templateLockKey serializes template builds across test processes.
const templateLockKey int64 = 0x63726d2d746d706c // "crm-tmpl"

// setupTimeout bounds starting a container and building the template.
const setupTimeout = 3 * time.Minute

// server is the per-process state: the base server and its template.
var server struct {
	once     sync.Once
	baseURL  string  // the base server
	admin    *sql.DB // connected to the base server's own database
	template string  // name of the migrated template database
	skip     string  // why there is no server (skip locally, fail in CI)
	err      error   // setup failure: always fatal
}

// DSN returns the URL of a new database for t, with the current schema
// already migrated, and drops the database when t ends (after the cleanups
// t registers later, such as closing a store on it). Tests that call DSN may
// run in parallel.
func DSN(t testing.TB) string {
	t.Helper()
	server.once.Do(setup)
	switch {
	case server.err != nil:
		t.Fatalf("pgtest: %v", server.err)
	case server.skip != "":
		if os.Getenv("CI") != "" {
			t.Fatalf("pgtest: no PostgreSQL for tests in CI: %s", server.skip)
		}
		t.Skipf("pgtest: no PostgreSQL for tests: %s", server.skip)
	}

	name := "crm_test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := server.admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{server.template}.Sanitize())); err != nil {
		t.Fatalf("pgtest: create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE ends connections a test forgot to close.
		if _, err := server.admin.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)",
			pgx.Identifier{name}.Sanitize())); err != nil {
			t.Errorf("pgtest: drop test database %s: %v", name, err)
		}
	})
	return withDatabase(server.baseURL, name)
}

// setup finds the base server and makes sure the template exists.
func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	server.baseURL = os.Getenv(EnvURL)
	if server.baseURL == "" {
		u, skip, err := startContainer(ctx)
		if skip != "" || err != nil {
			server.skip, server.err = skip, err
			return
		}
		server.baseURL = u
	}
	admin, err := sql.Open("pgx", server.baseURL)
	if err != nil {
		server.err = fmt.Errorf("%s: %w", EnvURL, err)
		return
	}
	admin.SetMaxOpenConns(4)
	if err := admin.PingContext(ctx); err != nil {
		server.err = fmt.Errorf("connect to the test server: %w", err)
		return
	}
	server.admin = admin
	server.template, server.err = ensureTemplate(ctx, admin, server.baseURL)
}

// startContainer starts a Postgres container when Docker is healthy; skip
// says why not otherwise. The container lives as long as the test process
// (testcontainers' reaper removes it afterwards).
func startContainer(ctx context.Context) (dsn, skip string, err error) {
	if reason := dockerUnhealthy(ctx); reason != "" {
		return "", fmt.Sprintf("%s is not set and %s", EnvURL, reason), nil
	}
	c, err := postgres.Run(ctx, containerImage, postgres.BasicWaitStrategies())
	if err != nil {
		return "", "", fmt.Errorf("start postgres container: %w", err)
	}
	dsn, err = c.ConnectionString(ctx, "sslmode=disable")
	if err != nil {
		return "", "", fmt.Errorf("postgres container: %w", err)
	}
	return dsn, "", nil
}

// dockerUnhealthy returns why no Docker engine can be used, or "".
func dockerUnhealthy(ctx context.Context) (reason string) {
	// Finding no Docker may panic inside testcontainers; that too only
	// means there is no engine.
	defer func() {
		if r := recover(); r != nil {
			reason = fmt.Sprintf("no Docker engine is usable (%v)", r)
		}
	}()
	p, err := testcontainers.ProviderDefault.GetProvider()
	if err != nil {
		return fmt.Sprintf("no Docker engine is usable (%v)", err)
	}
	defer p.Close()
	if err := p.Health(ctx); err != nil {
		return fmt.Sprintf("no Docker engine is usable (%v)", err)
	}
	return ""
}

// ensureTemplate returns the name of the migrated template database for the
// current migrations, building it unless another run already did.
func ensureTemplate(ctx context.Context, admin *sql.DB, baseURL string) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "crm_tmpl_" + sum

	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", fmt.Errorf("lock template: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", templateLockKey) //nolint:errcheck

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}

	// Build under a temporary name and rename when complete, so a run
	// that dies half-way never leaves a broken template behind.
	build := name + "_build"
	for _, q := range []string{
		"DROP DATABASE IF EXISTS " + pgx.Identifier{build}.Sanitize() + " WITH (FORCE)",
		"CREATE DATABASE " + pgx.Identifier{build}.Sanitize(),
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("build template: %w", err)
		}
	}
	if err := pgstore.Migrate(ctx, withDatabase(baseURL, build)); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	for _, q := range []string{
		"ALTER DATABASE " + pgx.Identifier{build}.Sanitize() + " RENAME TO " + pgx.Identifier{name}.Sanitize(),
		// A template nobody can connect to cannot be changed by accident,
		// and CREATE DATABASE … TEMPLATE fails while anyone is connected.
		"ALTER DATABASE " + pgx.Identifier{name}.Sanitize() + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("finish template: %w", err)
		}
	}
	return name, nil
}

// migrationsHash hashes the names and contents of the migration files.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(pgstore.MigrationFS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(pgstore.MigrationFS(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// withDatabase returns dsn with its database replaced by name. dsn may be a
// URL or a key=value connection string.
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	// key=value form: a later dbname overrides an earlier one.
	return dsn + " dbname=" + name
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
