package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/store"
)

var contactTests = []test{
	{"RoundTrip", testContactRoundTrip},
	{"NotFound", testContactNotFound},
	{"Update", testUpdateContact},
	{"Delete", testDeleteContact},
	{"List", testListContacts},
	{"OnePrimaryPerType", testOnePrimaryPerType},
	{"PrimarySwapInTx", testPrimarySwapInTx},
	{"Rollback", testContactRollback},
	{"Aliasing", testContactAliasing},
}

// newPrimaryContact is newContact made the primary contact of its type.
func newPrimaryContact(t *testing.T, customerID string, typ contact.Type) *contact.Contact {
	c := newContact(t, customerID, typ)
	c.IsPrimary = true
	return c
}

// getContact reads a contact, failing the test on error.
func getContact(t *testing.T, s store.Store, customerID, id string) *contact.Contact {
	t.Helper()
	got, err := s.GetContact(t.Context(), customerID, id)
	ok(t, "GetContact", err)
	return got
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
	s := newStore(t)
	c := newCustomer(t, "Owner")
	create(t, s, c)
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
}

func testContactNotFound(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b, gone := newCustomer(t, "A"), newCustomer(t, "B"), newCustomer(t, "Gone")
	create(t, s, a, b, gone)
	remove(t, s, gone)
	v := newContact(t, a.ID, contact.TypeBilling)
	ok(t, "CreateContact", s.CreateContact(ctx, v))
	for _, tc := range []struct{ name, customerID, id string }{
		{"missing", a.ID, newID(t)},
		{"other customer's", b.ID, v.ID},
		{"unknown customer", newID(t), v.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.GetContact(ctx, tc.customerID, tc.id)
			wantCode(t, "GetContact", err, crm.CodeNotFound)
		})
	}
	_, err := s.GetPrimaryContact(ctx, a.ID, contact.TypeBilling)
	wantCode(t, "GetPrimaryContact without a primary contact", err, crm.CodeNotFound)

	wantCode(t, "CreateContact for an unknown customer", s.CreateContact(ctx, newContact(t, newID(t), contact.TypeBilling)), crm.CodeNotFound)
	wantCode(t, "CreateContact for a deleted customer", s.CreateContact(ctx, newContact(t, gone.ID, contact.TypeBilling)), crm.CodeNotFound)
	dup := newContact(t, a.ID, contact.TypeTechnical)
	dup.ID = v.ID
	wantCode(t, "CreateContact with a taken id", s.CreateContact(ctx, dup), crm.CodeConflict)
	check(t, "contact after a refused duplicate", v, getContact(t, s, a.ID, v.ID))
}

func testUpdateContact(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	v := newContact(t, a.ID, contact.TypeBilling)
	ok(t, "CreateContact", s.CreateContact(ctx, v))

	u := *v
	u.Name, u.Title, u.Email, u.Phone, u.Mobile = "Kim Lee", "", "kim@example.org", "", "+13035550111"
	u.Type, u.IsPrimary, u.CanAuthorizeChanges = contact.TypeTechnical, true, false
	u.PreferredContactMethod, u.Notes = "email", ""
	u.Version, u.UpdatedAt = 2, at(time.Hour)
	ok(t, "UpdateContact", s.UpdateContact(ctx, &u))
	check(t, "GetContact after update", &u, getContact(t, s, a.ID, v.ID))

	for _, tc := range []struct {
		name   string
		change func(c *contact.Contact)
		code   crm.Code
	}{
		{"stale version", func(c *contact.Contact) { c.Version = 2 }, crm.CodePreconditionFailed},
		{"version skipped ahead", func(c *contact.Contact) { c.Version = 4 }, crm.CodePreconditionFailed},
		{"missing", func(c *contact.Contact) { c.ID = newID(t) }, crm.CodeNotFound},
		{"other customer's", func(c *contact.Contact) { c.CustomerID = b.ID }, crm.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := u
			c.Version++
			c.Name = "Changed"
			tc.change(&c)
			wantCode(t, "UpdateContact", s.UpdateContact(ctx, &c), tc.code)
			check(t, "GetContact after failed update", &u, getContact(t, s, a.ID, v.ID))
		})
	}
}

