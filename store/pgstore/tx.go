package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/ispstack/crm/store"
	"github.com/uptrace/bun"
)

// txState is one running transaction, shared by the Stores bound to it and
// its savepoints (they all run on the same *sql.Tx).
type txState struct {
	db *bun.DB
	// conn is the connection the transaction runs on, held for it, so
	// that COPY (copyRows) can run on pgx directly in the transaction.
	conn bun.Conn
	tx   bun.Tx      // the outermost transaction
	mu   sync.Mutex  // serializes statements on the transaction's connection
	done atomic.Bool // set when the outermost RunInTx returns
}

// txKey is the context key under which RunInTx passes its transaction to fn.
type txKey struct{}

// RunInTx runs fn in a transaction (READ COMMITTED) and passes it a Store
// bound to that transaction, and a context that carries it. fn's writes
// commit when it returns nil and roll back when it returns an error or
// panics (the panic is re-raised after the rollback). Called on the Store fn
// received, or with fn's context, RunInTx opens a savepoint instead, so an
// inner error undoes only the inner writes.
//
// fn's error is returned unchanged; failing to begin or commit is mapped
// like any database error (a serialization failure or a lost connection at
// commit is unavailable).
func (s *Store) RunInTx(ctx context.Context, fn func(ctx context.Context, s store.Store) error) error {
	if st := s.txOf(ctx); st != nil {
		return s.savepoint(ctx, st, fn)
	}

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.mapErr(err, "begin")
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.mapErr(err, "begin")
	}
	st := &txState{db: s.db, conn: conn, tx: tx}
	defer st.done.Store(true)
	if err := s.run(ctx, st, tx, fn); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		if errors.Is(err, sql.ErrTxDone) && ctx.Err() != nil {
			// The context ended and database/sql rolled back already.
			err = ctx.Err()
		}
		return s.mapErr(err, "commit")
	}
	return nil
}

// txOf returns the transaction a call with ctx runs in: the one s is
// bound to, else the one of this database ctx was created in by RunInTx;
// nil outside a transaction.
func (s *Store) txOf(ctx context.Context) *txState {
	if s.tx != nil {
		return s.tx
	}
	if ct, ok := ctx.Value(txKey{}).(*txState); ok && ct.db == s.db && !ct.done.Load() {
		return ct
	}
	return nil
}

// savepoint runs fn inside st under a new savepoint.
func (s *Store) savepoint(ctx context.Context, st *txState, fn func(ctx context.Context, s store.Store) error) error {
	// Bun's BeginTx on a Tx issues SAVEPOINT; Commit and Rollback on the
	// result release it or roll back to it.
	st.mu.Lock()
	sp, err := st.tx.BeginTx(ctx, nil)
	st.mu.Unlock()
	if err != nil {
		return s.mapErr(err, "savepoint")
	}
	if err := s.run(ctx, st, sp, fn); err != nil {
		return err
	}
	st.mu.Lock()
	err = sp.Commit()
	st.mu.Unlock()
	return s.mapErr(err, "release savepoint")
}

// run calls fn with a Store bound to st and rolls tx (a transaction or a
// savepoint) back when fn fails or panics.
func (s *Store) run(ctx context.Context, st *txState, tx bun.Tx, fn func(ctx context.Context, s store.Store) error) (err error) {
	rollback := func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		// The rollback error is dropped: fn's error is the one the caller
		// can act on, and a failed rollback (a broken connection) ends the
		// transaction anyway.
		_ = tx.Rollback()
	}
	ok := false
	defer func() {
		if !ok {
			// fn returned an error, panicked or called runtime.Goexit.
			rollback()
		}
	}()
	bound := &Store{pool: s.pool, db: s.db, connector: s.connector, closed: s.closed, tx: st}
	if err := fn(context.WithValue(ctx, txKey{}, st), bound); err != nil {
		return err
	}
	ok = true
	return nil
}
