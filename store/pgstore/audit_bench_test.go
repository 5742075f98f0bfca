package pgstore

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// BenchmarkEncodeChanges measures the encoding of the changes of a
// customer's creation, the audit entry every imported row writes.
func BenchmarkEncodeChanges(b *testing.B) {
	at := time.Date(2024, time.March, 14, 9, 26, 53, 0, time.UTC)
	c := &customer.Customer{ID: "cus_01HV8Z4Q3W5X6Y7Z8A9B0C1D2E", AccountNumber: "ACC-00012345",
		Name: "A*** L***", Email: "a***@example.com", Phone: "+*******2671", Type: customer.TypeResidential,
		Status: customer.StatusActive, PreferredContact: customer.ContactEmail,
		BillingAddress: customer.Address{Street: "1*** M*** S***", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"},
		Version:        1, CreatedAt: at, UpdatedAt: at, CustomerSince: crm.DateOf(at)}
	cs := crm.Diff(nil, c, func(_ string, v any) any { return v })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeChanges(cs); err != nil {
			b.Fatal(err)
		}
	}
}
