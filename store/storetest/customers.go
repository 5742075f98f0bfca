package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var customerTests = []test{
	{"RoundTrip", testCustomerRoundTrip},
	{"NotFound", testCustomerNotFound},
	{"CreateConflict", testCreateConflict},
	{"CreateCustomers", testCreateCustomers},
	{"DeleteFreesUniqueValues", testDeleteFreesUniqueValues},
	{"GetByExternalIDAndEmail", testGetCustomerBy},
	{"Update", testUpdateCustomer},
	{"UpdateErrors", testUpdateCustomerErrors},
	{"StatusTransitions", testStatusTransitions},
	{"DueReactivations", testDueReactivations},
}

// getBoth reads a customer with GetCustomer and, in a transaction, with
// LockCustomer, and checks that both return want.
func getBoth(t *testing.T, s store.Store, want *customer.Customer) {
	t.Helper()
	ctx := t.Context()
	got, err := s.GetCustomer(ctx, want.ID)
	ok(t, "GetCustomer", err)
	check(t, "GetCustomer", want, got)
	err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		got, err := tx.LockCustomer(ctx, want.ID)
		if err != nil {
			return err
		}
		check(t, "LockCustomer", want, got)
		return nil
	})
	ok(t, "RunInTx(LockCustomer)", err)
}

func testCustomerRoundTrip(t *testing.T, newStore newStoreFunc) {
	minimal := newCustomer(t, "Minimal")
	noCoordinates := newCustomer(t, "No Coordinates")
	noCoordinates.ServiceAddress = &customer.Address{Street: "2 Oak Ave", City: "Aurora", State: "CO", PostalCode: "80010", Country: "US"}
	noCoordinates.CreditScore = ptr(300)
	noCoordinates.TaxID = &customer.TaxID{Ciphertext: []byte{0}, BlindIndex: "00"}
	noCoordinates.Suspension = &customer.Suspension{Reason: customer.ReasonOther, Since: base} // no Until
	noCoordinates.Status = customer.StatusSuspended
	noCoordinates.EmergencyContact = &customer.EmergencyContact{Name: "Kim", Phone: "+13035550100"}
	s := newStore(t)
	ok(t, "Ping", s.Ping(t.Context()))
	for _, tc := range []struct {
		name string
		c    *customer.Customer
	}{
		{"every field", newFullCustomer(t)},
		{"nil pointers", minimal},
		{"empty nested values", noCoordinates},
	} {
		t.Run(tc.name, func(t *testing.T) {
			create(t, s, tc.c)
			getBoth(t, s, tc.c)
		})
	}
}

func testCustomerNotFound(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	deleted := newCustomer(t, "Deleted")
	create(t, s, deleted)
	remove(t, s, deleted)
	for _, tc := range []struct{ name, id string }{
		{"missing", newID(t)},
		{"deleted", deleted.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.GetCustomer(t.Context(), tc.id)
			wantCode(t, "GetCustomer", err, crm.CodeNotFound)
			err = s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
				_, err := tx.LockCustomer(ctx, tc.id)
				return err
			})
			wantCode(t, "LockCustomer", err, crm.CodeNotFound)
		})
	}
}

func testCreateConflict(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	stored := 0 // the holders
	for _, tc := range []struct {
		field string
		copy  func(dup, holder *customer.Customer)
	}{
		{"email", func(dup, holder *customer.Customer) { dup.Email = holder.Email }},
		{"phone", func(dup, holder *customer.Customer) { dup.Phone = holder.Phone }},
		{"external_id", func(dup, holder *customer.Customer) { dup.ExternalID = holder.ExternalID }},
		{"account_number", func(dup, holder *customer.Customer) { dup.AccountNumber = holder.AccountNumber }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			holder := newCustomer(t, "Holder")
			holder.ExternalID = "holder-" + holder.ID
			create(t, s, holder)
			dup := newCustomer(t, "Duplicate")
			tc.copy(dup, holder)
			wantConflict(t, "CreateCustomer", s.CreateCustomer(t.Context(), dup), tc.field)
			_, err := s.GetCustomer(t.Context(), dup.ID)
			wantCode(t, "GetCustomer after conflict", err, crm.CodeNotFound)
			stored++
			n, err := s.CountCustomers(t.Context(), customer.Filter{})
			ok(t, "CountCustomers", err)
			check(t, "CountCustomers", stored, n)
		})
	}
}

