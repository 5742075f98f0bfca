package storetest

import (
	"testing"
	"time"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var filterTests = []test{
	{"EveryField", testFilters},
	{"DeletedNeverListed", testDeletedNeverListed},
}

// filterFixture stores six customers that differ in every filterable field,
// plus a deleted one that matches nearly every filter and must never show.
func filterFixture(t *testing.T, s store.Store) {
	t.Helper()
	mk := func(name string, typ customer.Type, status customer.Status, city, state, postal string,
		score *int, contact customer.ContactMethod, created time.Duration) *customer.Customer {
		c := newCustomer(t, name)
		c.Type, c.Status, c.PreferredContact, c.CreditScore = typ, status, contact, score
		c.BillingAddress.City, c.BillingAddress.State, c.BillingAddress.PostalCode = city, state, postal
		c.CreatedAt, c.UpdatedAt = at(created), at(created)
		if status == customer.StatusSuspended {
			c.Suspension = &customer.Suspension{Reason: customer.ReasonOther, Since: at(created)}
		}
		return c
	}
	alice := mk("Alice Anders", customer.TypeResidential, customer.StatusActive, "Denver", "CO", "80202", ptr(720), customer.ContactEmail, time.Hour)
	bob := mk("Bob Brown", customer.TypeSmallBusiness, customer.StatusActive, "Boulder", "CO", "80301", ptr(580), customer.ContactPhone, 2*time.Hour)
	bob.Company = "100% Fiber_Co"
	carol := mk("Carol Chen", customer.TypeEnterprise, customer.StatusSuspended, "DENVER", "CO", "80203", nil, customer.ContactSMS, 3*time.Hour)
	carol.Company = `Acme\Labs`
	dave := mk("Dave Diaz", customer.TypeResidential, customer.StatusActive, "Austin", "TX", "73301", ptr(800), customer.ContactPostal, 4*time.Hour)
	dave.Company, dave.Phone, dave.Email = "1000 FiberXCo", "+14155550123", "dave.diaz@mail.test"
	erin := mk("Erin Evans", customer.TypeGovernment, customer.StatusSuspended, "Austin", "TX", "73301-0001", ptr(650), customer.ContactEmail, 5*time.Hour)
	// Only the billing address is filtered on.
	erin.ServiceAddress = &customer.Address{Street: "1 Elm", City: "Denver", State: "CO", PostalCode: "80202", Country: "US"}
	frank := mk("Frank Ford", customer.TypeNonProfit, customer.StatusActive, "Denver", "CO", "80202", ptr(300), customer.ContactEmail, 6*time.Hour)
	frank.AccountNumber = "7770001112"
	alice.ExternalID, dave.ExternalID = "A-1", "a-1"
	ghost := mk("Alice Deleted", customer.TypeResidential, customer.StatusActive, "Denver", "CO", "80202", ptr(720), customer.ContactEmail, 150*time.Minute)
	ghost.Company = `100% Fiber_Co Acme\Labs`
	ghost.ExternalID = "G-1"
	create(t, s, alice, bob, carol, dave, erin, frank, ghost)
	remove(t, s, ghost)
}

func testFilters(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	filterFixture(t, s)
	all := []string{"Alice Anders", "Bob Brown", "Carol Chen", "Dave Diaz", "Erin Evans", "Frank Ford"}
	for _, tc := range []struct {
		name string
		f    customer.Filter
		want []string
	}{
		{"no filter", customer.Filter{}, all},
		{"status active", customer.Filter{Status: customer.StatusActive}, []string{"Alice Anders", "Bob Brown", "Dave Diaz", "Frank Ford"}},
		{"status suspended", customer.Filter{Status: customer.StatusSuspended}, []string{"Carol Chen", "Erin Evans"}},
		{"status closed", customer.Filter{Status: customer.StatusClosed}, nil},
		{"type", customer.Filter{Type: customer.TypeResidential}, []string{"Alice Anders", "Dave Diaz"}},
		{"type without rows", customer.Filter{Type: customer.TypeGovernment, Status: customer.StatusActive}, nil},

		{"query name", customer.Filter{Query: "anders"}, []string{"Alice Anders"}},
		{"query case and spaces", customer.Filter{Query: "  ALICE "}, []string{"Alice Anders"}},
		{"query across words", customer.Filter{Query: "e a"}, []string{"Alice Anders"}},
		{"query email", customer.Filter{Query: "dave.diaz@mail"}, []string{"Dave Diaz"}},
		{"query email upper case", customer.Filter{Query: "MAIL.TEST"}, []string{"Dave Diaz"}},
		{"query phone with plus", customer.Filter{Query: "+1415555"}, []string{"Dave Diaz"}},
		{"query phone without plus", customer.Filter{Query: "4155550123"}, []string{"Dave Diaz"}},
		{"query account number", customer.Filter{Query: "7770001112"}, []string{"Frank Ford"}},
		{"query company", customer.Filter{Query: "fiber"}, []string{"Bob Brown", "Dave Diaz"}},
		{"query percent is literal", customer.Filter{Query: "%"}, []string{"Bob Brown"}},
		{"query percent inside", customer.Filter{Query: "0% f"}, []string{"Bob Brown"}},
		{"query underscore is literal", customer.Filter{Query: "_"}, []string{"Bob Brown"}},
		{"query underscore inside", customer.Filter{Query: "r_c"}, []string{"Bob Brown"}},
		{"query backslash is literal", customer.Filter{Query: `\`}, []string{"Carol Chen"}},
		{"query backslash inside", customer.Filter{Query: `ACME\l`}, []string{"Carol Chen"}},
		{"query blank", customer.Filter{Query: "   "}, all},
		{"query no match", customer.Filter{Query: "nobody"}, nil},

		{"created after is strict", customer.Filter{CreatedAfter: ptr(at(3 * time.Hour))}, []string{"Dave Diaz", "Erin Evans", "Frank Ford"}},
		{"created before is strict", customer.Filter{CreatedBefore: ptr(at(3 * time.Hour))}, []string{"Alice Anders", "Bob Brown"}},
		{"created range", customer.Filter{CreatedAfter: ptr(at(time.Hour)), CreatedBefore: ptr(at(4 * time.Hour))}, []string{"Bob Brown", "Carol Chen"}},
		{"created range empty", customer.Filter{CreatedAfter: ptr(at(time.Hour)), CreatedBefore: ptr(at(2 * time.Hour))}, nil},

		{"city", customer.Filter{City: "denver"}, []string{"Alice Anders", "Carol Chen", "Frank Ford"}},
		{"city mixed case", customer.Filter{City: "DeNvEr"}, []string{"Alice Anders", "Carol Chen", "Frank Ford"}},
		{"city is not a substring", customer.Filter{City: "Denv"}, nil},
		{"state", customer.Filter{State: "co"}, []string{"Alice Anders", "Bob Brown", "Carol Chen", "Frank Ford"}},
		{"state upper case", customer.Filter{State: "TX"}, []string{"Dave Diaz", "Erin Evans"}},
		{"postal code", customer.Filter{PostalCode: "80202"}, []string{"Alice Anders", "Frank Ford"}},
		{"postal code is exact", customer.Filter{PostalCode: "73301"}, []string{"Dave Diaz"}},

		// Bounds are inclusive; an unknown score is in no range.
		{"min credit", customer.Filter{MinCreditScore: ptr(650)}, []string{"Alice Anders", "Dave Diaz", "Erin Evans"}},
		{"max credit", customer.Filter{MaxCreditScore: ptr(580)}, []string{"Bob Brown", "Frank Ford"}},
		{"credit range", customer.Filter{MinCreditScore: ptr(580), MaxCreditScore: ptr(720)}, []string{"Alice Anders", "Bob Brown", "Erin Evans"}},
		{"credit exact", customer.Filter{MinCreditScore: ptr(800), MaxCreditScore: ptr(800)}, []string{"Dave Diaz"}},

		{"preferred contact", customer.Filter{PreferredContact: customer.ContactEmail}, []string{"Alice Anders", "Erin Evans", "Frank Ford"}},
		{"preferred contact sms", customer.Filter{PreferredContact: customer.ContactSMS}, []string{"Carol Chen"}},

		{"external id", customer.Filter{ExternalID: "A-1"}, []string{"Alice Anders"}},
		{"external id is case-sensitive", customer.Filter{ExternalID: "a-1"}, []string{"Dave Diaz"}},
		{"external id is not a prefix", customer.Filter{ExternalID: "A"}, nil},
		{"external id of a deleted customer", customer.Filter{ExternalID: "G-1"}, nil},
		{"external id and status", customer.Filter{ExternalID: "A-1", Status: customer.StatusSuspended}, nil},

		{"status and city", customer.Filter{Status: customer.StatusActive, City: "DENVER"}, []string{"Alice Anders", "Frank Ford"}},
		{"type and state", customer.Filter{Type: customer.TypeResidential, State: "co"}, []string{"Alice Anders"}},
		{"query and status", customer.Filter{Query: "fiber", Status: customer.StatusActive}, []string{"Bob Brown", "Dave Diaz"}},
		{"status and credit", customer.Filter{Status: customer.StatusSuspended, MinCreditScore: ptr(600)}, []string{"Erin Evans"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Sort, f.Limit = customer.Sort{Field: customer.SortName}, 100
			rows, err := s.ListCustomers(t.Context(), f)
			ok(t, "ListCustomers", err)
			check(t, "ListCustomers names", tc.want, names(rows))

			// Count ignores order and page.
			f.Limit, f.Sort = 1, customer.Sort{Field: customer.SortCreditScore, Desc: true}
			f.After = &customer.Cursor{Key: "999", ID: newID(t)}
			n, err := s.CountCustomers(t.Context(), f)
			ok(t, "CountCustomers", err)
			check(t, "CountCustomers", len(tc.want), n)
		})
	}
}

func testDeletedNeverListed(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b, c := newCustomer(t, "a"), newCustomer(t, "b"), newCustomer(t, "c")
	create(t, s, a, b, c)
	remove(t, s, b)
	for _, field := range customer.SortFields {
		for _, desc := range []bool{false, true} {
			rows, err := s.ListCustomers(ctx, customer.Filter{Sort: customer.Sort{Field: field, Desc: desc}, Limit: 10})
			ok(t, "ListCustomers", err)
			got := names(rows)
			if len(got) != 2 || got[0] == "b" || got[1] == "b" {
				t.Errorf("ListCustomers(sort %s, desc %v) = %q, want a and c", field, desc, got)
			}
		}
	}
	n, err := s.CountCustomers(ctx, customer.Filter{})
	ok(t, "CountCustomers", err)
	check(t, "CountCustomers", 2, n)
	n, err = s.CountCustomers(ctx, customer.Filter{Status: customer.StatusClosed})
	ok(t, "CountCustomers(closed)", err)
	check(t, "CountCustomers(closed)", 0, n)
}

// names returns the names of customers, in order.
func names(cs []customer.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
