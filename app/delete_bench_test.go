package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
)

// BenchmarkDeletePostgres times the deletion of a customer with two
// contacts on Postgres: the closing update plus every eraser, in one
// transaction. Only the Delete is timed.
func BenchmarkDeletePostgres(b *testing.B) {
	svc, err := app.New(teststore.Postgres(b), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "bench"})
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		c, err := svc.Customers.Create(ctx, customer.Input{Name: "Bench", Email: fmt.Sprintf("b%d@example.com", i),
			Phone: fmt.Sprintf("+1217555%04d", i%10000), Type: customer.TypeResidential, BillingAddress: &addr})
		if err != nil {
			b.Fatal(err)
		}
		for _, typ := range []contact.Type{contact.TypeBilling, contact.TypeTechnical} {
			if _, err := svc.Contacts.Create(ctx, c.ID, contact.Input{Name: "C", Email: "c@example.com", Type: typ}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := svc.Customers.Delete(ctx, c.ID, customer.DeleteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
