package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/ispstack/crm"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	segmentjson "github.com/segmentio/encoding/json"
	"github.com/uptrace/bun"
)

// This file holds what every query of the package runs through: the handle
// a call runs its statements on, the reads (native pgx outside a
// transaction), and the conversions between Go values and columns.

// querier is what *sql.DB and *sql.Tx have in common: writes run on it with
// $n placeholders, bypassing Bun's interpolation so pgx can cache the
// prepared statement.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// handle is what one call runs its statements on.
type handle struct {
	q   querier // *sql.DB or *sql.Tx: for $n statements
	idb bun.IDB // *bun.DB or bun.Tx over the same: for Bun's builder
	mu  *sync.Mutex
	// conn is the transaction's connection; its Conn is nil outside one.
	conn bun.Conn
}

// release ends the call's use of a transaction's connection.
func (h handle) release() {
	if h.mu != nil {
		h.mu.Unlock()
	}
}

// use returns the handle for a call with ctx: the transaction s is bound to;
// else the transaction ctx was created in by RunInTx on this database (so
// code handed the root Store inside a transaction joins it instead of
// waiting, on another connection, for locks the transaction holds, as
// memstore does); else the pool. Inside a transaction the handle holds the
// transaction's mutex until released, because its one connection runs one
// statement at a time, while fn may call from several goroutines.
func (s *Store) use(ctx context.Context) handle {
	st := s.txOf(ctx)
	if st == nil {
		return handle{q: s.db.DB, idb: s.db}
	}
	st.mu.Lock()
	return handle{q: st.tx.Tx, idb: st.tx, mu: &st.mu, conn: st.conn}
}

// Reads go through queryRow and query. Outside a transaction they use pgx
// natively instead of database/sql: GET by id is the API's hot path, and
// database/sql's per-row conversions (convertAssign, driver.Value boxing)
// cost a third of its throughput against a bare pgx handler on 1M
// customers (bench/). Inside a transaction they run on the transaction's
// connection as everything else does.

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

// record is the pointer to a row struct R that scans itself (dest lists
// its fields in the order of its columns constant) and decodes to the
// domain value T.
type record[R, T any] interface {
	*R
	dest() []any
	decode() (*T, error)
}

// getRecord reads one row with query and decodes it; not_found naming what
// when there is none.
func getRecord[T, R any, P record[R, T]](ctx context.Context, s *Store, what, query string, args ...any) (*T, error) {
	var r R
	if err := s.queryRow(ctx, query, args, P(&r).dest()); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, crm.NotFound(what)
		}
		return nil, s.mapErr(err, "get "+what)
	}
	return P(&r).decode()
}

// listRecords runs query and decodes its rows in order: an empty slice,
// never nil, when there are none.
func listRecords[T, R any, P record[R, T]](ctx context.Context, s *Store, op, query string, args ...any) ([]T, error) {
	out := []T{}
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var r R
		if err := rows.Scan(P(&r).dest()...); err != nil {
			return err
		}
		v, err := P(&r).decode()
		if err != nil {
			return err
		}
		out = append(out, *v)
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, op)
	}
	return out, nil
}

// queryStrings runs a read of one text column and returns its values in order:
// an empty slice, never nil, when there are none.
func (s *Store) queryStrings(ctx context.Context, op, query string, args ...any) ([]string, error) {
	out := []string{}
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, op)
	}
	return out, nil
}

// execCount runs a statement on h and returns how many rows it affected.
func (s *Store) execCount(ctx context.Context, h handle, op, query string, args ...any) (int, error) {
	res, err := h.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.mapErr(err, op)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.mapErr(err, op)
	}
	return int(n), nil
}

// exec runs a statement whose row count does not matter, on the handle
// of ctx.
func (s *Store) exec(ctx context.Context, op, query string, args ...any) error {
	h := s.use(ctx)
	defer h.release()
	_, err := s.execCount(ctx, h, op, query, args...)
	return err
}

// limitArg is a LIMIT parameter: NULL (LIMIT ALL) for limit <= 0.
func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}

// ts is how every time is written: UTC, truncated to the microsecond that
// Postgres keeps (Postgres would round instead, which could move a time
// across a comparison boundary).
func ts(t time.Time) time.Time { return crm.StoredTime(t) }

// nullTime is ts for an optional time.
func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: ts(*t), Valid: true}
}

// timePtr reads an optional time back in UTC.
func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullDate writes an optional date.
func nullDate(d *crm.Date) sql.NullTime {
	if d == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: d.Time(), Valid: true}
}

// dateOf reads a date column. pgx returns dates as midnight UTC; the
// calendar fields are taken as they are, without a time-zone shift.
func dateOf(t time.Time) crm.Date {
	y, m, d := t.Date()
	return crm.Date{Year: y, Month: m, Day: d}
}

// datePtr is dateOf for an optional date.
func datePtr(t sql.NullTime) *crm.Date {
	if !t.Valid {
		return nil
	}
	d := dateOf(t.Time)
	return &d
}

// pgTime is nullTime as pgx's own type (see customerRow).
func pgTime(t *time.Time) pgtype.Timestamptz {
	if t == nil {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: ts(*t), Valid: true}
}

// pgTimePtr is timePtr for pgx's own type (see customerRow).
func pgTimePtr(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullString stores "" as NULL, for columns where absence must not collide
// in a unique index (of customers: pgx's own type, see customerRow).
func nullString(s string) pgtype.Text { return pgtype.Text{String: s, Valid: s != ""} }

// jsonOf marshals an optional value; nil stays NULL.
func jsonOf[T any](v *T) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// jsonTo unmarshals an optional value; NULL gives nil. It decodes with
// segmentio's drop-in encoding/json, five times faster than the standard
// one on the small objects of a customer (a service address, an
// emergency contact), which an export reads by the million.
func jsonTo[T any](b []byte) (*T, error) {
	if b == nil {
		return nil, nil
	}
	v := new(T)
	if err := segmentjson.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return v, nil
}
