package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/store"
)

// contacts is the contact to the cases every customer's record shares.
var contacts = child[contact.Contact]{
	name: "Contact",
	new: func(t testing.TB, customerID string) *contact.Contact {
		return newContact(t, customerID, contact.TypeBilling)
	},
	vary: func(v *contact.Contact, i int) { v.Type = contact.Types[i%len(contact.Types)] },
	change: func(v *contact.Contact) {
		v.Name, v.Title, v.Email, v.Phone, v.Mobile = "Kim Lee", "", "kim@example.org", "", "+13035550111"
		v.Type, v.IsPrimary, v.CanAuthorizeChanges = contact.TypeTechnical, true, false
		v.PreferredContactMethod, v.Notes, v.UpdatedAt = "email", "", at(time.Hour)
	},
	scribble:     func(v *contact.Contact) { v.Name, v.Email, v.IsPrimary = "scribbled", "x@x.example", !v.IsPrimary },
	key:          func(v *contact.Contact) (*string, *string, *int64) { return &v.ID, &v.CustomerID, &v.Version },
	liveCustomer: true,
	create:       store.Store.CreateContact,
	get:          store.Store.GetContact,
	update:       store.Store.UpdateContact,
	list: func(s store.Store, ctx context.Context, customerID, afterID string, limit int) ([]contact.Contact, error) {
		return s.ListContacts(ctx, customerID, "", afterID, limit)
	},
}

var contactTests = append(contacts.tests(),
	test{"RoundTrip", testContactRoundTrip},
	test{"NoPrimary", testNoPrimaryContact},
	test{"Delete", testDeleteContact},
	test{"ListByType", testListContactsByType},
	test{"OnePrimaryPerType", testOnePrimaryPerType},
	test{"PrimarySwapInTx", testPrimarySwapInTx},
	test{"Rollback", testContactRollback},
)

// newPrimaryContact is newContact made the primary contact of its type.
func newPrimaryContact(t *testing.T, customerID string, typ contact.Type) *contact.Contact {
	c := newContact(t, customerID, typ)
	c.IsPrimary = true
	return c
}

// getContact reads a contact, failing the test on error.
func getContact(t *testing.T, s store.Store, customerID, id string) *contact.Contact {
	t.Helper()
	return contacts.mustGet(t, s, customerID, id)
}

// listContacts lists all contacts of the customer (of type typ unless "").
func listContacts(t *testing.T, s store.Store, customerID string, typ contact.Type) []contact.Contact {
	t.Helper()
	got, err := s.ListContacts(t.Context(), customerID, typ, "", 0)
	ok(t, "ListContacts", err)
	return got
}

// wantPrimaryConflict fails the test unless err is the conflict of a
// second primary contact of type typ.
func wantPrimaryConflict(t *testing.T, what string, err error, typ contact.Type) {
	t.Helper()
	wantCode(t, what, err, crm.CodeConflict)
	check(t, what+": fields", contact.PrimaryConflict(typ).Fields, crm.ErrorFields(err))
}

func testContactRoundTrip(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	full := newContact(t, c.ID, contact.TypeTechnical)
	full.IsPrimary, full.Version, full.UpdatedAt = true, 4, at(time.Hour)
	bare := &contact.Contact{ID: newID(t), CustomerID: c.ID, Name: "B", Type: contact.TypeEmergency,
		Phone: "+13035550100", PreferredContactMethod: "phone", Version: 1, CreatedAt: base, UpdatedAt: base}
	for _, v := range []*contact.Contact{full, bare} {
		ok(t, "CreateContact", s.CreateContact(t.Context(), v))
		check(t, "GetContact", v, getContact(t, s, c.ID, v.ID))
	}
	primary, err := s.GetPrimaryContact(t.Context(), c.ID, contact.TypeTechnical)
	ok(t, "GetPrimaryContact", err)
	check(t, "GetPrimaryContact", full, primary)
	// The primary contact read shares no memory with the store either.
	contacts.scribble(primary)
	check(t, "after changing the primary contact read", full, getContact(t, s, c.ID, full.ID))
}

