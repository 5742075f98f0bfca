package storetest

import (
	"testing"
	"time"

	"github.com/ispstack/crm/customer"
)

var historyTests = []test{
	{"OldestFirst", testStatusHistory},
}

func testStatusHistory(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c, other := newCustomer(t, "History"), newCustomer(t, "Other")
	create(t, s, c, other)
	entry := func(from, to customer.Status, d time.Duration) *customer.StatusChange {
		return &customer.StatusChange{ID: newID(t), CustomerID: c.ID, From: from, To: to, ActorID: "key_1", At: at(d)}
	}
	created := entry("", customer.StatusActive, 0)
	created.RequestID = "req-1"
	suspended := entry(customer.StatusActive, customer.StatusSuspended, time.Hour)
	suspended.Reason, suspended.Notes, suspended.Until = customer.ReasonFraud, "chargebacks", ptr(at(48*time.Hour))
	reactivated := entry(customer.StatusSuspended, customer.StatusActive, 2*time.Hour)
	reactivated.ActorID = "system"
	// Same time as reactivated: the later id comes later.
	closed := entry(customer.StatusActive, customer.StatusClosed, 2*time.Hour)
	foreign := entry("", customer.StatusActive, 0)
	foreign.CustomerID = other.ID

	// Insert out of order: the list is ordered by time, not insertion.
	for _, sc := range []*customer.StatusChange{reactivated, created, closed, foreign, suspended} {
		ok(t, "InsertStatusChange", s.InsertStatusChange(ctx, sc))
	}
	want := []customer.StatusChange{*created, *suspended, *reactivated, *closed}
	for _, tc := range []struct {
		name  string
		id    string
		limit int
		want  []customer.StatusChange
	}{
		{"all", c.ID, 10, want},
		{"limit", c.ID, 2, want[:2]},
		{"other customer", other.ID, 10, []customer.StatusChange{*foreign}},
		{"unknown customer", newID(t), 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListStatusChanges(ctx, tc.id, tc.limit)
			ok(t, "ListStatusChanges", err)
			check(t, "ListStatusChanges", tc.want, got)
		})
	}
	// The history stays after the customer is deleted.
	remove(t, s, c)
	got, err := s.ListStatusChanges(ctx, c.ID, 10)
	ok(t, "ListStatusChanges after delete", err)
	check(t, "ListStatusChanges after delete", want, got)
}
