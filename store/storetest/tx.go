package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var txTests = []test{
	{"Commit", testTxCommit},
	{"RollbackOnError", testTxRollbackOnError},
	{"RollbackOnPanic", testTxRollbackOnPanic},
	{"NestedRollbackKeepsOuter", testTxNestedRollback},
	{"NestedCommitRolledBackWithOuter", testTxNestedCommitThenOuterRollback},
	{"DeepNesting", testTxDeepNesting},
	{"ErrorsFromStoreRollBack", testTxStoreErrorRollsBack},
	{"NoDirtyReads", testTxNoDirtyReads},
}

// errRollback is what the test transactions fail with.
var errRollback = errors.New("storetest: roll back")

// world is one write of every kind, made by writeAll, to check that a
// transaction commits or rolls back all of them.
type world struct {
	existing *customer.Customer // stored before the transaction
	created  *customer.Customer // created inside it
	updated  *customer.Customer // existing as updated inside it
	sub      *customer.Subscription
	history  *customer.StatusChange
	audit    *crm.AuditEntry
	event    *crm.Event
	idemKey  string
}

// newWorld stores a customer with an active service and prepares the writes.
func newWorld(t *testing.T, s store.Store) *world {
	t.Helper()
	w := &world{existing: newCustomer(t, "Existing"), created: newCustomer(t, "Created"), idemKey: newID(t)}
	create(t, s, w.existing)
	sub := newSubscription(t, w.existing.ID, customer.SubscriptionActive, 1000)
	ok(t, "CreateSubscription", s.CreateSubscription(t.Context(), sub))
	updated := *w.existing
	w.updated = &updated
	w.updated.Name, w.updated.Email, w.updated.Version = "Updated", "updated-"+w.existing.Email, w.existing.Version+1
	w.sub = newSubscription(t, w.created.ID, customer.SubscriptionActive, 2000)
	w.history = &customer.StatusChange{ID: newID(t), CustomerID: w.existing.ID, From: customer.StatusActive, To: customer.StatusSuspended, ActorID: "k", At: base}
	w.audit = newAudit(t, w.existing.ID, 0)
	w.event = &crm.Event{ID: newID(t), Type: "customer.updated", CustomerID: w.existing.ID, Payload: []byte(`{}`), OccurredAt: base}
	return w
}

// writeAll makes every write of w through s and checks that s reads them
// back, as reads inside a transaction see its own writes.
func (w *world) writeAll(ctx context.Context, t *testing.T, s store.Store) {
	t.Helper()
	ok(t, "CreateCustomer", s.CreateCustomer(ctx, w.created))
	ok(t, "UpdateCustomer", s.UpdateCustomer(ctx, w.updated))
	ok(t, "CreateSubscription", s.CreateSubscription(ctx, w.sub))
	n, err := s.SuspendSubscriptions(ctx, w.existing.ID, base)
	ok(t, "SuspendSubscriptions", err)
	check(t, "SuspendSubscriptions", 1, n)
	ok(t, "InsertStatusChange", s.InsertStatusChange(ctx, w.history))
	ok(t, "InsertAudit", s.InsertAudit(ctx, w.audit))
	ok(t, "InsertEvent", s.InsertEvent(ctx, w.event))
	got, err := s.ClaimIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "s", Key: w.idemKey, CreatedAt: base}, base)
	ok(t, "ClaimIdempotencyKey", err)
	check(t, "ClaimIdempotencyKey", (*crm.IdempotencyRecord)(nil), got)
	w.checkCommitted(ctx, t, s)
}

// checkCommitted checks that every write of w is visible through s.
func (w *world) checkCommitted(ctx context.Context, t *testing.T, s store.Store) {
	t.Helper()
	c, err := s.GetCustomer(ctx, w.created.ID)
	ok(t, "GetCustomer(created)", err)
	check(t, "created customer", w.created, c)
	c, err = s.GetCustomer(ctx, w.existing.ID)
	ok(t, "GetCustomer(updated)", err)
	check(t, "updated customer", w.updated, c)
	sub, err := s.GetSubscription(ctx, w.created.ID, w.sub.ID)
	ok(t, "GetSubscription", err)
	check(t, "subscription", w.sub, sub)
	totals, err := s.SubscriptionTotals(ctx, w.existing.ID)
	ok(t, "SubscriptionTotals", err)
	check(t, "suspended subscriptions", customer.SubscriptionTotals{}, totals)
	h, err := s.ListStatusChanges(ctx, w.existing.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "status history", []customer.StatusChange{*w.history}, h)
	a, err := s.ListAudit(ctx, w.existing.ID, "", 10)
	ok(t, "ListAudit", err)
	check(t, "audit", []crm.AuditEntry{*w.audit}, a)
	e, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events", []crm.Event{*w.event}, e)
	rec, err := s.ClaimIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "s", Key: w.idemKey, RequestHash: "other", CreatedAt: base}, base)
	ok(t, "ClaimIdempotencyKey", err)
	check(t, "idempotency record", &crm.IdempotencyRecord{Scope: "s", Key: w.idemKey, CreatedAt: base}, rec)
}

