package httpapi_test

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
)

// killingBackend kills, once, the Postgres backend that runs the statement
// storing (finish) or releasing (release) an idempotency record, in the
// middle of that statement: it holds the record's row lock from another
// connection so the statement waits, terminates the waiting backend with
// pg_terminate_backend, then lets the row go. That is what a database
// restart or a cut connection does to a request after its write succeeded.
type killingBackend struct {
	httpapi.Backend
	t      *testing.T
	admin  *sql.DB
	op     string      // "finish" or "release"
	armed  atomic.Bool // the next op is killed
	killed atomic.Int32
}

func (b *killingBackend) FinishIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	if b.op == "finish" && b.armed.CompareAndSwap(true, false) {
		return b.killDuring(rec, func() error { return b.Backend.FinishIdempotencyKey(ctx, rec) })
	}
	return b.Backend.FinishIdempotencyKey(ctx, rec)
}

func (b *killingBackend) ReleaseIdempotencyKey(ctx context.Context, rec *crm.IdempotencyRecord) error {
	if b.op == "release" && b.armed.CompareAndSwap(true, false) {
		return b.killDuring(rec, func() error { return b.Backend.ReleaseIdempotencyKey(ctx, rec) })
	}
	return b.Backend.ReleaseIdempotencyKey(ctx, rec)
}

// killDuring runs op while rec's row is locked and kills the backend that
// waits for the lock; it returns op's error.
func (b *killingBackend) killDuring(rec *crm.IdempotencyRecord, op func() error) error {
	ctx := b.t.Context()
	lock, err := b.admin.BeginTx(ctx, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	defer lock.Rollback()
	var one int
	if err := lock.QueryRowContext(ctx, `SELECT 1 FROM idempotency_keys WHERE scope = $1 AND key = $2 FOR UPDATE`,
		rec.Scope, rec.Key).Scan(&one); err != nil {
		b.t.Fatalf("lock the record: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- op() }()
	for {
		var pid int
		err := b.admin.QueryRowContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			  AND wait_event_type = 'Lock' AND query LIKE '%idempotency_keys%'`).Scan(&pid)
		if err == nil {
			if _, err := b.admin.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
				b.t.Fatalf("pg_terminate_backend: %v", err)
			}
			b.killed.Add(1)
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			b.t.Fatalf("find the waiting backend: %v", err)
		}
		select {
		case err := <-done:
			b.t.Fatalf("the %s ended before its backend was killed: %v", b.op, err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	err = <-done
	if err == nil {
		b.t.Errorf("the %s succeeded though its backend was killed", b.op)
	}
	return err
}

// Killing the backend that stores or releases a request's idempotency
// record does not leave the key "still being processed": a retry with the
// key gets the stored response, or runs afresh after a release.
func TestIdempotencyBackendKilled(t *testing.T) {
	tests := []struct {
		op     string
		body   map[string]any
		status int
	}{
		{"finish", customerBody(nil), 201},
		{"release", customerBody(map[string]any{"name": nameFail}), 500},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			dsn := pgtest.DSN(t)
			s, err := pgstore.Open(t.Context(), dsn, pgstore.Options{})
			if err != nil {
				t.Fatalf("pgstore.Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			admin, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { admin.Close() })
			b := &killingBackend{t: t, admin: admin, op: tc.op}
			b.armed.Store(true)
			e := newEnvOn(t, s, func(cfg *httpapi.Config) { b.Backend, cfg.Backend = cfg.Backend, b })

			first := e.sendKeyed("/api/v1/customers", "k-killed", tc.body).want(t, tc.status)
			if n := b.killed.Load(); n != 1 {
				t.Fatalf("%d backends killed, want 1", n)
			}
			again := e.sendKeyed("/api/v1/customers", "k-killed", tc.body).want(t, tc.status)
			if wantReplay := tc.status < 500; again.replayed() != wantReplay {
				t.Errorf("replayed = %v, want %v", again.replayed(), wantReplay)
			}
			if tc.status < 500 && string(again.body) != string(first.body) {
				t.Errorf("replayed body differs:\n%s\n%s", first.body, again.body)
			}
		})
	}
}
