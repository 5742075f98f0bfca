package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// eraseTests pin the erasers a customer deletion runs: each removes or
// redacts one customer's records, leaves other customers' alone, and rolls
// back with its transaction.
var eraseTests = []test{
	{"Contacts", testDeleteContactsOf},
	{"Documents", testDeleteDocumentsOf},
	{"Verifications", testDeleteVerificationsOf},
	{"StatusNotes", testRedactStatusNotes},
	{"Events", testRedactEvents},
	{"PruneEvents", testPruneEvents},
}

func testDeleteContactsOf(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	var ofA []contact.Contact
	for _, typ := range contact.Types {
		v := newPrimaryContact(t, a.ID, typ)
		ok(t, "CreateContact", s.CreateContact(ctx, v))
		ofA = append(ofA, *v)
	}
	ofA = contacts.sorted(ofA)
	ofB := newContact(t, b.ID, contact.TypeBilling)
	ok(t, "CreateContact", s.CreateContact(ctx, ofB))

	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "DeleteContactsOf", s.DeleteContactsOf(ctx, a.ID))
		check(t, "contacts inside the erasing transaction", []contact.Contact(nil), listContacts(t, s, a.ID, ""))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "contacts after a rolled-back erasure", ofA, listContacts(t, s, a.ID, ""))

	ok(t, "DeleteContactsOf", s.DeleteContactsOf(ctx, a.ID))
	check(t, "contacts after erasure", []contact.Contact(nil), listContacts(t, s, a.ID, ""))
	for _, v := range ofA {
		_, err := s.GetContact(ctx, a.ID, v.ID)
		wantCode(t, "GetContact after erasure", err, crm.CodeNotFound)
		_, err = s.GetPrimaryContact(ctx, a.ID, v.Type)
		wantCode(t, "GetPrimaryContact after erasure", err, crm.CodeNotFound)
	}
	check(t, "other customer's contacts", []contact.Contact{*ofB}, listContacts(t, s, b.ID, ""))
	ok(t, "DeleteContactsOf (none left)", s.DeleteContactsOf(ctx, a.ID))
}

func testDeleteDocumentsOf(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	da1, da2, db := newDocument(t, a.ID), newDocument(t, a.ID), newDocument(t, b.ID)
	createDocs(t, s, da1, da2, db)

	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "DeleteDocumentsOf", s.DeleteDocumentsOf(ctx, a.ID))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "document after a rolled-back erasure", da1, getDoc(t, s, a.ID, da1.ID))

	ok(t, "DeleteDocumentsOf", s.DeleteDocumentsOf(ctx, a.ID))
	for _, d := range []*document.Document{da1, da2} {
		_, err := s.GetDocument(ctx, a.ID, d.ID)
		wantCode(t, "GetDocument of an erased customer's document", err, crm.CodeNotFound)
	}
	rows, err := s.ListDocuments(ctx, a.ID, document.Filter{})
	ok(t, "ListDocuments of an erased customer", err)
	check(t, "ListDocuments of an erased customer", []document.Document(nil), rows)
	keys, err := s.ExistingObjectKeys(ctx, []string{da1.ObjectKey, db.ObjectKey})
	ok(t, "ExistingObjectKeys", err)
	check(t, "ExistingObjectKeys after erasure", []string{db.ObjectKey}, keys)
	check(t, "other customer's document", db, getDoc(t, s, b.ID, db.ID))
}

