package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var sortTests = []test{
	{"EveryFieldBothDirections", testSortOrders},
	{"KeysetCursorOnDeletedRow", testCursorOnDeletedRow},
	{"KeysetWithFilter", testKeysetWithFilter},
	{"KeysetUnderConcurrentInserts", testPagingUnderConcurrentWrites},
}

// sortCompare is the documented order (customer.SortKey, customer.Sort):
// name by NameKey bytewise, account number bytewise, credit score by
// CreditKey as a number, created_at as a time (also for the zero Field);
// ties by id; everything reversed when descending.
func sortCompare(s customer.Sort, a, b *customer.Customer) int {
	var c int
	switch s.Field {
	case customer.SortName:
		c = strings.Compare(customer.NameKey(a.Name), customer.NameKey(b.Name))
	case customer.SortAccountNumber:
		c = strings.Compare(a.AccountNumber, b.AccountNumber)
	case customer.SortCreditScore:
		c = cmp.Compare(customer.CreditKey(a.CreditScore), customer.CreditKey(b.CreditScore))
	default:
		c = a.CreatedAt.Compare(b.CreatedAt)
	}
	c = cmp.Or(c, strings.Compare(a.ID, b.ID))
	if s.Desc {
		return -c
	}
	return c
}

// sortName names a sort for subtests: "name", "-name".
func sortName(s customer.Sort) string {
	name := string(s.Field)
	if name == "" {
		name = "zero"
	}
	if s.Desc {
		return "-" + name
	}
	return name
}

// allSorts lists every field in both directions, and the zero Sort.
func allSorts() []customer.Sort {
	out := []customer.Sort{{}}
	for _, f := range customer.SortFields {
		out = append(out, customer.Sort{Field: f}, customer.Sort{Field: f, Desc: true})
	}
	return out
}

// sortFixture stores customers with ties in every sort key: names equal but
// for case, equal created times, equal and unknown credit scores. The names
// also sort differently bytewise than in any natural-language collation
// ("_" before letters, "É" after "z").
func sortFixture(t *testing.T, s store.Store) []*customer.Customer {
	t.Helper()
	rows := []struct {
		name    string
		score   *int
		created time.Duration
		account string
	}{
		{"alice", ptr(720), time.Hour, "5000000001"},
		{"Bob", nil, time.Hour, "1000000003"},
		{"bob", ptr(300), 2 * time.Hour, "9000000002"},
		{"_under", ptr(720), 0, "1000000001"},
		{"Émile", nil, 3 * time.Hour, "3000000000"},
		{"zed", ptr(850), 2 * time.Hour, "7000000000"},
		{"Zoe", ptr(500), time.Hour, "2000000000"},
		{"ALICE", ptr(300), 2 * time.Hour, "4000000000"},
	}
	var cs []*customer.Customer
	for _, r := range rows {
		c := newCustomer(t, r.name)
		c.CreditScore, c.CreatedAt, c.AccountNumber = r.score, at(r.created), r.account
		cs = append(cs, c)
	}
	create(t, s, cs...)
	return cs
}

// sorted returns the ids of cs in the order of s.
func sorted(s customer.Sort, cs []*customer.Customer) []string {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b *customer.Customer) int { return sortCompare(s, a, b) })
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

// ids returns the ids of cs, in order.
func ids(cs []customer.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// cursorAfter is the keyset position after c, as the customer service
// builds it.
func cursorAfter(c *customer.Customer, f customer.SortField) *customer.Cursor {
	return &customer.Cursor{Key: customer.SortKey(c, f), ID: c.ID}
}

// walk lists every page of f (pages of limit rows, following the cursor of
// each page's last row) and returns the rows in order. afterPage, when not
// nil, runs after each page.
func walk(t *testing.T, s store.Store, f customer.Filter, limit int, afterPage func()) []customer.Customer {
	t.Helper()
	f.Limit, f.After = limit, nil
	var out []customer.Customer
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatalf("walk(%s): more than 1000 pages; the cursor does not advance", sortName(f.Sort))
		}
		rows, err := s.ListCustomers(t.Context(), f)
		ok(t, "ListCustomers", err)
		if len(rows) > limit {
			t.Fatalf("ListCustomers returned %d rows, limit %d", len(rows), limit)
		}
		out = append(out, rows...)
		if len(rows) < limit {
			return out
		}
		f.After = cursorAfter(&rows[len(rows)-1], f.Sort.Field)
		if afterPage != nil {
			afterPage()
		}
	}
}

func testSortOrders(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	cs := sortFixture(t, s)
	for _, srt := range allSorts() {
		t.Run(sortName(srt), func(t *testing.T) {
			want := sorted(srt, cs)
			rows, err := s.ListCustomers(t.Context(), customer.Filter{Sort: srt, Limit: 100})
			ok(t, "ListCustomers", err)
			check(t, "order", want, ids(rows))
			for _, limit := range []int{1, 2, 3, len(cs), len(cs) + 1} {
				got := walk(t, s, customer.Filter{Sort: srt}, limit, nil)
				check(t, fmt.Sprintf("walk with limit %d", limit), want, ids(got))
			}
		})
	}
}

