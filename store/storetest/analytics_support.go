package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm/analytics"
)

// supportTests are the conformance cases of the reads behind a
// customer's support history.
var supportTests = []test{
	{"TicketsSince", testTicketsSince},
}

// testTicketsSince checks that a ticket opened exactly at since is read
// and one a microsecond earlier is not, the newest-first order with ties
// broken by ticket id descending, and that another customer's tickets
// stay apart.
func testTicketsSince(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	other := newCustomer(t, "Other")
	create(t, s, other)
	ctx := t.Context()
	var all []analytics.Ticket
	for i := range 5 {
		v := ticketFeed.new(c.ID, i)
		v.OpenedAt = at(time.Duration(i/2) * time.Hour) // pairs opened together: ties broken by id
		all = append(all, v)
	}
	_, err := s.UpsertTickets(ctx, c.ID, all)
	ok(t, "UpsertTickets", err)
	_, err = s.UpsertTickets(ctx, other.ID, []analytics.Ticket{ticketFeed.new(other.ID, 9)})
	ok(t, "UpsertTickets of the other customer", err)
	want := ticketFeed.sorted(all) // T-4; T-3, T-2; T-1, T-0
	for _, tt := range []struct {
		since time.Time
		n     int
	}{
		{at(-time.Microsecond), 5},
		{base, 5},
		{at(time.Microsecond), 3},
		{at(time.Hour), 3},
		{at(2 * time.Hour), 1},
		{at(2*time.Hour + time.Microsecond), 0},
	} {
		got, err := s.TicketsSince(ctx, c.ID, tt.since)
		ok(t, "TicketsSince", err)
		check(t, fmt.Sprintf("TicketsSince(%v)", tt.since), want[:tt.n], got)
	}
}