// A customer whose contacts of a type are none of them primary has no
// primary contact of that type.
func testNoPrimaryContact(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	a := newCustomer(t, "A")
	create(t, s, a)
	ok(t, "CreateContact", s.CreateContact(t.Context(), newContact(t, a.ID, contact.TypeBilling)))
	_, err := s.GetPrimaryContact(t.Context(), a.ID, contact.TypeBilling)
	wantCode(t, "GetPrimaryContact without a primary contact", err, crm.CodeNotFound)
}

func testDeleteContact(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	v, keep := newContact(t, a.ID, contact.TypeBilling), newContact(t, a.ID, contact.TypeBilling)
	v.Version = 3
	contacts.mustCreate(t, s, v, keep)
	wantCode(t, "DeleteContact at a stale version", s.DeleteContact(ctx, a.ID, v.ID, 2), crm.CodePreconditionFailed)
	wantCode(t, "DeleteContact of another customer's", s.DeleteContact(ctx, b.ID, v.ID, 3), crm.CodeNotFound)
	wantCode(t, "DeleteContact of a missing one", s.DeleteContact(ctx, a.ID, newID(t), 1), crm.CodeNotFound)
	check(t, "contact after failed deletes", v, getContact(t, s, a.ID, v.ID))

	ok(t, "DeleteContact", s.DeleteContact(ctx, a.ID, v.ID, 3))
	_, err := s.GetContact(ctx, a.ID, v.ID)
	wantCode(t, "GetContact after delete", err, crm.CodeNotFound)
	check(t, "contacts after delete", []contact.Contact{*keep}, listContacts(t, s, a.ID, ""))
	wantCode(t, "DeleteContact again", s.DeleteContact(ctx, a.ID, v.ID, 3), crm.CodeNotFound)
}

// Listing by type lists the customer's contacts of that type only, by id,
// and pages like the plain list.
func testListContactsByType(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	var billing []contact.Contact
	ids := newIDs(t, 9)
	// Created out of id order; the list is by id.
	for i, j := range []int{4, 0, 8, 1, 6, 3, 7, 2, 5} {
		owner := a.ID
		if i%4 == 3 {
			owner = b.ID
		}
		c := newContact(t, owner, contact.Types[i%len(contact.Types)])
		c.ID = ids[j]
		ok(t, "CreateContact", s.CreateContact(ctx, c))
		if owner == a.ID && c.Type == contact.TypeBilling {
			billing = append(billing, *c)
		}
	}
	billing = contacts.sorted(billing)
	if len(billing) < 2 {
		t.Fatalf("fixture has %d billing contacts of A, want at least 2", len(billing))
	}
	check(t, "ListContacts(billing)", billing, listContacts(t, s, a.ID, contact.TypeBilling))
	checkPages(t, "ListContacts(billing) pages", billing, contacts.id, func(after string, limit int) ([]contact.Contact, error) {
		return s.ListContacts(ctx, a.ID, contact.TypeBilling, after, limit)
	})
	check(t, "ListContacts(billing) of an unknown customer", []contact.Contact(nil), listContacts(t, s, newID(t), contact.TypeBilling))
}

