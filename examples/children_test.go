package examples_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store/memstore"
)

// Example_contactsAndDocuments keeps a customer's contact persons and
// documents through the library: contact.Service over the store, and
// document.Service over the store and a gocloud.dev/blob bucket.
func Example_contactsAndDocuments() {
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "onboarding"})
	st := memstore.New()
	defer st.Close()
	bucket := memblob.OpenBucket(nil) // blob.OpenBucket(ctx, "s3://…") in production
	defer bucket.Close()
	// app.New wires every service over the store: deleting a customer
	// erases its contacts and documents in the same transaction and purges
	// its files once the delete commits.
	services, err := app.New(st, app.Options{Bucket: bucket})
	if err != nil {
		log.Fatal(err)
	}
	customers, contacts, docs := services.Customers, services.Contacts, services.Documents

	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := customers.Create(ctx, customer.Input{Name: "Acme Widgets", Email: "ops@acme.example", Phone: "+1 217 555 0101",
		Type: customer.TypeSmallBusiness, BillingAddress: &addr})
	if err != nil {
		log.Fatal(err)
	}

	// A second primary billing contact takes the mark from the first.
	first, err := contacts.Create(ctx, c.ID, contact.Input{Name: "Grace", Email: "grace@acme.example", Type: contact.TypeBilling, IsPrimary: true})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := contacts.Create(ctx, c.ID, contact.Input{Name: "Alan", Phone: "(217) 555-0102", Type: contact.TypeBilling, IsPrimary: true}); err != nil {
		log.Fatal(err)
	}
	first, err = contacts.Get(ctx, c.ID, first.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Grace still primary:", first.IsPrimary)

	// The type of a file is decided by its bytes, not by its name.
	_, err = docs.Upload(ctx, c.ID, document.UploadInput{Name: "invoice.pdf", Type: document.TypeContract},
		strings.NewReader("MZ\x90\x00 this is a Windows program"))
	fmt.Println("disguised executable:", crm.ErrorCode(err))
	d, err := docs.Upload(ctx, c.ID, document.UploadInput{Name: "Service contract", Type: document.TypeContract},
		strings.NewReader("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Name, d.MimeType, d.FileSize)

	// Deleting the customer erases its contacts and documents.
	if err := customers.Delete(ctx, c.ID, customer.DeleteOptions{}); err != nil {
		log.Fatal(err)
	}
	_, err = contacts.Get(ctx, c.ID, first.ID)
	fmt.Println("contact after delete:", crm.ErrorCode(err))
	kept, err := bucket.Exists(ctx, d.ObjectKey)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("file after delete:", kept)
	// Output:
	// Grace still primary: false
	// disguised executable: unsupported_media_type
	// Service contract application/pdf 15
	// contact after delete: not_found
	// file after delete: false
}