// checkRolledBack checks, reading through s, that none of w's writes is
// visible.
func (w *world) checkRolledBack(ctx context.Context, t *testing.T, s store.Store) {
	t.Helper()
	_, err := s.GetCustomer(ctx, w.created.ID)
	wantCode(t, "GetCustomer(created)", err, crm.CodeNotFound)
	c, err := s.GetCustomer(ctx, w.existing.ID)
	ok(t, "GetCustomer(existing)", err)
	check(t, "existing customer", w.existing, c)
	_, err = s.GetSubscription(ctx, w.created.ID, w.sub.ID)
	wantCode(t, "GetSubscription", err, crm.CodeNotFound)
	totals, err := s.SubscriptionTotals(ctx, w.existing.ID)
	ok(t, "SubscriptionTotals", err)
	check(t, "active subscriptions", customer.SubscriptionTotals{Active: 1, MonthlyRecurring: 1000}, totals)
	h, err := s.ListStatusChanges(ctx, w.existing.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "status history", []customer.StatusChange(nil), h)
	a, err := s.ListAudit(ctx, w.existing.ID, "", 10)
	ok(t, "ListAudit", err)
	check(t, "audit", []crm.AuditEntry(nil), a)
	e, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events", []crm.Event(nil), e)
}

// checkFreed checks, by writing through s, that what w's rolled-back writes
// took is free again (the created customer's email, phone and account
// number, the idempotency key) and what the update gave up is held again.
// It must not run inside a transaction: a failed statement aborts a
// Postgres transaction.
func (w *world) checkFreed(ctx context.Context, t *testing.T, s store.Store) {
	t.Helper()
	again := newCustomer(t, "Again")
	again.Email, again.Phone, again.AccountNumber = w.created.Email, w.created.Phone, w.created.AccountNumber
	ok(t, "CreateCustomer with the rolled-back customer's email, phone and account number", s.CreateCustomer(ctx, again))
	taker := newCustomer(t, "Taker")
	taker.Email = w.existing.Email
	wantConflict(t, "CreateCustomer with the existing customer's email", s.CreateCustomer(ctx, taker), "email")
	taker.Email = w.updated.Email
	ok(t, "CreateCustomer with the email the rolled-back update gave", s.CreateCustomer(ctx, taker))
	rec, err := s.ClaimIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "s", Key: w.idemKey, CreatedAt: base}, base)
	ok(t, "ClaimIdempotencyKey", err)
	check(t, "idempotency claim after rollback", (*crm.IdempotencyRecord)(nil), rec)
}

func testTxCommit(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		w.writeAll(ctx, t, tx)
		return nil
	})
	ok(t, "RunInTx", err)
	w.checkCommitted(ctx, t, s)
}

func testTxRollbackOnError(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		w.writeAll(ctx, t, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	w.checkRolledBack(ctx, t, s)
	w.checkFreed(ctx, t, s)
}

func testTxRollbackOnPanic(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	recovered := func() (r any) {
		defer func() { r = recover() }()
		_ = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
			w.writeAll(ctx, t, tx)
			panic("storetest: boom")
		})
		return nil
	}()
	if recovered != "storetest: boom" {
		t.Fatalf("RunInTx recovered %v, want the panic of fn re-raised", recovered)
	}
	w.checkRolledBack(ctx, t, s)
	w.checkFreed(ctx, t, s)
	// The store is still usable for transactions.
	ok(t, "RunInTx after a panic", s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		return tx.CreateCustomer(ctx, newCustomer(t, "After"))
	}))
}

// A nested RunInTx that fails undoes only its own writes; the outer
// transaction goes on and commits the rest.
func testTxNestedRollback(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	outer := newCustomer(t, "Outer")
	after := newCustomer(t, "After Inner")
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateCustomer(outer)", tx.CreateCustomer(ctx, outer))
		err := tx.RunInTx(ctx, func(ctx context.Context, inner store.Store) error {
			w.writeAll(ctx, t, inner)
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Errorf("nested RunInTx = %v, want fn's error", err)
		}
		w.checkRolledBack(ctx, t, tx)
		if _, err := tx.GetCustomer(ctx, outer.ID); err != nil {
			t.Errorf("outer write lost by the nested rollback: %v", err)
		}
		return tx.CreateCustomer(ctx, after)
	})
	ok(t, "RunInTx", err)
	for _, c := range []*customer.Customer{outer, after} {
		got, err := s.GetCustomer(ctx, c.ID)
		ok(t, "GetCustomer", err)
		check(t, "committed customer", c, got)
	}
	w.checkRolledBack(ctx, t, s)
	w.checkFreed(ctx, t, s)
}

