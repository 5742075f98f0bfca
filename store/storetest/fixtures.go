package storetest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// base is the suite's fixed clock. It is UTC with whole microseconds, the
// precision Postgres keeps, so every stored time must come back Equal.
var base = time.Date(2025, time.March, 14, 9, 26, 53, 589793000, time.UTC)

// at returns base+d.
func at(d time.Duration) time.Time { return base.Add(d) }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// newID returns a UUIDv7 string, the form of every id the domain issues.
func newID(t testing.TB) string {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// newIDs returns n UUIDv7 ids in increasing order.
func newIDs(t testing.TB, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = newID(t)
	}
	return ids
}

// seq numbers the fixtures of the whole process, making emails, phones and
// account numbers unique without coordination between parallel tests.
var seq atomic.Int64

// newCustomer returns a valid active customer named name with a new id and
// an email, phone and account number no other fixture has, a customer
// since its creation. Optional fields are left empty.
func newCustomer(t testing.TB, name string) *customer.Customer {
	n := seq.Add(1)
	return &customer.Customer{
		ID:            newID(t),
		AccountNumber: fmt.Sprintf("%010d", 1_000_000_000+n),
		Name:          name,
		Email:         fmt.Sprintf("user%d@example.org", n),
		Phone:         fmt.Sprintf("+1303%07d", n),
		Type:          customer.TypeResidential,
		Status:        customer.StatusActive,
		BillingAddress: customer.Address{
			Street: "1600 Main St", City: "Denver", State: "CO", PostalCode: "80202", Country: "US",
		},
		PreferredContact:         customer.ContactEmail,
		CommunicationPreferences: customer.DefaultCommunicationPreferences,
		CustomerSince:            crm.DateOf(base),
		Version:                  1,
		CreatedAt:                base,
		UpdatedAt:                base,
	}
}

// fullCustomer returns a customer with every field set, including every
// nested pointer and a suspension. It is a pure function of its arguments,
// so two calls give equal, unshared values.
func fullCustomer(id string, n int64) *customer.Customer {
	return &customer.Customer{
		ID:            id,
		AccountNumber: fmt.Sprintf("%010d", 2_000_000_000+n),
		Name:          "Zoë O'Brien-Ünal",
		Email:         fmt.Sprintf("zoe.%d@Example.COM", n),
		Phone:         fmt.Sprintf("+4420%07d", n),
		Type:          customer.TypeSmallBusiness,
		Status:        customer.StatusSuspended,
		BillingAddress: customer.Address{
			Street: "221B Baker Street", Unit: "Flat 2", City: "London", State: "Greater London",
			PostalCode: "NW1 6XE", Country: "GB",
			Coordinates: &customer.Coordinates{Latitude: 51.523767, Longitude: -0.1585557},
		},
		ServiceAddress: &customer.Address{
			Street: "1 Canada Square", City: "London", State: "Greater London", PostalCode: "E14 5AB", Country: "GB",
			Coordinates: &customer.Coordinates{Latitude: 51.5049, Longitude: -0.0195},
		},
		TaxID:            &customer.TaxID{Ciphertext: []byte{0x00, 0x01, 0xfe, 0xff, 'x', 0x00}, BlindIndex: fmt.Sprintf("%064x", n)},
		TaxIDLast4:       "6789",
		Company:          "O'Brien & Ünal Ltd.",
		Industry:         "Consulting",
		CreditScore:      ptr(712),
		PreferredContact: customer.ContactSMS,
		CommunicationPreferences: customer.CommunicationPreferences{
			MarketingEmails: true, ServiceNotifications: false, BillingReminders: true, OutageAlerts: false,
		},
		EmergencyContact: &customer.EmergencyContact{
			Name: "Sam O'Brien", Relationship: "spouse", Phone: fmt.Sprintf("+4479%08d", n), Email: "sam@example.net",
		},
		Notes:         "Gate code 4321.\nRing twice; \"urgent\" \\ not after 8pm.",
		ExternalID:    fmt.Sprintf("SF/Ünal-%d", n),
		CustomerSince: crm.Date{Year: 1999, Month: time.December, Day: 31},
		Suspension: &customer.Suspension{
			Reason: customer.ReasonNonPayment, Notes: "3 invoices overdue", Since: at(time.Minute),
			Until: ptr(at(72 * time.Hour)),
		},
		Version:   7,
		CreatedAt: base,
		UpdatedAt: at(time.Minute),
	}
}

