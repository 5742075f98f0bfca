package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Reads outside a transaction go to pgx natively instead of through
// database/sql: GET by id is the API's hot path, and database/sql's
// per-row conversions (convertAssign, driver.Value boxing) cost a third of
// its throughput against a bare pgx handler on 1M customers (bench/).
// Inside a transaction they run on the transaction's connection as
// everything else does.

// rowScanner is what a read iterates: *sql.Rows and pgx.Rows both fit
// behind it.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// queryRow reads one row into dest; sql.ErrNoRows when there is none.
func (s *Store) queryRow(ctx context.Context, query string, args []any, dest []any) error {
	h := s.use(ctx)
	defer h.release()
	if h.mu != nil {
		return h.q.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	err := s.pool.QueryRow(ctx, query, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}

// query runs a read and calls each for every row until it returns an error.
func (s *Store) query(ctx context.Context, query string, args []any, each func(rows rowScanner) error) error {
	h := s.use(ctx)
	defer h.release()
	var rows rowScanner
	if h.mu != nil {
		r, err := h.q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer r.Close()
		rows = r
	} else {
		r, err := s.pool.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer r.Close()
		rows = r
	}
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