// A keyset cursor is a position, not a row: it stays valid when the row it
// was taken from is deleted. Each deletion happens in a transaction that is
// rolled back, so one store serves every sort.
func testCursorOnDeletedRow(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	cs := sortFixture(t, s)
	for _, srt := range allSorts() {
		t.Run(sortName(srt), func(t *testing.T) {
			want := sorted(srt, cs)
			first, err := s.ListCustomers(t.Context(), customer.Filter{Sort: srt, Limit: 3})
			ok(t, "ListCustomers", err)
			check(t, "first page", want[:3], ids(first))
			err = s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
				last := first[2]
				last.Version++
				last.DeletedAt = ptr(at(time.Hour))
				ok(t, "UpdateCustomer (delete)", tx.UpdateCustomer(ctx, &last))
				rest, err := tx.ListCustomers(ctx, customer.Filter{Sort: srt, Limit: 100, After: cursorAfter(&first[2], srt.Field)})
				ok(t, "ListCustomers after deleted row", err)
				check(t, "rest", want[3:], ids(rest))
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatalf("RunInTx = %v, want fn's error", err)
			}
		})
	}
}

func testKeysetWithFilter(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	cs := sortFixture(t, s)
	var matching []*customer.Customer
	for _, c := range cs {
		if c.CreditScore != nil && *c.CreditScore <= 720 {
			matching = append(matching, c)
		}
	}
	for _, srt := range allSorts() {
		t.Run(sortName(srt), func(t *testing.T) {
			f := customer.Filter{Query: "@EXAMPLE.ORG", MaxCreditScore: ptr(720), Sort: srt}
			check(t, "walk", sorted(srt, matching), ids(walk(t, s, f, 2, nil)))
		})
	}
}

// While one goroutine inserts rows, a walker pages through the list: every
// row that existed before the walk started comes exactly once, and the
// pages stay in strict order (so no row, old or new, repeats).
func testPagingUnderConcurrentWrites(t *testing.T, newStore newStoreFunc) {
	for _, srt := range []customer.Sort{
		{Field: customer.SortName},
		{Field: customer.SortCreatedAt, Desc: true},
		{Field: customer.SortCreditScore},
		{Field: customer.SortAccountNumber, Desc: true},
	} {
		t.Run(sortName(srt), func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			random := func(rng *rand.Rand) *customer.Customer {
				c := newCustomer(t, fmt.Sprintf("p%02d", rng.IntN(25)))
				c.CreatedAt = at(time.Duration(rng.IntN(30)) * time.Minute)
				if rng.IntN(4) > 0 {
					c.CreditScore = ptr(300 + 50*rng.IntN(11))
				}
				c.AccountNumber = fmt.Sprintf("%d%09d", 1+rng.IntN(9), seq.Add(1))
				return c
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var seeded []*customer.Customer
			for range 40 {
				seeded = append(seeded, random(rng))
			}
			create(t, s, seeded...)

			// The writer inserts until the walk ends (at most maxInserts
			// rows); the walker waits for at least one insert after each
			// page, so pages and inserts surely interleave.
			const maxInserts = 60
			progress := make(chan struct{}, 1)
			stop, writerDone := make(chan struct{}), make(chan struct{})
			var writeErr error
			inserted := 0
			go func() {
				defer close(writerDone)
				rng := rand.New(rand.NewPCG(3, 4))
				for inserted < maxInserts {
					select {
					case <-stop:
						return
					default:
					}
					if writeErr = s.CreateCustomer(t.Context(), random(rng)); writeErr != nil {
						return
					}
					inserted++
					select {
					case progress <- struct{}{}:
					default:
					}
				}
			}()
			stopWriter := sync.OnceFunc(func() { close(stop); <-writerDone })
			defer stopWriter() // also when walk fails the test
			got := walk(t, s, customer.Filter{Sort: srt}, 4, func() {
				select {
				case <-progress:
				case <-writerDone:
				}
			})
			stopWriter()
			ok(t, "concurrent CreateCustomer", writeErr)

			for i := 1; i < len(got); i++ {
				if sortCompare(srt, &got[i-1], &got[i]) >= 0 {
					t.Errorf("rows %d and %d out of order: %q (%s) then %q (%s)", i-1, i,
						got[i-1].Name, got[i-1].ID, got[i].Name, got[i].ID)
				}
			}
			seen := map[string]int{}
			for _, c := range got {
				seen[c.ID]++
			}
			for _, c := range seeded {
				if seen[c.ID] != 1 {
					t.Errorf("row %q (%s) that existed before the walk was listed %d times", c.Name, c.ID, seen[c.ID])
				}
			}
			t.Logf("walked %d rows while %d were inserted", len(got), inserted)
		})
	}
}