// newFullCustomer is fullCustomer with a new id and unique numbers.
func newFullCustomer(t testing.TB) *customer.Customer {
	return fullCustomer(newID(t), seq.Add(1))
}

// newSubscription returns a service of the customer in the given status.
func newSubscription(t testing.TB, customerID string, status customer.SubscriptionStatus, price crm.Money) *customer.Subscription {
	return &customer.Subscription{
		ID:                newID(t),
		CustomerID:        customerID,
		PlanName:          "Fiber 500",
		ServiceType:       customer.ServiceInternet,
		Technology:        customer.TechFiber,
		Status:            status,
		MonthlyPrice:      price,
		ContractTerm:      customer.TermOneYear,
		StartDate:         crm.Date{Year: 2024, Month: time.January, Day: 31},
		BandwidthDownMbps: 500,
		BandwidthUpMbps:   100,
		ServiceAddress: &customer.Address{
			Street: "9 Elm St", Unit: "2", City: "Boulder", State: "CO", PostalCode: "80301", Country: "US",
			Coordinates: &customer.Coordinates{Latitude: 40.015, Longitude: -105.2705},
		},
		Version:   1,
		CreatedAt: base,
		UpdatedAt: base,
	}
}

// newFullSubscription returns an active service of the customer with every
// field set, the end date included, and a service type other than the
// default.
func newFullSubscription(t testing.TB, customerID string) *customer.Subscription {
	sub := newSubscription(t, customerID, customer.SubscriptionActive, 4999)
	sub.PlanName, sub.ServiceType = "Fiber TV", customer.ServiceTV
	sub.EndDate = &crm.Date{Year: 2026, Month: time.May, Day: 1}
	return sub
}

// newContact returns a non-primary contact of the customer with every
// field set.
func newContact(t testing.TB, customerID string, typ contact.Type) *contact.Contact {
	n := seq.Add(1)
	return &contact.Contact{
		ID:                     newID(t),
		CustomerID:             customerID,
		Name:                   "Renée O'Hara",
		Title:                  "Head of IT",
		Email:                  fmt.Sprintf("contact%d@example.net", n),
		Phone:                  fmt.Sprintf("+1720%07d", n),
		Mobile:                 fmt.Sprintf("+1303%07d", n),
		Type:                   typ,
		CanAuthorizeChanges:    true,
		PreferredContactMethod: customer.ContactSMS,
		Notes:                  "Prefers mornings.\nAsk for \"Renée\".",
		Version:                1,
		CreatedAt:              base,
		UpdatedAt:              base,
	}
}

// oneCustomer returns a new store that holds one new customer.
func oneCustomer(t *testing.T, newStore newStoreFunc) (store.Store, *customer.Customer) {
	t.Helper()
	s, c := newStore(t), newCustomer(t, "Owner")
	create(t, s, c)
	return s, c
}

// twoCustomers returns a new store that holds two new customers, A and B.
func twoCustomers(t *testing.T, newStore newStoreFunc) (s store.Store, a, b *customer.Customer) {
	t.Helper()
	s = newStore(t)
	a, b = newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	return s, a, b
}

// create stores customers, failing the test on any error.
func create(t testing.TB, s store.Store, cs ...*customer.Customer) {
	t.Helper()
	for _, c := range cs {
		if err := s.CreateCustomer(t.Context(), c); err != nil {
			t.Fatalf("CreateCustomer(%q): %v", c.Name, err)
		}
	}
}

// remove closes c as the customer service's delete does: it bumps the
// version and sets DeletedAt. It keeps the email and phone so tests can see
// that deleted rows no longer hold them.
func remove(t testing.TB, s store.Store, c *customer.Customer) {
	t.Helper()
	c.Version++
	c.Status = customer.StatusClosed
	c.DeletedAt = ptr(at(time.Hour))
	if err := s.UpdateCustomer(t.Context(), c); err != nil {
		t.Fatalf("UpdateCustomer(delete %q): %v", c.Name, err)
	}
}
