package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// creationOf is the creation of c as customer.Service builds it.
func creationOf(t testing.TB, c *customer.Customer) customer.Creation {
	return customer.Creation{
		Customer: c,
		Status: &customer.StatusChange{ID: newID(t), CustomerID: c.ID, To: customer.StatusActive,
			ActorID: "key_0123456789ab", At: c.CreatedAt},
		Audit: &crm.AuditEntry{ID: newID(t), CustomerID: c.ID, Entity: "customer", EntityID: c.ID, Action: "create",
			ActorID: "key_0123456789ab", Changes: []crm.FieldChange{crm.Added("name", "***")}, At: c.CreatedAt},
		Event: &crm.Event{ID: newID(t), Type: "customer.created", CustomerID: c.ID,
			Payload: json.RawMessage(`{"id": "` + c.ID + `"}`), OccurredAt: c.CreatedAt},
	}
}

// CreateCustomers writes each creation whole, leaves out one whose
// customer clashes with a stored one (its conflict at its index, naming
// the field) and writes the others, in and out of a transaction.
func testCreateCustomers(t *testing.T, newStore newStoreFunc) {
	s, stored := oneCustomer(t, newStore)
	ctx := t.Context()
	fresh := []*customer.Customer{newCustomer(t, "Fresh One"), newCustomer(t, "Fresh Two"), newCustomer(t, "Fresh Three")}
	clash := newCustomer(t, "Clash")
	clash.Email = stored.Email
	all := []customer.Creation{creationOf(t, fresh[0]), creationOf(t, clash), creationOf(t, fresh[1]), creationOf(t, fresh[2])}
	var errs []error
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		var err error
		errs, err = tx.CreateCustomers(ctx, all)
		return err
	})
	ok(t, "CreateCustomers", err)
	if len(errs) != len(all) {
		t.Fatalf("%d errors for %d creations", len(errs), len(all))
	}
	for i, e := range errs {
		if i == 1 {
			if crm.ErrorCode(e) != crm.CodeConflict || len(crm.ErrorFields(e)) != 1 || crm.ErrorFields(e)[0].Field != "email" {
				t.Errorf("the clash: %v, want conflict naming email", e)
			}
			continue
		}
		ok(t, "creation", e)
	}
	for _, c := range fresh {
		getBoth(t, s, c)
		history, err := s.ListStatusChanges(ctx, c.ID, 10)
		ok(t, "ListStatusChanges", err)
		audit, err := s.ListAudit(ctx, c.ID, "", 10)
		ok(t, "ListAudit", err)
		if len(history) != 1 || len(audit) != 1 || audit[0].Action != "create" {
			t.Errorf("customer %s: %d status changes, %d audit entries", c.Name, len(history), len(audit))
		}
	}
	if _, err := s.GetCustomer(ctx, clash.ID); crm.ErrorCode(err) != crm.CodeNotFound {
		t.Errorf("the clashing customer was stored: %v", err)
	}
	if audit, _ := s.ListAudit(ctx, clash.ID, "", 10); len(audit) != 0 {
		t.Errorf("the clashing creation wrote %d audit entries", len(audit))
	}
	events, err := s.ListEvents(ctx, "", 1000)
	ok(t, "ListEvents", err)
	n := 0
	for _, e := range events {
		if e.CustomerID == clash.ID {
			t.Errorf("the clashing creation wrote event %s", e.Type)
		}
		if e.Type == "customer.created" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d created events, want 3", n)
	}
	// Outside a transaction too; none is no error.
	more := newCustomer(t, "Outside")
	errs, err = s.CreateCustomers(ctx, []customer.Creation{creationOf(t, more)})
	ok(t, "CreateCustomers outside a transaction", err)
	ok(t, "the creation", errs[0])
	getBoth(t, s, more)
	// Only fresh ones, in a transaction (the store's fast path, COPY on
	// Postgres), then in one rolled back: nothing of it stays.
	batch := []*customer.Customer{newCustomer(t, "Batch One"), newCustomer(t, "Batch Two")}
	err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		errs, err := tx.CreateCustomers(ctx, []customer.Creation{creationOf(t, batch[0]), creationOf(t, batch[1])})
		if err == nil {
			err = errors.Join(errs...)
		}
		return err
	})
	ok(t, "CreateCustomers of fresh ones", err)
	for _, c := range batch {
		getBoth(t, s, c)
		if audit, _ := s.ListAudit(ctx, c.ID, "", 10); len(audit) != 1 {
			t.Errorf("customer %s: %d audit entries", c.Name, len(audit))
		}
	}
	undone := newCustomer(t, "Undone")
	errUndo := errors.New("undo")
	err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		if _, err := tx.CreateCustomers(ctx, []customer.Creation{creationOf(t, undone)}); err != nil {
			return err
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatalf("rolled back transaction: %v", err)
	}
	if _, err := s.GetCustomer(ctx, undone.ID); crm.ErrorCode(err) != crm.CodeNotFound {
		t.Errorf("a creation rolled back was stored: %v", err)
	}
	if audit, _ := s.ListAudit(ctx, undone.ID, "", 10); len(audit) != 0 {
		t.Errorf("a creation rolled back left %d audit entries", len(audit))
	}
	// A clash outside a transaction names its field too.
	late := newCustomer(t, "Late Clash")
	late.Phone = stored.Phone
	errs, err = s.CreateCustomers(ctx, []customer.Creation{creationOf(t, late)})
	ok(t, "CreateCustomers of a clash outside a transaction", err)
	if crm.ErrorCode(errs[0]) != crm.CodeConflict || len(crm.ErrorFields(errs[0])) != 1 || crm.ErrorFields(errs[0])[0].Field != "phone" {
		t.Errorf("the clash outside a transaction: %v, want conflict naming phone", errs[0])
	}
	errs, err = s.CreateCustomers(ctx, nil)
	if err != nil || len(errs) != 0 {
		t.Errorf("no creations: %v %v", errs, err)
	}
}
