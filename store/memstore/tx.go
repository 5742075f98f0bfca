package memstore

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

// txn is a running transaction: the undo log of its writes, newest last.
// Writes go to the shared maps at once; rolling back replays the log
// backwards. A savepoint is a position in the log.
type txn struct {
	db   *database
	undo []func() // guarded by db.mu
	// done is set when the outermost RunInTx returns; the transaction's
	// Store must not be used afterwards.
	done bool // guarded by db.mu
}

// txKey is the context key under which RunInTx passes its transaction to fn.
type txKey struct{}

// onRollback records how to undo a change. Outside a transaction (t nil)
// there is nothing to undo.
func (t *txn) onRollback(f func()) {
	if t != nil {
		t.undo = append(t.undo, f)
	}
}

// rollbackTo undoes every change recorded after the savepoint mark. The
// caller holds db.mu.
func (t *txn) rollbackTo(mark int) {
	for i := len(t.undo) - 1; i >= mark; i-- {
		t.undo[i]()
	}
	clear(t.undo[mark:])
	t.undo = t.undo[:mark]
}

// txFor returns the transaction a call belongs to: the one s is bound to, or
// the one of this database that ctx was created inside; nil outside any.
func (s *Store) txFor(ctx context.Context) (*txn, error) {
	t := s.tx
	if t == nil {
		ct, ok := ctx.Value(txKey{}).(*txn)
		if !ok || ct.db != s.db {
			return nil, nil
		}
		t = ct
	}
	s.db.mu.RLock()
	done := t.done
	s.db.mu.RUnlock()
	if done {
		if s.tx == nil {
			// A context that outlived its transaction: act as outside one.
			return nil, nil
		}
		return nil, crm.Errorf(crm.CodeInternal, "memstore: transaction already ended")
	}
	return t, nil
}

// RunInTx runs fn in a transaction: its writes stay when fn returns nil and
// are undone when it returns an error or panics (the panic is re-raised after
// the rollback). Called inside fn, on the Store fn received or with fn's
// context, it runs a savepoint: an error undoes only the nested writes.
// Transactions run one at a time; see the package comment for isolation.
func (s *Store) RunInTx(ctx context.Context, fn func(ctx context.Context, s store.Store) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	tx, err := s.txFor(ctx)
	if err != nil {
		return err
	}
	if tx != nil {
		return s.savepoint(ctx, tx, fn)
	}
	s.db.txMu.Lock()
	defer s.db.txMu.Unlock()
	tx = &txn{db: s.db}
	defer func() {
		s.db.mu.Lock()
		tx.done = true
		tx.undo = nil
		s.db.mu.Unlock()
	}()
	return s.savepoint(ctx, tx, fn)
}

// savepoint runs fn against tx and undoes fn's writes unless it returns nil.
// A deferred rollback covers panics and runtime.Goexit (t.FailNow) as well.
func (s *Store) savepoint(ctx context.Context, tx *txn, fn func(ctx context.Context, s store.Store) error) error {
	s.db.mu.Lock()
	mark := len(tx.undo)
	s.db.mu.Unlock()
	ok := false
	defer func() {
		if !ok {
			s.db.mu.Lock()
			tx.rollbackTo(mark)
			s.db.mu.Unlock()
		}
	}()
	if err := fn(context.WithValue(ctx, txKey{}, tx), &Store{db: s.db, tx: tx}); err != nil {
		return err
	}
	ok = true
	return nil
}

// set stores v under k in m, recording the undo in tx.
func set[K comparable, V any](tx *txn, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	tx.onRollback(func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

// del removes k from m, recording the undo in tx.
func del[K comparable, V any](tx *txn, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	tx.onRollback(func() { m[k] = old })
}
