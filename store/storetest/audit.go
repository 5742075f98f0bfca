package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ispstack/crm"
)

var auditTests = []test{
	{"NewestFirst", testAudit},
}

// newAudit returns an audit entry of the customer at base+d. JSON values
// are compared by meaning, so a store may keep them in jsonb.
func newAudit(t testing.TB, customerID string, d time.Duration) *crm.AuditEntry {
	return &crm.AuditEntry{
		ID: newID(t), CustomerID: customerID, Entity: "customer", EntityID: customerID, Action: "update",
		ActorID: "key_42", RequestID: "req-7",
		Changes: []crm.FieldChange{
			{Field: "name", Before: json.RawMessage(`"J*** D***"`), After: json.RawMessage(`"J*** S***"`)},
			{Field: "credit_score", Before: json.RawMessage(`null`), After: json.RawMessage(`712`)},
			{Field: "billing_address", Before: json.RawMessage(`{"city": "Denver", "zip": ["80202", 1.5, true]}`), After: json.RawMessage(`{}`)},
		},
		At: at(d),
	}
}

func testAudit(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c, other := newCustomer(t, "Audited"), newCustomer(t, "Other")
	create(t, s, c, other)

	// Entries in creation order; two share a time (one transaction writes
	// several), which the later id breaks.
	e1 := newAudit(t, c.ID, 0)
	e2 := newAudit(t, c.ID, time.Minute)
	e2.Changes = []crm.FieldChange{} // an entry may record no field
	e2.RequestID = ""
	e3 := newAudit(t, c.ID, 2*time.Minute)
	e3.Entity, e3.EntityID, e3.Action = "service", newID(t), "create"
	e4 := newAudit(t, c.ID, 2*time.Minute)
	e5 := newAudit(t, c.ID, 3*time.Minute)
	foreign := newAudit(t, other.ID, time.Minute)
	for _, e := range []*crm.AuditEntry{e3, e1, foreign, e5, e2, e4} {
		ok(t, "InsertAudit", s.InsertAudit(ctx, e))
	}
	newest := []crm.AuditEntry{*e5, *e4, *e3, *e2, *e1}

	list := func(customerID, before string, limit int) []crm.AuditEntry {
		t.Helper()
		got, err := s.ListAudit(ctx, customerID, before, limit)
		ok(t, "ListAudit", err)
		return got
	}
	check(t, "ListAudit", newest, list(c.ID, "", 100))
	check(t, "ListAudit limit", newest[:2], list(c.ID, "", 2))
	check(t, "ListAudit before", newest[2:], list(c.ID, e4.ID, 100))
	check(t, "ListAudit before the oldest", []crm.AuditEntry(nil), list(c.ID, e1.ID, 100))
	check(t, "ListAudit other customer", []crm.AuditEntry{*foreign}, list(other.ID, "", 100))
	check(t, "ListAudit unknown customer", []crm.AuditEntry(nil), list(newID(t), "", 100))

	for _, limit := range []int{1, 2, 3} {
		var got []crm.AuditEntry
		before := ""
		for page := 0; page < 100; page++ {
			rows := list(c.ID, before, limit)
			got = append(got, rows...)
			if len(rows) < limit {
				break
			}
			before = rows[len(rows)-1].ID
		}
		check(t, "ListAudit pages", newest, got)
	}

	// The trail outlives the customer.
	remove(t, s, c)
	check(t, "ListAudit after delete", newest, list(c.ID, "", 100))
}