// A nested RunInTx that succeeds is still undone when the outer one fails.
func testTxNestedCommitThenOuterRollback(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	outer := newCustomer(t, "Outer")
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateCustomer(outer)", tx.CreateCustomer(ctx, outer))
		ok(t, "nested RunInTx", tx.RunInTx(ctx, func(ctx context.Context, inner store.Store) error {
			w.writeAll(ctx, t, inner)
			return nil
		}))
		w.checkCommitted(ctx, t, tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	w.checkRolledBack(ctx, t, s)
	w.checkFreed(ctx, t, s)
	_, err = s.GetCustomer(ctx, outer.ID)
	wantCode(t, "GetCustomer(outer)", err, crm.CodeNotFound)
}

// Three levels: the innermost fails, the middle one recovers from it.
func testTxDeepNesting(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c1, c2, c3, c4 := newCustomer(t, "level 1"), newCustomer(t, "level 2"), newCustomer(t, "level 3"), newCustomer(t, "level 2 again")
	err := s.RunInTx(ctx, func(ctx context.Context, tx1 store.Store) error {
		if err := tx1.CreateCustomer(ctx, c1); err != nil {
			return err
		}
		return tx1.RunInTx(ctx, func(ctx context.Context, tx2 store.Store) error {
			if err := tx2.CreateCustomer(ctx, c2); err != nil {
				return err
			}
			err := tx2.RunInTx(ctx, func(ctx context.Context, tx3 store.Store) error {
				if err := tx3.CreateCustomer(ctx, c3); err != nil {
					return err
				}
				// Update a row of an enclosing level; undone with the rest.
				u := *c1
				u.Name, u.Version = "changed at level 3", u.Version+1
				if err := tx3.UpdateCustomer(ctx, &u); err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Errorf("level 3 RunInTx = %v, want fn's error", err)
			}
			return tx2.CreateCustomer(ctx, c4)
		})
	})
	ok(t, "RunInTx", err)
	for _, c := range []*customer.Customer{c1, c2, c4} {
		got, err := s.GetCustomer(ctx, c.ID)
		ok(t, "GetCustomer", err)
		check(t, "committed customer", c, got)
	}
	_, err = s.GetCustomer(ctx, c3.ID)
	wantCode(t, "GetCustomer(level 3)", err, crm.CodeNotFound)
}

// A store error returned by fn, as the customer service does, rolls back the
// writes before it; the error's code reaches the caller.
func testTxStoreErrorRollsBack(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	holder := newCustomer(t, "Holder")
	create(t, s, holder)
	first := newCustomer(t, "First")
	dup := newCustomer(t, "Duplicate")
	dup.Email = holder.Email
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		if err := tx.CreateCustomer(ctx, first); err != nil {
			return err
		}
		if err := tx.InsertEvent(ctx, &crm.Event{ID: newID(t), Type: "customer.created", CustomerID: first.ID, Payload: []byte(`{}`), OccurredAt: at(time.Second)}); err != nil {
			return err
		}
		return tx.CreateCustomer(ctx, dup)
	})
	wantConflict(t, "RunInTx", err, "email")
	_, err = s.GetCustomer(ctx, first.ID)
	wantCode(t, "GetCustomer(first)", err, crm.CodeNotFound)
	events, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events", []crm.Event(nil), events)
}

// Reads outside a transaction never see its uncommitted writes. The reader
// runs while the transaction is open; a store may make it wait for the
// transaction to end (memstore does), so the transaction does not wait for
// the reader, it only gives it time.
func testTxNoDirtyReads(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Uncommitted")
	written := make(chan struct{})
	var wg sync.WaitGroup
	var readErr error
	var read *customer.Customer
	wg.Go(func() {
		<-written
		read, readErr = s.GetCustomer(ctx, c.ID)
	})
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return err
		}
		close(written)
		time.Sleep(50 * time.Millisecond)
		return errRollback
	})
	wg.Wait()
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	if readErr == nil {
		t.Fatalf("GetCustomer outside the transaction read its uncommitted write: %+v", read)
	}
	wantCode(t, "GetCustomer outside the transaction", readErr, crm.CodeNotFound)
}
