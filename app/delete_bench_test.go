package app_test

import (
	"context"
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
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		c, err := svc.Customers.Create(ctx, benchInput(i))
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