func testDeleteContact(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	v, keep := newContact(t, a.ID, contact.TypeBilling), newContact(t, a.ID, contact.TypeBilling)
	v.Version = 3
	for _, c := range []*contact.Contact{v, keep} {
		ok(t, "CreateContact", s.CreateContact(ctx, c))
	}
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

func testListContacts(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	var want, billing []contact.Contact
	ids := newIDs(t, 9)
	// Inserted out of id order; the list is by id.
	for i, j := range []int{4, 0, 8, 1, 6, 3, 7, 2, 5} {
		owner := a.ID
		if i%4 == 3 {
			owner = b.ID
		}
		c := newContact(t, owner, contact.Types[i%len(contact.Types)])
		c.ID = ids[j]
		ok(t, "CreateContact", s.CreateContact(ctx, c))
		if owner == a.ID {
			want = append(want, *c)
			if c.Type == contact.TypeBilling {
				billing = append(billing, *c)
			}
		}
	}
	byID := func(x, y contact.Contact) int { return strings.Compare(x.ID, y.ID) }
	slices.SortFunc(want, byID)
	slices.SortFunc(billing, byID)
	if len(billing) < 2 {
		t.Fatalf("fixture has %d billing contacts of A, want at least 2", len(billing))
	}

	check(t, "ListContacts", want, listContacts(t, s, a.ID, ""))
	check(t, "ListContacts(billing)", billing, listContacts(t, s, a.ID, contact.TypeBilling))
	for _, tc := range []struct {
		typ  contact.Type
		want []contact.Contact
	}{{"", want}, {contact.TypeBilling, billing}} {
		for _, limit := range []int{1, 2, 4} {
			var got []contact.Contact
			after := ""
			for page := 0; page < 100; page++ {
				rows, err := s.ListContacts(ctx, a.ID, tc.typ, after, limit)
				ok(t, "ListContacts", err)
				got = append(got, rows...)
				if len(rows) < limit {
					break
				}
				after = rows[len(rows)-1].ID
			}
			check(t, "ListContacts pages of type "+string(tc.typ), tc.want, got)
		}
	}

	rest, err := s.ListContacts(ctx, a.ID, "", want[len(want)-1].ID, 10)
	ok(t, "ListContacts after last", err)
	check(t, "ListContacts after last", []contact.Contact(nil), rest)
	check(t, "ListContacts of unknown customer", []contact.Contact(nil), listContacts(t, s, newID(t), ""))
}

// A customer has at most one primary contact per type, on create and on
// update; other types, non-primary contacts and other customers are free.
func testOnePrimaryPerType(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
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
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
	oldP, newP := newPrimaryContact(t, c.ID, contact.TypeEmergency), newContact(t, c.ID, contact.TypeEmergency)
	for _, v := range []*contact.Contact{oldP, newP} {
		ok(t, "CreateContact", s.CreateContact(ctx, v))
	}
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
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
	kept, doomed := newContact(t, c.ID, contact.TypeBilling), newContact(t, c.ID, contact.TypeTechnical)
	for _, v := range []*contact.Contact{kept, doomed} {
		ok(t, "CreateContact", s.CreateContact(ctx, v))
	}
	added := newPrimaryContact(t, c.ID, contact.TypePrimary)
	err := s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "CreateContact", s.CreateContact(ctx, added))
		u := *kept
		u.Name, u.Version = "Changed", 2
		ok(t, "UpdateContact", s.UpdateContact(ctx, &u))
		ok(t, "DeleteContact", s.DeleteContact(ctx, c.ID, doomed.ID, 1))
		check(t, "contacts inside the transaction", sortedContacts([]contact.Contact{*added, u}), listContacts(t, s, c.ID, ""))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "contacts after rollback", sortedContacts([]contact.Contact{*kept, *doomed}), listContacts(t, s, c.ID, ""))
	// The rolled-back primary no longer holds its place.
	ok(t, "CreateContact(primary again)", s.CreateContact(ctx, added))
}

// sortedContacts returns cs in id order, the order of ListContacts.
func sortedContacts(cs []contact.Contact) []contact.Contact {
	slices.SortFunc(cs, func(x, y contact.Contact) int { return strings.Compare(x.ID, y.ID) })
	return cs
}

// Neither the value passed to CreateContact or UpdateContact nor the ones
// returned by reads share memory with what is stored.
func testContactAliasing(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
	id := newID(t)
	mk := func() *contact.Contact {
		v := newContact(t, c.ID, contact.TypeTechnical)
		v.ID, v.Email, v.Phone, v.Mobile, v.IsPrimary = id, "fixed@example.net", "+17205550100", "+13035550100", true
		return v
	}
	scribble := func(v *contact.Contact) { v.Name, v.Email, v.IsPrimary = "scribbled", "x@x.example", false }
	want := mk()
	in := mk()
	ok(t, "CreateContact", s.CreateContact(ctx, in))
	scribble(in)
	check(t, "after changing the input", want, getContact(t, s, c.ID, id))

	scribble(getContact(t, s, c.ID, id))
	check(t, "after changing a read", want, getContact(t, s, c.ID, id))

	rows := listContacts(t, s, c.ID, "")
	scribble(&rows[0])
	primary, err := s.GetPrimaryContact(ctx, c.ID, contact.TypeTechnical)
	ok(t, "GetPrimaryContact", err)
	scribble(primary)
	check(t, "after changing a listed one and the primary", want, getContact(t, s, c.ID, id))

	up := mk()
	up.Version++
	want.Version++
	ok(t, "UpdateContact", s.UpdateContact(ctx, up))
	scribble(up)
	check(t, "after changing the update", want, getContact(t, s, c.ID, id))
}
