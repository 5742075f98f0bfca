package pgstore_test

import (
	"context"
	"io/fs"
	"net/url"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/pgstore"
)

// TestExternalIDMigration checks that a customer stored before customers
// had an external id and a customer_since reads, once the migration that
// adds them has run, without an external id and as a customer since its
// creation date in UTC: the migration is rolled back with its down file
// and its up file runs again, over a connection whose time zone is 14
// hours ahead of UTC, where the customer was created on the next day.
func TestExternalIDMigration(t *testing.T) {
	ctx := context.Background()
	dsn, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := dsn.Query()
	q.Set("timezone", "Pacific/Kiritimati")
	dsn.RawQuery = q.Encode()
	s, err := pgstore.Open(ctx, dsn.String(), pgstore.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("pgstore.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	created := time.Date(2024, time.February, 29, 12, 30, 0, 0, time.UTC)
	svc := customer.NewService(s, store.Tx[customer.Repository](s), customer.Options{Now: func() time.Time { return created }})
	in := customer.Input{
		Name: "Old Timer", Email: "old.timer@example.com", Phone: "+14155550100", Type: customer.TypeResidential,
		BillingAddress: &customer.Address{Street: "1 Market St", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"},
		ExternalID:     "legacy-1",
		CustomerSince:  &crm.Date{Year: 2001, Month: time.May, Day: 2},
	}
	c, err := svc.Create(ctx, in)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}

	migration := func(name string) string {
		b, err := fs.ReadFile(pgstore.MigrationFS(), "20250101000015_customer_external_id.tx."+name+".sql")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := s.ExecForTest(ctx, migration("down")); err != nil {
		t.Fatalf("down: %v", err)
	}
	if err := s.ExecForTest(ctx, migration("up")); err != nil {
		t.Fatalf("up: %v", err)
	}

	got, err := svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if want := (crm.Date{Year: 2024, Month: time.February, Day: 29}); got.CustomerSince != want || got.ExternalID != "" {
		t.Errorf("migrated customer: customer_since %s, external_id %q; want %s, none", got.CustomerSince, got.ExternalID, want)
	}
	// The unique index is back, and a clash is a conflict naming the field.
	defs, err := s.StringsForTest(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = 'customers_external_id_key'`)
	const want = `CREATE UNIQUE INDEX customers_external_id_key ON public.customers USING btree (external_id) ` +
		`WHERE ((deleted_at IS NULL) AND (external_id IS NOT NULL))`
	if err != nil || len(defs) != 1 || defs[0] != want {
		t.Errorf("index after the migration = %q, %v; want %q", defs, err, want)
	}
	if _, err := svc.Update(ctx, c.ID, 0, func(in *customer.Input) error { in.ExternalID = "legacy-1"; return nil }); err != nil {
		t.Fatalf("set external id: %v", err)
	}
	in.Email, in.Phone = "new.timer@example.com", "+14155550101"
	_, err = svc.Create(ctx, in)
	if fields := crm.ErrorFields(err); crm.ErrorCode(err) != crm.CodeConflict || len(fields) != 1 || fields[0].Field != "external_id" {
		t.Errorf("Create with a taken external id after the migration: %v, want a conflict on external_id", err)
	}
}
