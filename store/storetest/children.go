package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/store"
)

// child describes a record that belongs to a customer (a service, a contact,
// a document) to the cases every such record shares: a missing or another
// customer's record is not_found, a create needs the customer and a free
// id, an update needs the version before it, a list pages by id, and no
// value shares memory with the store. Each record's own file declares one
// and adds the cases that are its own.
type child[T any] struct {
	// name is the record's name in the store's methods: "Subscription" for
	// CreateSubscription.
	name string
	// new returns a valid record of the customer at version 1 with every
	// field set, pointers included, so scribble can reach them.
	new func(t testing.TB, customerID string) *T
	// vary makes the i-th record of a list differ from the others in what
	// a plain list must not filter on (status, type).
	vary func(v *T, i int)
	// change changes every field an update may change, UpdatedAt included.
	change func(v *T)
	// scribble changes every part of v that a shallow copy would share
	// with the store.
	scribble func(v *T)
	// key returns where v keeps its id, its customer's id and its version.
	key func(v *T) (id, customerID *string, version *int64)
	// liveCustomer is set when a create for a deleted customer is
	// not_found; without it the store may accept one, as a foreign key does.
	liveCustomer bool

	// The store's methods for the record, as method expressions
	// (store.Store.CreateSubscription) where their signatures allow.
	create func(s store.Store, ctx context.Context, v *T) error
	get    func(s store.Store, ctx context.Context, customerID, id string) (*T, error)
	update func(s store.Store, ctx context.Context, v *T) error
	// list lists the customer's records, all when limit <= 0, strictly
	// past the record cursor in list order ("" for the first page).
	list func(s store.Store, ctx context.Context, customerID, cursor string, limit int) ([]T, error)
	// newestFirst is set when list orders by id descending (a history);
	// without it, lists are by id.
	newestFirst bool
}

// tests returns the shared cases for the record.
func (e child[T]) tests() []test {
	return []test{
		{"NotFound", e.testNotFound},
		{"Create", e.testCreate},
		{"Update", e.testUpdate},
		{"List", e.testList},
		{"Aliasing", e.testAliasing},
	}
}

func (e child[T]) id(v *T) string {
	id, _, _ := e.key(v)
	return *id
}

// sorted returns vs in the order of the store's lists: by id, descending
// when newestFirst.
func (e child[T]) sorted(vs []T) []T {
	slices.SortFunc(vs, func(x, y T) int {
		if e.newestFirst {
			x, y = y, x
		}
		return strings.Compare(e.id(&x), e.id(&y))
	})
	return vs
}

// mustCreate creates records, failing the test on any error.
func (e child[T]) mustCreate(t *testing.T, s store.Store, vs ...*T) {
	t.Helper()
	for _, v := range vs {
		ok(t, "Create"+e.name, e.create(s, t.Context(), v))
	}
}

// mustGet reads a record, failing the test on error.
func (e child[T]) mustGet(t *testing.T, s store.Store, customerID, id string) *T {
	t.Helper()
	got, err := e.get(s, t.Context(), customerID, id)
	ok(t, "Get"+e.name, err)
	return got
}

// A record is found only under its own customer.
func (e child[T]) testNotFound(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	v := e.new(t, a.ID)
	e.mustCreate(t, s, v)
	for _, tc := range []struct{ name, customerID, id string }{
		{"missing", a.ID, newID(t)},
		{"other customer's", b.ID, e.id(v)},
		{"unknown customer", newID(t), e.id(v)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.get(s, t.Context(), tc.customerID, tc.id)
			wantCode(t, "Get"+e.name, err, crm.CodeNotFound)
		})
	}
}

// A create needs a customer that exists (and is not deleted, where the
// record says so) and an id no record has; a refused duplicate leaves the
// first record as it was.
func (e child[T]) testCreate(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, gone := newCustomer(t, "A"), newCustomer(t, "Gone")
	create(t, s, a, gone)
	remove(t, s, gone)
	v := e.new(t, a.ID)
	e.mustCreate(t, s, v)

	dup := e.new(t, a.ID)
	id, _, _ := e.key(dup)
	*id = e.id(v)
	wantCode(t, "Create"+e.name+" with a taken id", e.create(s, ctx, dup), crm.CodeConflict)
	check(t, e.name+" after a refused duplicate", v, e.mustGet(t, s, a.ID, e.id(v)))

	wantCode(t, "Create"+e.name+" for an unknown customer", e.create(s, ctx, e.new(t, newID(t))), crm.CodeNotFound)
	if e.liveCustomer {
		wantCode(t, "Create"+e.name+" for a deleted customer", e.create(s, ctx, e.new(t, gone.ID)), crm.CodeNotFound)
	}
}

