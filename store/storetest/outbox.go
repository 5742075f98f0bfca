package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ispstack/crm"
)

var outboxTests = []test{
	{"OrderedByID", testOutbox},
}

func testOutbox(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()

	// UUIDv7 ids in creation order; inserted shuffled, listed by id.
	ids := newIDs(t, 6)
	types := []string{"customer.created", "customer.updated", "customer.suspended", "customer.reactivated", "customer.deleted", "customer.created"}
	var want []crm.Event
	for i, id := range ids {
		owner := a.ID
		if i == 5 {
			owner = b.ID
		}
		want = append(want, crm.Event{
			ID: id, Type: types[i], CustomerID: owner,
			Payload:    json.RawMessage(`{"id": "` + owner + `", "name": "A", "credit_score": null, "version": ` + string(rune('1'+i)) + `}`),
			OccurredAt: at(time.Duration(i) * time.Second),
		})
	}
	for _, i := range []int{2, 0, 5, 1, 4, 3} {
		e := want[i]
		ok(t, "InsertEvent", s.InsertEvent(ctx, &e))
	}

	list := func(after string, limit int) []crm.Event {
		t.Helper()
		got, err := s.ListEvents(ctx, after, limit)
		ok(t, "ListEvents", err)
		return got
	}
	check(t, "ListEvents", want, list("", 100))
	check(t, "ListEvents limit", want[:2], list("", 2))
	check(t, "ListEvents after", want[3:], list(ids[2], 100))
	check(t, "ListEvents after the last", []crm.Event(nil), list(ids[5], 100))
	for _, limit := range []int{1, 4} {
		var got []crm.Event
		after := ""
		for page := 0; page < 100; page++ {
			rows := list(after, limit)
			got = append(got, rows...)
			if len(rows) < limit {
				break
			}
			after = rows[len(rows)-1].ID
		}
		check(t, "ListEvents pages", want, got)
	}
}
