package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
)

// TestRefitFromDatabase runs the operator's refit against a Postgres
// database holding a year of history before today: six customers whose
// services ended in the window and six who stayed. The model file it
// writes is one the server can load.
func TestRefitFromDatabase(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_test"})
	st, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := app.New(st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	today := crm.DateOf(time.Now())
	monthsAgo := func(n, day int) *crm.Date {
		d := crm.DateOf(time.Date(today.Year, today.Month-time.Month(n), day, 0, 0, 0, 0, time.UTC))
		return &d
	}
	for i := range 12 {
		addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
		c, err := svc.Customers.Create(ctx, customer.Input{Name: fmt.Sprintf("C%d", i), Email: fmt.Sprintf("c%d@example.com", i),
			Phone: fmt.Sprintf("+1212555%04d", i), Type: customer.TypeResidential, BillingAddress: &addr})
		if err != nil {
			t.Fatal(err)
		}
		price := crm.Money(5000 + 100*i)
		in := customer.SubscriptionInput{PlanName: "Fiber", Technology: customer.TechFiber, MonthlyPrice: &price,
			ContractTerm: customer.TermTwoYear, StartDate: monthsAgo(36, 1+i)}
		if i%2 == 0 { // the leavers: newer, month to month, gone six months ago
			in.ContractTerm, in.StartDate, in.EndDate = customer.TermMonthToMonth, monthsAgo(15, 1+i), monthsAgo(6, 1+i)
		}
		if _, err := svc.Customers.AddSubscription(ctx, c.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "model.json")
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"-db", dsn, "-window", "12", "-out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analytics.ParseModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != analytics.RefitModelName || m.TrainingRows != 12 {
		t.Errorf("model %s on %d rows, want %s on 12", m.Name, m.TrainingRows, analytics.RefitModelName)
	}
	if !strings.Contains(stdout.String(), "12 customers, 12-month window") {
		t.Errorf("output %q", stdout.String())
	}
	if err := run(ctx, []string{"-db", dsn, "-csv", "x.csv"}, &stdout, &stderr); err == nil {
		t.Error("-db with -csv succeeded")
	}
}
