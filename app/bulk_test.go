package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestBulkJobs checks the bulk service New wires: on the app's clock,
// its imports create customers through the customer service.
func TestBulkJobs(t *testing.T) {
	teststore.Run(t, func(t *testing.T, s store.Store) {
		now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		svc, err := app.New(s, app.Options{Now: testkit.NewClock(now).Now})
		if err != nil {
			t.Fatal(err)
		}
		ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_test"})
		body := "name,email,phone,customer_type,billing_address.street,billing_address.city,billing_address.state,billing_address.postal_code,billing_address.country\n" +
			"Ada Lovelace,ada@example.com,(212) 555-0142,residential,350 5th Ave,New York,NY,10118,US\n"
		j, err := svc.Bulk.SubmitImport(ctx, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if !j.CreatedAt.Equal(now) {
			t.Errorf("job created at %s, want the app's clock %s", j.CreatedAt, now)
		}
		for {
			n, err := svc.Bulk.ProcessDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		if j, err = svc.Bulk.Get(ctx, j.ID); err != nil || j.State != bulk.StateSucceeded || j.Counts.Created != 1 {
			t.Fatalf("job %+v, %v; want succeeded with one created", j, err)
		}
		c, err := s.GetCustomerByEmail(ctx, "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if !c.CreatedAt.Equal(now) {
			t.Errorf("the imported customer was created at %s, want the app's clock %s", c.CreatedAt, now)
		}
	})
}