// An update stores every field when it names the version after the stored
// one, and changes nothing at another version or for a record the customer
// does not have.
func (e child[T]) testUpdate(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	v := e.new(t, a.ID)
	e.mustCreate(t, s, v)

	u := deepCopy(v)
	e.change(u)
	_, _, version := e.key(u)
	*version = 2
	ok(t, "Update"+e.name, e.update(s, ctx, u))
	check(t, "Get"+e.name+" after update", u, e.mustGet(t, s, a.ID, e.id(v)))

	for _, tc := range []struct {
		name   string
		change func(id, customerID *string, version *int64)
		code   crm.Code
	}{
		{"stale version", func(_, _ *string, v *int64) { *v = 2 }, crm.CodePreconditionFailed},
		{"version skipped ahead", func(_, _ *string, v *int64) { *v = 4 }, crm.CodePreconditionFailed},
		{"missing", func(id, _ *string, _ *int64) { *id = newID(t) }, crm.CodeNotFound},
		{"other customer's", func(_, c *string, _ *int64) { *c = b.ID }, crm.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The values before the update: every changeable field differs.
			w := deepCopy(v)
			_, _, version := e.key(w)
			*version = 3
			tc.change(e.key(w))
			wantCode(t, "Update"+e.name, e.update(s, ctx, w), tc.code)
			check(t, "Get"+e.name+" after a refused update", u, e.mustGet(t, s, a.ID, e.id(v)))
		})
	}
}

// A list holds only the customer's own records, in id order (descending
// when newestFirst), and pages without skipping or repeating.
func (e child[T]) testList(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	var want []T
	ids := newIDs(t, 7)
	// Created out of id order; the list is by id.
	for i, j := range []int{3, 0, 6, 1, 4, 2, 5} {
		owner := a.ID
		if i%3 == 2 {
			owner = b.ID
		}
		v := e.new(t, owner)
		e.vary(v, i)
		id, _, _ := e.key(v)
		*id = ids[j]
		e.mustCreate(t, s, v)
		if owner == a.ID {
			want = append(want, *v)
		}
	}
	want = e.sorted(want)

	for _, limit := range []int{0, 100} {
		all, err := e.list(s, ctx, a.ID, "", limit)
		ok(t, "List"+e.name+"s", err)
		check(t, "List"+e.name+"s", want, all)
	}
	checkPages(t, "List"+e.name+"s pages", want, e.id, func(cursor string, limit int) ([]T, error) {
		return e.list(s, ctx, a.ID, cursor, limit)
	})
	rest, err := e.list(s, ctx, a.ID, e.id(&want[len(want)-1]), 10)
	ok(t, "List"+e.name+"s past the last", err)
	check(t, "List"+e.name+"s past the last", []T(nil), rest)
	none, err := e.list(s, ctx, newID(t), "", 10)
	ok(t, "List"+e.name+"s of an unknown customer", err)
	check(t, "List"+e.name+"s of an unknown customer", []T(nil), none)
}

// checkPages reads want through list in pages of 1, 2 and 4, each past
// the id of the last row of the one before, and checks that the pages add
// up to want.
func checkPages[T any](t *testing.T, what string, want []T, id func(*T) string, list func(cursor string, limit int) ([]T, error)) {
	t.Helper()
	for _, limit := range []int{1, 2, 4} {
		var got []T
		cursor := ""
		for range 100 {
			rows, err := list(cursor, limit)
			ok(t, what, err)
			got = append(got, rows...)
			if len(rows) < limit {
				break
			}
			cursor = id(&rows[len(rows)-1])
		}
		check(t, what, want, got)
	}
}

// Neither the value passed to a create or an update nor the ones returned
// by reads share memory with what is stored.
func (e child[T]) testAliasing(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	in := e.new(t, c.ID)
	want, id := deepCopy(in), e.id(in)
	e.mustCreate(t, s, in)
	e.scribble(in)
	check(t, "after changing the input", want, e.mustGet(t, s, c.ID, id))

	e.scribble(e.mustGet(t, s, c.ID, id))
	check(t, "after changing a read", want, e.mustGet(t, s, c.ID, id))

	rows, err := e.list(s, ctx, c.ID, "", 10)
	ok(t, "List"+e.name+"s", err)
	check(t, "List"+e.name+"s", []T{*want}, rows)
	e.scribble(&rows[0])
	check(t, "after changing a listed one", want, e.mustGet(t, s, c.ID, id))

	up := deepCopy(want)
	_, _, version := e.key(up)
	*version++
	want = deepCopy(up)
	ok(t, "Update"+e.name, e.update(s, ctx, up))
	e.scribble(up)
	check(t, "after changing the update", want, e.mustGet(t, s, c.ID, id))
}
