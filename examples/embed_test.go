package examples_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store/memstore"
)

// Example_embed uses the customer rules as a library, with no server and no
// database: customer.Service over the in-memory store.
func Example_embed() {
	ctx := context.Background()

	// Any store.Store works here; pgstore.Open gives the Postgres one.
	st := memstore.New()
	defer st.Close()
	services, err := app.New(st, app.Options{})
	if err != nil {
		log.Fatal(err)
	}
	svc := services.Customers

	// The audit trail records who made each change.
	ctx = crm.WithActor(ctx, crm.Actor{ID: "billing-sync"})

	addr := customer.Address{Street: "350 5th Ave", City: "New York", State: "NY", PostalCode: "10118", Country: "US"}
	c, err := svc.Create(ctx, customer.Input{
		Name:           "Ada Lovelace",
		Email:          "ada@Example.COM",
		Phone:          "(212) 555-0142",
		Type:           customer.TypeResidential,
		BillingAddress: &addr,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Email domains are lower-cased and phones stored in E.164.
	fmt.Println(c.Name, c.Email, c.Phone, c.Status)

	// Rules are enforced by the library, not by the HTTP layer: a second
	// customer with the same email is a conflict.
	dup := customer.Input{Name: "Someone Else", Email: "ada@example.com", Phone: "+1 212 555 0143",
		Type: customer.TypeResidential, BillingAddress: &addr}
	_, err = svc.Create(ctx, dup)
	fmt.Println("duplicate:", crm.ErrorCode(err))

	c, err = svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, Notes: "invoice 60 days overdue"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Status, c.Suspension.Reason)

	page, err := svc.List(ctx, customer.ListParams{Filter: customer.Filter{Status: customer.StatusSuspended}})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range page.Items {
		fmt.Println("suspended:", c.Name)
	}
	// Output:
	// Ada Lovelace ada@example.com +12125550142 active
	// duplicate: conflict
	// suspended non_payment
	// suspended: Ada Lovelace
}
