package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/ispstack/crm"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLockKey is the pg_advisory_lock key that serializes migrations of
// one database across processes (server replicas starting together, test
// binaries of parallel packages). Any fixed value works; this one spells
// "crm-migr" in ASCII.
const migrateLockKey int64 = 0x63726d2d6d696772

// MigrationFS returns the embedded migration files (YYYYMMDDHHMMSS_name.tx.up.sql
// and .tx.down.sql), for tools that need to know the schema version, such as
// internal/pgtest, which names its template database after their hash.
func MigrationFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	return sub
}

// Migrate brings the schema up to date by applying the embedded migrations
// not applied yet, each in its own transaction. It holds a Postgres advisory
// lock meanwhile, so replicas that start together migrate one after another
// and the later ones find nothing to do. Call it before serving: statements
// prepared on pooled connections before a schema change may fail after it.
func (s *Store) Migrate(ctx context.Context) error {
	if s.tx != nil {
		return crm.Errorf(crm.CodeInternal, "pgstore: Migrate called inside a transaction")
	}
	// The lock is held on its own connection, outside the pool the
	// migrator uses, so a pool of one connection cannot deadlock.
	lockDB := sql.OpenDB(s.connector)
	defer lockDB.Close()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		return s.mapErr(err, "migrate: connect")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return s.mapErr(err, "migrate: lock")
	}
	// Closing the connection would release the lock too; unlocking
	// explicitly keeps a pooled connection from holding it by accident.
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey) //nolint:errcheck

	migrations := migrate.NewMigrations()
	if err := migrations.Discover(MigrationFS()); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	m := migrate.NewMigrator(s.db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return s.mapErr(err, "migrate: init")
	}
	if _, err := m.Migrate(ctx); err != nil {
		return s.mapErr(err, "migrate")
	}
	return nil
}

// Migrate opens the database at dsn, applies the embedded migrations as
// (*Store).Migrate does, and closes it again.
func Migrate(ctx context.Context, dsn string) error {
	s, err := Open(ctx, dsn, Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Migrate(ctx)
}