func testDeleteVerificationsOf(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	var ofA []verify.Verification
	for _, kind := range []verify.Kind{verify.KindIdentity, verify.KindCredit, verify.KindAddress} {
		v := newVerification(t, a.ID, kind)
		createVerifications(t, s, v)
		ofA = append(ofA, *v)
	}
	ofA = verifications.sorted(ofA)
	ofB := newVerification(t, b.ID, verify.KindIdentity)
	createVerifications(t, s, ofB)
	list := func(customerID string) []verify.Verification {
		t.Helper()
		rows, err := s.ListVerifications(ctx, customerID, "", 0)
		ok(t, "ListVerifications", err)
		return rows
	}

	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "DeleteVerificationsOf", s.DeleteVerificationsOf(ctx, a.ID))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "verifications after a rolled-back erasure", ofA, list(a.ID))

	ok(t, "DeleteVerificationsOf", s.DeleteVerificationsOf(ctx, a.ID))
	check(t, "verifications after erasure", []verify.Verification(nil), list(a.ID))
	for _, v := range ofA {
		_, err := s.GetVerification(ctx, a.ID, v.ID)
		wantCode(t, "GetVerification after erasure", err, crm.CodeNotFound)
		_, err = s.LatestVerification(ctx, a.ID, v.Kind, "", "")
		wantCode(t, "LatestVerification after erasure", err, crm.CodeNotFound)
	}
	due, err := s.DueVerifications(ctx, at(time.Hour), 0)
	ok(t, "DueVerifications", err)
	check(t, "due after erasure", []verify.Verification{*ofB}, due)
	check(t, "other customer's verifications", []verify.Verification{*ofB}, list(b.ID))
	ok(t, "DeleteVerificationsOf (none left)", s.DeleteVerificationsOf(ctx, a.ID))
}

func testRedactStatusNotes(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	entry := func(c *customer.Customer, notes string, d time.Duration) customer.StatusChange {
		sc := customer.StatusChange{ID: newID(t), CustomerID: c.ID, From: customer.StatusActive, To: customer.StatusSuspended,
			Reason: customer.ReasonFraud, Notes: notes, ActorID: "key_1", At: at(d)}
		ok(t, "InsertStatusChange", s.InsertStatusChange(ctx, &sc))
		return sc
	}
	withNotes, without, ofB := entry(a, "called from +1 555 0100", 0), entry(a, "", time.Hour), entry(b, "keep me", 0)

	ok(t, "RedactStatusNotes", s.RedactStatusNotes(ctx, a.ID))
	withNotes.Notes = crm.Redacted
	got, err := s.ListStatusChanges(ctx, a.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "history after redaction", []customer.StatusChange{withNotes, without}, got)
	got, err = s.ListStatusChanges(ctx, b.ID, 10)
	ok(t, "ListStatusChanges", err)
	check(t, "other customer's history", []customer.StatusChange{ofB}, got)
}

func testRedactEvents(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	contactID := newID(t)
	events := []crm.Event{
		{Type: "customer.created", CustomerID: a.ID, Payload: json.RawMessage(`{"id": "` + a.ID + `", "name": "Ann Lee", "email": "ann@example.com"}`)},
		{Type: "contact.created", CustomerID: a.ID, Payload: json.RawMessage(`{"id": "` + contactID + `", "customer_id": "` + a.ID + `", "phone": "+15550100"}`)},
		{Type: "customer.created", CustomerID: b.ID, Payload: json.RawMessage(`{"id": "` + b.ID + `", "name": "Bo"}`)},
	}
	for i := range events {
		events[i].ID, events[i].OccurredAt = newID(t), at(time.Duration(i)*time.Second)
		ok(t, "InsertEvent", s.InsertEvent(ctx, &events[i]))
	}
	ok(t, "RedactEvents", s.RedactEvents(ctx, a.ID))
	want := append([]crm.Event(nil), events...)
	want[0].Payload = json.RawMessage(`{"id": "` + a.ID + `", "customer_id": "` + a.ID + `"}`)
	want[1].Payload = json.RawMessage(`{"id": "` + contactID + `", "customer_id": "` + a.ID + `"}`)
	got, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events after redaction", want, got)
}

func testPruneEvents(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "A")
	create(t, s, c)
	var events []crm.Event
	for i := range 4 {
		e := crm.Event{ID: newID(t), Type: "customer.updated", CustomerID: c.ID, Payload: json.RawMessage(`{}`), OccurredAt: at(time.Duration(i) * time.Hour)}
		ok(t, "InsertEvent", s.InsertEvent(ctx, &e))
		events = append(events, e)
	}
	n, err := s.PruneEvents(ctx, at(2*time.Hour))
	ok(t, "PruneEvents", err)
	check(t, "pruned", 2, n)
	got, err := s.ListEvents(ctx, "", 10)
	ok(t, "ListEvents", err)
	check(t, "events after pruning", events[2:], got)
}
