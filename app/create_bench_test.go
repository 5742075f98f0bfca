package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
)

// BenchmarkCreatePostgres times the creation of a customer on Postgres:
// the insert with its audit entry and event (a create tells no watcher:
// the customer has no profile until its first service or feed).
func BenchmarkCreatePostgres(b *testing.B) {
	svc, err := app.New(teststore.Postgres(b), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "bench"})
	for i := 0; b.Loop(); i++ {
		if _, err := svc.Customers.Create(ctx, benchInput(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// benchInput is the i-th customer a benchmark creates, with an email and
// a phone number of its own.
func benchInput(i int) customer.Input {
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	return customer.Input{Name: "Bench", Email: fmt.Sprintf("b%d@example.com", i),
		Phone: fmt.Sprintf("+1217%03d%04d", 200+i/10000%800, i%10000), Type: customer.TypeResidential, BillingAddress: &addr}
}
