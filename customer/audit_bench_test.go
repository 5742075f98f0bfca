package customer

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
)

// fullCustomer is a customer with every field set, as a bulk import
// creates one.
func fullCustomer() *Customer {
	at := time.Date(2024, time.March, 14, 9, 26, 53, 589793000, time.UTC)
	until := at.Add(72 * time.Hour)
	score := 712
	return &Customer{
		ID: "cus_01HV8Z4Q3W5X6Y7Z8A9B0C1D2E", AccountNumber: "ACC-00012345",
		Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+14155552671",
		Type: TypeSmallBusiness, Status: StatusSuspended,
		BillingAddress: Address{Street: "1 Main Street", Unit: "Apt 4", City: "San Francisco", State: "CA",
			PostalCode: "94105", Country: "US", Coordinates: &Coordinates{Latitude: 37.7897, Longitude: -122.3942}},
		ServiceAddress: &Address{Street: "2 Market Street", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"},
		TaxID:          &TaxID{Ciphertext: []byte{1, 2, 3}, BlindIndex: "bi0123456789abcdef"}, TaxIDLast4: "6789",
		Company: "Analytical Engines Ltd", Industry: "computing", CreditScore: &score,
		PreferredContact:         ContactEmail,
		CommunicationPreferences: CommunicationPreferences{MarketingEmails: true, ServiceNotifications: true},
		EmergencyContact:         &EmergencyContact{Name: "Charles Babbage", Relationship: "colleague", Phone: "+14155550100", Email: "cb@example.com"},
		Notes:                    "prefers <email> & letters",
		Suspension:               &Suspension{Reason: ReasonNonPayment, Notes: "two invoices overdue", Since: at, Until: &until},
		Version:                  3, CreatedAt: at, UpdatedAt: at,
		ExternalID: "SF-0042", CustomerSince: crm.Date{Year: 2001, Month: time.May, Day: 2},
	}
}

// BenchmarkDiffCustomers measures the audit diff of a bulk import's create
// (nil to a full customer) and of an update that changes two fields.
func BenchmarkDiffCustomers(b *testing.B) {
	after := fullCustomer()
	changed := fullCustomer()
	changed.Email, changed.BillingAddress.City = "ada@example.org", "Oakland"
	b.Run("create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			diffCustomers(nil, after)
		}
	})
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			diffCustomers(after, changed)
		}
	})
}
