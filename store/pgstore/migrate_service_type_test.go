package pgstore_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/pgstore"
)

// TestServiceTypeMigration checks that a service stored before services had
// a type reads as internet access once the migration that adds the type
// has run: the migration is rolled back with its down file, a service is
// inserted with the columns of that schema, and its up file runs again.
func TestServiceTypeMigration(t *testing.T) {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, pgtest.DSN(t), pgstore.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("pgstore.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	svc := customer.NewService(s, store.Tx[customer.Repository](s), customer.Options{})
	c, err := svc.Create(ctx, customer.Input{
		Name: "Old Timer", Email: "old.timer@example.com", Phone: "+14155550100", Type: customer.TypeResidential,
		BillingAddress: &customer.Address{Street: "1 Market St", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"},
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}

	migration := func(name string) string {
		b, err := fs.ReadFile(pgstore.MigrationFS(), "20250101000006_service_type.tx."+name+".sql")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := s.ExecForTest(ctx, migration("down")); err != nil {
		t.Fatalf("down: %v", err)
	}
	const id = "0190a0a0-0000-7000-8000-000000000001"
	if err := s.ExecForTest(ctx, `INSERT INTO services (customer_id, id, plan_name, technology, status, monthly_price,
		contract_term, start_date, bandwidth_down_mbps, bandwidth_up_mbps, suspended_with_customer, version, created_at, updated_at)
		VALUES ($1, $2, 'Fiber 500', 'fiber', 'active', 4999, 'one_year', '2020-01-01', 500, 100, false, 1, now(), now())`,
		c.ID, id); err != nil {
		t.Fatalf("insert old-style service: %v", err)
	}
	if err := s.ExecForTest(ctx, migration("up")); err != nil {
		t.Fatalf("up: %v", err)
	}

	sub, err := svc.GetSubscription(ctx, c.ID, id)
	if err != nil {
		t.Fatalf("GetSubscription: %v", err)
	}
	if sub.ServiceType != customer.ServiceInternet || sub.Technology != customer.TechFiber {
		t.Errorf("migrated service: type %q, technology %q; want internet, fiber", sub.ServiceType, sub.Technology)
	}
	// And it passes the rules on its next change.
	if _, err := svc.UpdateSubscription(ctx, c.ID, id, 0, func(in *customer.SubscriptionInput) error {
		in.BandwidthUpMbps = 200
		return nil
	}); err != nil {
		t.Errorf("update migrated service: %v", err)
	}
}