// Emails, phones and external ids are unique among non-deleted customers
// only, so a closed account does not block its owner from signing up (or
// being imported) again. Account numbers are kept by closed accounts (for
// the books) and stay unique among all customers.
func testDeleteFreesUniqueValues(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	old := newCustomer(t, "Old")
	old.ExternalID = "old-" + old.ID
	create(t, s, old)
	remove(t, s, old) // keeps its email, phone and external id in the row

	again := newCustomer(t, "Again")
	again.Email, again.Phone, again.ExternalID = old.Email, old.Phone, old.ExternalID
	ok(t, "CreateCustomer with a deleted customer's email, phone and external id", s.CreateCustomer(ctx, again))
	getBoth(t, s, again)

	reuse := newCustomer(t, "Reuse")
	reuse.AccountNumber = old.AccountNumber
	wantConflict(t, "CreateCustomer with a deleted customer's account number", s.CreateCustomer(ctx, reuse), "account_number")

	// Updating onto a freed email works too.
	other := newCustomer(t, "Other")
	create(t, s, other)
	gone := newCustomer(t, "Gone")
	create(t, s, gone)
	remove(t, s, gone)
	other.Email, other.ExternalID, other.Version = gone.Email, again.ExternalID, other.Version+1
	wantConflict(t, "UpdateCustomer to a live customer's external id", s.UpdateCustomer(ctx, other), "external_id")
	other.ExternalID = ""
	ok(t, "UpdateCustomer to a deleted customer's email", s.UpdateCustomer(ctx, other))
	getBoth(t, s, other)
}

// GetCustomerByExternalID and GetCustomerByEmail find a non-deleted
// customer by the exact stored value; a deleted customer, another
// spelling and "" find nothing.
func testGetCustomerBy(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	live, bare, deleted := newFullCustomer(t), newCustomer(t, "No External ID"), newFullCustomer(t)
	create(t, s, live, bare, deleted)
	remove(t, s, deleted)
	lookups := []struct {
		name string
		get  func(ctx context.Context, value string) (*customer.Customer, error)
		of   func(c *customer.Customer) string
	}{
		{"GetCustomerByExternalID", s.GetCustomerByExternalID, func(c *customer.Customer) string { return c.ExternalID }},
		{"GetCustomerByEmail", s.GetCustomerByEmail, func(c *customer.Customer) string { return c.Email }},
	}
	for _, l := range lookups {
		t.Run(l.name, func(t *testing.T) {
			got, err := l.get(ctx, l.of(live))
			ok(t, l.name, err)
			check(t, l.name, live, got)
			got, err = l.get(ctx, l.of(bare))
			if l.of(bare) == "" {
				wantCode(t, l.name+"(\"\")", err, crm.CodeNotFound)
			} else {
				ok(t, l.name, err)
				check(t, l.name, bare, got)
			}
			for what, v := range map[string]string{
				"deleted":    l.of(deleted),
				"upper case": strings.ToUpper(l.of(live)),
				"padded":     " " + l.of(live),
				"missing":    "missing-" + newID(t),
				"empty":      "",
			} {
				_, err := l.get(ctx, v)
				wantCode(t, l.name+" of "+what, err, crm.CodeNotFound)
			}
		})
	}
}

func testUpdateCustomer(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newFullCustomer(t)
	create(t, s, c)

	// Change every field, clearing every pointer.
	n := seq.Add(1)
	changed := newCustomer(t, "Renamed Person")
	changed.ID = c.ID
	changed.AccountNumber = c.AccountNumber
	changed.Email, changed.Phone = "renamed@example.org", "+13125550199"
	changed.Type = customer.TypeEnterprise
	changed.BillingAddress = customer.Address{Street: "5 Pine Rd", City: "Chicago", State: "IL", PostalCode: "60601", Country: "US"}
	changed.TaxIDLast4, changed.Company, changed.Industry, changed.Notes = "", "", "", ""
	changed.PreferredContact = customer.ContactPostal
	changed.CommunicationPreferences = customer.CommunicationPreferences{}
	changed.Version = c.Version + 1
	changed.CreatedAt = c.CreatedAt
	changed.UpdatedAt = at(time.Duration(n) * time.Microsecond)
	ok(t, "UpdateCustomer (clear)", s.UpdateCustomer(ctx, changed))
	getBoth(t, s, changed)

	// And set them all again.
	refilled := fullCustomer(c.ID, n)
	refilled.AccountNumber = c.AccountNumber
	refilled.Version = changed.Version + 1
	refilled.UpdatedAt = at(2 * time.Hour)
	ok(t, "UpdateCustomer (refill)", s.UpdateCustomer(ctx, refilled))
	getBoth(t, s, refilled)

	// Keeping its own email, phone and account number is no conflict.
	refilled.Name, refilled.Version = "Same Numbers", refilled.Version+1
	ok(t, "UpdateCustomer (same unique values)", s.UpdateCustomer(ctx, refilled))
	getBoth(t, s, refilled)

	// A new account number frees the old one.
	oldNumber := refilled.AccountNumber
	refilled.AccountNumber, refilled.Version = "9999999999", refilled.Version+1
	ok(t, "UpdateCustomer (account number)", s.UpdateCustomer(ctx, refilled))
	taker := newCustomer(t, "Taker")
	taker.AccountNumber = oldNumber
	ok(t, "CreateCustomer with a released account number", s.CreateCustomer(ctx, taker))
}

