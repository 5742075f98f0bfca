package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var aliasTests = []test{
	{"Customer", testCustomerAliasing},
	{"Records", testRecordAliasing},
}

// scribble changes every field of c that a shallow copy would share with
// the store: nested structs behind pointers, slices, pointed-to times.
func scribble(c *customer.Customer) {
	c.Name = "scribbled"
	c.BillingAddress.Coordinates.Latitude = -1
	c.ServiceAddress.City = "scribbled"
	c.ServiceAddress.Coordinates.Longitude = -1
	c.TaxID.Ciphertext[0] = 'S'
	c.TaxID.BlindIndex = "scribbled"
	*c.CreditScore = 1
	c.EmergencyContact.Name = "scribbled"
	c.Suspension.Notes = "scribbled"
	*c.Suspension.Until = time.Time{}
}

// Neither the value passed to CreateCustomer or UpdateCustomer nor the ones
// returned by reads share memory with what is stored.
func testCustomerAliasing(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	id, n := newID(t), seq.Add(1)
	want := fullCustomer(id, n)

	in := fullCustomer(id, n)
	ok(t, "CreateCustomer", s.CreateCustomer(ctx, in))
	scribble(in)
	getBoth(t, s, want)

	got, err := s.GetCustomer(ctx, id)
	ok(t, "GetCustomer", err)
	scribble(got)
	getBoth(t, s, want)

	rows, err := s.ListCustomers(ctx, customer.Filter{Limit: 10})
	ok(t, "ListCustomers", err)
	check(t, "ListCustomers", []customer.Customer{*want}, rows)
	scribble(&rows[0])
	getBoth(t, s, want)

	err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		got, err := tx.LockCustomer(ctx, id)
		if err != nil {
			return err
		}
		scribble(got)
		return nil
	})
	ok(t, "RunInTx(LockCustomer)", err)
	getBoth(t, s, want)

	up := fullCustomer(id, n)
	up.Version++
	want.Version++
	ok(t, "UpdateCustomer", s.UpdateCustomer(ctx, up))
	scribble(up)
	getBoth(t, s, want)
}

// Audit entries, history entries, events and idempotency records are copied
// too.
func testRecordAliasing(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()

	auditID := newID(t)
	mkAudit := func() *crm.AuditEntry { e := newAudit(t, c.ID, 0); e.ID = auditID; return e }
	in := mkAudit()
	ok(t, "InsertAudit", s.InsertAudit(ctx, in))
	in.Changes[0].Field = "scribbled"
	in.Changes[0].After[1] = 'X'
	audit, err := s.ListAudit(ctx, c.ID, "", 10)
	ok(t, "ListAudit", err)
	check(t, "audit after changing the input", []crm.AuditEntry{*mkAudit()}, audit)
	audit[0].Changes[0].Before[1] = 'X'
	audit, err = s.ListAudit(ctx, c.ID, "", 10)
	ok(t, "ListAudit", err)
	check(t, "audit after changing a read", []crm.AuditEntry{*mkAudit()}, audit)

	until := at(time.Hour)
	sc := &customer.StatusChange{ID: newID(t), CustomerID: c.ID, From: customer.StatusActive, To: customer.StatusSuspended,
		Reason: customer.ReasonFraud, Until: &until, ActorID: "k", At: base}
	want := *sc
	want.Until = ptr(until)
	ok(t, "InsertStatusChange", s.InsertStatusChange(ctx, sc))
	*sc.Until = time.Time{}
	history, err := s.ListStatusChanges(ctx, c.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "history after changing the input", []customer.StatusChange{want}, history)
	*history[0].Until = time.Time{}
	history, err = s.ListStatusChanges(ctx, c.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "history after changing a read", []customer.StatusChange{want}, history)

	eventID := newID(t)
	mkEvent := func() *crm.Event {
		return &crm.Event{ID: eventID, Type: "customer.created", CustomerID: c.ID, Payload: []byte(`{"name": "abc"}`), OccurredAt: base}
	}
	ev := mkEvent()
	ok(t, "InsertEvent", s.InsertEvent(ctx, ev))
	ev.Payload[10] = 'X'
	events, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events after changing the input", []crm.Event{*mkEvent()}, events)
	events[0].Payload[10] = 'X'
	events, err = s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events after changing a read", []crm.Event{*mkEvent()}, events)

	mkRec := func() *crm.IdempotencyRecord {
		return &crm.IdempotencyRecord{Scope: "k", Key: "key", RequestHash: "h", Done: true, Status: 200,
			Header: []byte(`{"A": ["b"]}`), Body: []byte("body"), CreatedAt: base}
	}
	_, err = s.ClaimIdempotencyKey(ctx, mkRec(), base)
	ok(t, "ClaimIdempotencyKey", err)
	rec := mkRec()
	ok(t, "FinishIdempotencyKey", s.FinishIdempotencyKey(ctx, rec))
	rec.Body[0], rec.Header[2] = 'X', 'X'
	got, err := s.ClaimIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "k", Key: "key", CreatedAt: base}, base)
	ok(t, "ClaimIdempotencyKey", err)
	check(t, "record after changing the input", mkRec(), got)
	got.Body[0], got.Header[2] = 'X', 'X'
	got, err = s.ClaimIdempotencyKey(ctx, &crm.IdempotencyRecord{Scope: "k", Key: "key", CreatedAt: base}, base)
	ok(t, "ClaimIdempotencyKey", err)
	check(t, "record after changing a read", mkRec(), got)
}
