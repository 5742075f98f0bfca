package contact_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// newServices returns a contact service and a customer to attach contacts
// to, billed in country (which decides how local phone numbers are read),
// over a fresh memory store. The HTTP tests run the same rules on both
// stores; these pin the library's own behaviour.
func newServices(t *testing.T, country string) (*contact.Service, store.Store, *customer.Customer) {
	t.Helper()
	return newServicesOn(t, memstore.New(), country)
}

// newServicesOn is newServices over st.
func newServicesOn(t *testing.T, st store.Store, country string) (*contact.Service, store.Store, *customer.Customer) {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	customers := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: now})
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: country}
	if country == "GB" {
		addr = customer.Address{Street: "10 Downing St", City: "London", State: "Greater London", PostalCode: "SW1A 2AA", Country: "GB"}
	}
	c, err := customers.Create(t.Context(), customer.Input{Name: "Owner", Email: "owner@example.com", Phone: "+12125550142",
		Type: customer.TypeSmallBusiness, BillingAddress: &addr})
	if err != nil {
		t.Fatal(err)
	}
	return contact.NewService(st, store.Tx[contact.Repository](st), contact.Options{Now: now}), st, c
}

// TestCreateNormalizes checks trimming, email domains, E.164 phones read
// in the customer's billing country, and the default contact method.
func TestCreateNormalizes(t *testing.T) {
	tests := []struct {
		name    string
		country string
		in      contact.Input
		want    contact.Input
	}{
		{"email default", "US",
			contact.Input{Name: " Ann  ", Email: "ann@Example.ORG", Phone: "(212) 555-0143", Type: contact.TypeBilling},
			contact.Input{Name: "Ann", Email: "ann@example.org", Phone: "+12125550143", Type: contact.TypeBilling, PreferredContactMethod: customer.ContactEmail}},
		{"phone default without email", "US",
			contact.Input{Name: "Bo", Mobile: "212 555 0144", Type: contact.TypeEmergency},
			contact.Input{Name: "Bo", Mobile: "+12125550144", Type: contact.TypeEmergency, PreferredContactMethod: customer.ContactPhone}},
		{"local numbers of a GB customer", "GB",
			contact.Input{Name: "Cy", Phone: "020 7946 0018", Type: contact.TypeTechnical, PreferredContactMethod: customer.ContactPhone},
			contact.Input{Name: "Cy", Phone: "+442079460018", Type: contact.TypeTechnical, PreferredContactMethod: customer.ContactPhone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, c := newServices(t, tt.country)
			got, err := svc.Create(t.Context(), c.ID, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, contact.InputOf(got)); diff != "" {
				t.Errorf("stored input (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPrimaryDemotionEvents checks that promoting a contact demotes the
// previous primary in the same transaction, with an event for each write.
func TestPrimaryDemotionEvents(t *testing.T) {
	svc, st, c := newServices(t, "US")
	ctx := t.Context()
	in := contact.Input{Name: "First", Email: "first@example.com", Type: contact.TypeTechnical, IsPrimary: true}
	first, err := svc.Create(ctx, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Name, in.Email = "Second", "second@example.com"
	second, err := svc.Create(ctx, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(ctx, c.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.IsPrimary || got.Version != 2 || !second.IsPrimary {
		t.Errorf("first = %+v, second = %+v", got, second)
	}
	events, err := st.ListEvents(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	want := []string{customer.EventCreated, contact.EventCreated, contact.EventUpdated, contact.EventCreated}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("event types (-want +got):\n%s", diff)
	}
}

// TestErrors checks the codes of the library's errors and that invalid
// input names every bad field.
func TestErrors(t *testing.T) {
	svc, _, c := newServices(t, "US")
	ctx := t.Context()
	ok, err := svc.Create(ctx, c.ID, contact.Input{Name: "Ok", Email: "ok@example.com", Type: contact.TypeBilling})
	if err != nil {
		t.Fatal(err)
	}
	other := crm.NewID()
	tests := []struct {
		name   string
		err    error
		code   crm.Code
		fields []string
	}{
		{"every bad field", func() error {
			_, err := svc.Create(ctx, c.ID, contact.Input{Title: strings.Repeat("x", 101), Email: "x@", Phone: "12",
				Mobile: "+1 999 999 9999", Type: "boss", PreferredContactMethod: "fax"})
			return err
		}(), crm.CodeInvalid, []string{"contact_type", "email", "mobile", "name", "phone", "preferred_contact_method", "title"}},
		{"sms needs a mobile", func() error {
			_, err := svc.Replace(ctx, c.ID, ok.ID, contact.Input{Name: "Ok", Email: "ok@example.com", Type: contact.TypeBilling,
				PreferredContactMethod: customer.ContactSMS}, 0)
			return err
		}(), crm.CodeInvalid, []string{"preferred_contact_method"}},
		{"bad list parameters", func() error {
			_, err := svc.List(ctx, c.ID, contact.ListParams{Type: "boss", Limit: 500, Cursor: "x"})
			return err
		}(), crm.CodeInvalid, []string{"contact_type", "cursor", "limit"}},
		{"unknown customer", func() error { _, err := svc.Create(ctx, other, contact.Input{}); return err }(), crm.CodeNotFound, nil},
		{"other customer's contact", func() error { _, err := svc.Get(ctx, other, ok.ID); return err }(), crm.CodeNotFound, nil},
		{"stale version", svc.Delete(ctx, c.ID, ok.ID, 7), crm.CodePreconditionFailed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := crm.ErrorCode(tt.err); got != tt.code {
				t.Fatalf("error %v, want code %s", tt.err, tt.code)
			}
			var fields []string
			for _, f := range crm.ErrorFields(tt.err) {
				fields = append(fields, f.Field)
			}
			slices.Sort(fields)
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
