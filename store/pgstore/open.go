package pgstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

var _ store.Store = (*Store)(nil)

// Options tunes the connection pool. The zero value is a sensible default.
type Options struct {
	// MaxOpenConns caps the connections to Postgres; 0 means
	// max(8, 4×GOMAXPROCS). With several replicas, keep the sum below the
	// server's max_connections.
	MaxOpenConns int
	// ConnMaxLifetime recycles connections after this long so load spreads
	// again after a failover or a new replica; 0 means 30 minutes.
	ConnMaxLifetime time.Duration
}

// Store is a store.Store on PostgreSQL. The Store returned by Open is safe
// for concurrent use. The Store handed to a RunInTx callback is bound to that
// transaction and valid until the callback returns.
type Store struct {
	pool      *pgxpool.Pool    // the connections, shared by everything below
	db        *bun.DB          // database/sql over pool, for transactions and Bun
	connector driver.Connector // opens extra connections, e.g. for the migration lock
	closed    *atomic.Bool     // set by Close; shared, so transactions see it too
	tx        *txState         // nil for the root Store
}

// Open connects to the database at dsn (a postgres:// URL or a key=value
// connection string) and checks that it answers. It does not migrate: call
// Migrate before serving. The error is invalid for a malformed dsn and
// unavailable when the server cannot be reached.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, crm.Wrap(err, crm.CodeInvalid, "pgstore: malformed database URL")
	}
	cfg.MaxConns = int32(opts.MaxOpenConns)
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = int32(max(8, 4*runtime.GOMAXPROCS(0)))
	}
	cfg.MaxConnLifetime = opts.ConnMaxLifetime
	if cfg.MaxConnLifetime <= 0 {
		cfg.MaxConnLifetime = 30 * time.Minute
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// No JIT compilation, unless the URL asks for it: the store's
	// statements are short index walks, and the planner's cost estimate
	// for a sweep batch of 1,000 customers' facts crossed jit_above_cost,
	// which made each new connection's first runs take 0.8 s instead of
	// 0.15 s. A dsn that sets jit (?jit=on) keeps its choice.
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, crm.Wrap(err, crm.CodeInvalid, "pgstore: cannot configure the connection pool")
	}
	// One pool serves both ways in: pgx natively for the hot single-row
	// reads (see queryRow) and database/sql, which transactions and Bun
	// need, on top of it. OpenDBFromPool keeps no idle connections in
	// database/sql, so every connection returns to the one pool (and keeps
	// its prepared statements there).
	sqldb := stdlib.OpenDBFromPool(pool)

	db := bun.NewDB(sqldb, pgdialect.New())
	s := &Store{pool: pool, db: db, connector: stdlib.GetConnector(*cfg.ConnConfig), closed: new(atomic.Bool)}
	if err := s.Ping(ctx); err != nil {
		_ = db.Close()
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Ping reports whether the database answers; unavailable otherwise.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.queryRow(ctx, "SELECT 1", nil, []any{&one}); err != nil {
		return crm.Wrap(s.mapErr(err, "ping"), crm.CodeUnavailable, "the database does not answer")
	}
	return nil
}

// Close closes the connection pool; every later call fails with
// unavailable. Closing twice is harmless. On a Store bound to a transaction
// it does nothing: the transaction ends when its RunInTx callback returns.
func (s *Store) Close() error {
	if s.tx != nil || s.closed.Swap(true) {
		return nil
	}
	err := s.db.Close()
	s.pool.Close()
	if err != nil {
		return fmt.Errorf("pgstore: close: %w", err)
	}
	return nil
}