func testUpdateCustomerErrors(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	other := newCustomer(t, "Other")
	other.ExternalID = "other-" + other.ID
	c := newCustomer(t, "Subject")
	deleted := newCustomer(t, "Deleted")
	create(t, s, other, c, deleted)
	remove(t, s, deleted)

	for _, tc := range []struct {
		name   string
		change func(u *customer.Customer)
		code   crm.Code
		field  string // for conflicts
	}{
		{"version not incremented", func(u *customer.Customer) { u.Version = c.Version }, crm.CodePreconditionFailed, ""},
		{"version skipped ahead", func(u *customer.Customer) { u.Version = c.Version + 2 }, crm.CodePreconditionFailed, ""},
		{"version behind", func(u *customer.Customer) { u.Version = c.Version - 1 }, crm.CodePreconditionFailed, ""},
		{"missing", func(u *customer.Customer) { u.ID = newID(t) }, crm.CodeNotFound, ""},
		{"deleted", func(u *customer.Customer) { *u = *deleted; u.Version++ }, crm.CodeNotFound, ""},
		{"email in use", func(u *customer.Customer) { u.Email = other.Email }, crm.CodeConflict, "email"},
		{"phone in use", func(u *customer.Customer) { u.Phone = other.Phone }, crm.CodeConflict, "phone"},
		{"external id in use", func(u *customer.Customer) { u.ExternalID = other.ExternalID }, crm.CodeConflict, "external_id"},
		{"account number in use", func(u *customer.Customer) { u.AccountNumber = other.AccountNumber }, crm.CodeConflict, "account_number"},
		{"account number of a deleted customer", func(u *customer.Customer) { u.AccountNumber = deleted.AccountNumber }, crm.CodeConflict, "account_number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := *c
			u.Name = "Changed"
			u.Version++
			tc.change(&u)
			err := s.UpdateCustomer(ctx, &u)
			if tc.field != "" {
				wantConflict(t, "UpdateCustomer", err, tc.field)
			} else {
				wantCode(t, "UpdateCustomer", err, tc.code)
			}
			// Nothing changed.
			getBoth(t, s, c)
			getBoth(t, s, other)
		})
	}
}

// A lifecycle as the customer service drives it: suspend with a reason and
// an end, reactivate (Suspension back to nil), delete.
func testStatusTransitions(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Lifecycle")
	create(t, s, c)

	c.Status, c.Version, c.UpdatedAt = customer.StatusSuspended, c.Version+1, at(time.Minute)
	c.Suspension = &customer.Suspension{Reason: customer.ReasonAbuse, Notes: "spam", Since: at(time.Minute), Until: ptr(at(time.Hour))}
	ok(t, "suspend", s.UpdateCustomer(ctx, c))
	getBoth(t, s, c)

	c.Status, c.Version, c.UpdatedAt, c.Suspension = customer.StatusActive, c.Version+1, at(2*time.Minute), nil
	ok(t, "reactivate", s.UpdateCustomer(ctx, c))
	getBoth(t, s, c)

	remove(t, s, c)
	_, err := s.GetCustomer(ctx, c.ID)
	wantCode(t, "GetCustomer after delete", err, crm.CodeNotFound)
	c.Version++
	c.DeletedAt = nil
	wantCode(t, "UpdateCustomer undeleting", s.UpdateCustomer(ctx, c), crm.CodeNotFound)
}

func testDueReactivations(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	now := at(24 * time.Hour)
	suspended := func(name string, until *time.Time) *customer.Customer {
		c := newCustomer(t, name)
		c.Status = customer.StatusSuspended
		c.Suspension = &customer.Suspension{Reason: customer.ReasonCustomerRequest, Since: base, Until: until}
		return c
	}
	// Ids grow in creation order; the ties on Until are created so that
	// their id order differs from their name order.
	tieB := suspended("tie b", ptr(now.Add(-time.Hour)))
	tieA := suspended("tie a", ptr(now.Add(-time.Hour)))
	oldest := suspended("oldest", ptr(now.Add(-48*time.Hour)))
	exactlyNow := suspended("exactly now", ptr(now))
	later := suspended("later", ptr(now.Add(time.Microsecond)))
	noUntil := suspended("no until", nil)
	deleted := suspended("deleted", ptr(now.Add(-time.Hour)))
	active := newCustomer(t, "active")
	create(t, s, tieB, tieA, oldest, exactlyNow, later, noUntil, deleted, active)
	// Deleted but still marked suspended: DeletedAt alone must exclude it.
	deleted.Version++
	deleted.DeletedAt = ptr(base)
	ok(t, "UpdateCustomer (delete)", s.UpdateCustomer(ctx, deleted))

	all := []string{oldest.ID, tieB.ID, tieA.ID, exactlyNow.ID}
	for _, tc := range []struct {
		name  string
		limit int
		now   time.Time
		want  []string
	}{
		{"all due", 10, now, all},
		{"limit", 2, now, all[:2]},
		{"earlier now", 10, now.Add(-time.Hour), all[:3]},
		{"none due", 10, now.Add(-72 * time.Hour), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
				var err error
				got, err = tx.DueReactivations(ctx, tc.now, tc.limit)
				return err
			})
			ok(t, "DueReactivations", err)
			check(t, "DueReactivations", tc.want, got)
		})
	}
}
