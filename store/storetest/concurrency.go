package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var concurrencyTests = []test{
	{"Creates", testConcurrentCreates},
	{"SameEmail", testConcurrentSameEmail},
	{"SameExternalID", testConcurrentSameExternalID},
	{"UpdatesOfOneVersion", testConcurrentUpdates},
	{"LockedReadModifyWrite", testLockedIncrements},
}

// writers is how many goroutines write at once.
const writers = 8

// parallel runs fn(i) for i in [0, writers) at once and returns their
// errors, by i.
func parallel(fn func(i int) error) []error {
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func testConcurrentCreates(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	const each = 10
	var want []string
	made := make([][]*customer.Customer, writers)
	for i := range made {
		for j := range each {
			c := newCustomer(t, fmt.Sprintf("w%d-%02d", i, j))
			made[i] = append(made[i], c)
			want = append(want, c.ID)
		}
	}
	errs := parallel(func(i int) error {
		for j, c := range made[i] {
			var err error
			if j%2 == 0 {
				err = s.CreateCustomer(ctx, c)
			} else {
				// Half of them in transactions of their own.
				err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error { return tx.CreateCustomer(ctx, c) })
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		ok(t, fmt.Sprintf("writer %d", i), err)
	}
	n, err := s.CountCustomers(ctx, customer.Filter{})
	ok(t, "CountCustomers", err)
	check(t, "CountCustomers", writers*each, n)
	rows, err := s.ListCustomers(ctx, customer.Filter{Sort: customer.Sort{Field: customer.SortCreatedAt}, Limit: writers*each + 1})
	ok(t, "ListCustomers", err)
	slices.Sort(want)
	check(t, "listed ids", want, ids(rows)) // equal created_at: ordered by id
}

// Of several creates with the same email, exactly one wins.
func testConcurrentSameEmail(t *testing.T, newStore newStoreFunc) {
	testConcurrentSame(t, newStore, "email", func(c *customer.Customer) { c.Email = "contested@example.org" })
}

// Of several creates with the same external id (an import running twice),
// exactly one wins.
func testConcurrentSameExternalID(t *testing.T, newStore newStoreFunc) {
	testConcurrentSame(t, newStore, "external_id", func(c *customer.Customer) { c.ExternalID = "contested-1" })
}

// testConcurrentSame creates several customers at once that contest
// field, which contest sets: exactly one wins, the others get a conflict
// naming field.
func testConcurrentSame(t *testing.T, newStore newStoreFunc, field string, contest func(c *customer.Customer)) {
	s := newStore(t)
	ctx := t.Context()
	cs := make([]*customer.Customer, writers)
	for i := range cs {
		cs[i] = newCustomer(t, fmt.Sprintf("racer %d", i))
		contest(cs[i])
	}
	errs := parallel(func(i int) error { return s.CreateCustomer(ctx, cs[i]) })
	winners := 0
	for i, err := range errs {
		if err == nil {
			winners++
			continue
		}
		wantConflict(t, fmt.Sprintf("CreateCustomer %d", i), err, field)
	}
	check(t, "winners", 1, winners)
	n, err := s.CountCustomers(ctx, customer.Filter{})
	ok(t, "CountCustomers", err)
	check(t, "CountCustomers", 1, n)
}

// Of several updates made from the same version, exactly one wins; the
// others get precondition_failed and change nothing.
func testConcurrentUpdates(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Contested")
	create(t, s, c)
	errs := parallel(func(i int) error {
		u := *c
		u.Name, u.Version = fmt.Sprintf("writer %d", i), c.Version+1
		return s.UpdateCustomer(ctx, &u)
	})
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Errorf("writers %d and %d both updated version %d", winner, i, c.Version)
			}
			winner = i
			continue
		}
		wantCode(t, fmt.Sprintf("UpdateCustomer %d", i), err, crm.CodePreconditionFailed)
	}
	if winner < 0 {
		t.Fatal("no writer updated the customer")
	}
	got, err := s.GetCustomer(ctx, c.ID)
	ok(t, "GetCustomer", err)
	check(t, "name", fmt.Sprintf("writer %d", winner), got.Name)
	check(t, "version", c.Version+1, got.Version)
}

// LockCustomer holds the row until the transaction ends, so concurrent
// read-modify-write transactions lose no update.
func testLockedIncrements(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Counter")
	c.CreditScore = ptr(300)
	create(t, s, c)
	const each = 5
	errs := parallel(func(int) error {
		for range each {
			err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
				cur, err := tx.LockCustomer(ctx, c.ID)
				if err != nil {
					return err
				}
				*cur.CreditScore++
				cur.Version++
				return tx.UpdateCustomer(ctx, cur)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		ok(t, fmt.Sprintf("writer %d", i), err)
	}
	got, err := s.GetCustomer(ctx, c.ID)
	ok(t, "GetCustomer", err)
	check(t, "credit score", 300+writers*each, *got.CreditScore)
	check(t, "version", c.Version+writers*each, got.Version)
}