// A customer has at most one primary contact per type, on create and on
// update; other types, non-primary contacts and other customers are free.
func testOnePrimaryPerType(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	first := newPrimaryContact(t, a.ID, contact.TypeBilling)
	ok(t, "CreateContact(primary billing)", s.CreateContact(ctx, first))

	second := newPrimaryContact(t, a.ID, contact.TypeBilling)
	wantPrimaryConflict(t, "CreateContact(second primary billing)", s.CreateContact(ctx, second), contact.TypeBilling)
	_, err := s.GetContact(ctx, a.ID, second.ID)
	wantCode(t, "GetContact of the refused contact", err, crm.CodeNotFound)

	for _, c := range []*contact.Contact{
		newContact(t, a.ID, contact.TypeBilling),          // not primary
		newPrimaryContact(t, a.ID, contact.TypeTechnical), // other type
		newPrimaryContact(t, b.ID, contact.TypeBilling),   // other customer
	} {
		ok(t, "CreateContact("+string(c.Type)+")", s.CreateContact(ctx, c))
	}

	// Promoting a non-primary billing contact, or moving the technical
	// primary to billing, clashes with first.
	second.IsPrimary = false
	ok(t, "CreateContact(non-primary)", s.CreateContact(ctx, second))
	promoted := *second
	promoted.IsPrimary, promoted.Version = true, 2
	wantPrimaryConflict(t, "UpdateContact(promote)", s.UpdateContact(ctx, &promoted), contact.TypeBilling)
	check(t, "contact after refused promotion", second, getContact(t, s, a.ID, second.ID))
	tech, err := s.GetPrimaryContact(ctx, a.ID, contact.TypeTechnical)
	ok(t, "GetPrimaryContact(technical)", err)
	moved := *tech
	moved.Type, moved.Version = contact.TypeBilling, tech.Version+1
	wantPrimaryConflict(t, "UpdateContact(move primary to billing)", s.UpdateContact(ctx, &moved), contact.TypeBilling)

	// The primary contact itself may be updated and stay primary.
	same := *first
	same.Name, same.Version = "Still Primary", 2
	ok(t, "UpdateContact(primary stays primary)", s.UpdateContact(ctx, &same))
	got, err := s.GetPrimaryContact(ctx, a.ID, contact.TypeBilling)
	ok(t, "GetPrimaryContact(billing)", err)
	check(t, "primary billing contact", &same, got)
}

// Swapping the primary contact of a type is two updates in one
// transaction, demoting before promoting; the store must accept it, and a
// rollback restores the old primary.
func testPrimarySwapInTx(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	oldP, newP := newPrimaryContact(t, c.ID, contact.TypeEmergency), newContact(t, c.ID, contact.TypeEmergency)
	contacts.mustCreate(t, s, oldP, newP)
	swap := func(ctx context.Context, s store.Store) (demoted, promoted contact.Contact) {
		demoted, promoted = *oldP, *newP
		demoted.IsPrimary, demoted.Version, demoted.UpdatedAt = false, 2, at(time.Hour)
		promoted.IsPrimary, promoted.Version, promoted.UpdatedAt = true, 2, at(time.Hour)
		ok(t, "UpdateContact(demote)", s.UpdateContact(ctx, &demoted))
		ok(t, "UpdateContact(promote)", s.UpdateContact(ctx, &promoted))
		got, err := s.GetPrimaryContact(ctx, c.ID, contact.TypeEmergency)
		ok(t, "GetPrimaryContact inside the transaction", err)
		check(t, "primary inside the transaction", &promoted, got)
		return demoted, promoted
	}

	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		swap(ctx, s)
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "contacts after rolled-back swap", []*contact.Contact{oldP, newP},
		[]*contact.Contact{getContact(t, s, c.ID, oldP.ID), getContact(t, s, c.ID, newP.ID)})

	var demoted, promoted contact.Contact
	ok(t, "RunInTx(swap)", s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		demoted, promoted = swap(ctx, s)
		return nil
	}))
	check(t, "demoted contact", &demoted, getContact(t, s, c.ID, oldP.ID))
	check(t, "promoted contact", &promoted, getContact(t, s, c.ID, newP.ID))
}

// Every contact write of a rolled-back transaction is undone: creates,
// updates and deletes.
func testContactRollback(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	kept, doomed := newContact(t, c.ID, contact.TypeBilling), newContact(t, c.ID, contact.TypeTechnical)
	contacts.mustCreate(t, s, kept, doomed)
	added := newPrimaryContact(t, c.ID, contact.TypePrimary)
	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "CreateContact", s.CreateContact(ctx, added))
		u := *kept
		u.Name, u.Version = "Changed", 2
		ok(t, "UpdateContact", s.UpdateContact(ctx, &u))
		ok(t, "DeleteContact", s.DeleteContact(ctx, c.ID, doomed.ID, 1))
		check(t, "contacts inside the transaction", contacts.sorted([]contact.Contact{*added, u}), listContacts(t, s, c.ID, ""))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "contacts after rollback", contacts.sorted([]contact.Contact{*kept, *doomed}), listContacts(t, s, c.ID, ""))
	// The rolled-back primary no longer holds its place.
	ok(t, "CreateContact(primary again)", s.CreateContact(ctx, added))
}
