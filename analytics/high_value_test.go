package analytics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// TestHighValueThreshold checks the top-10 % rule on hand-picked values
// (21 customers: the threshold is the value at rank ceil(2.1) = 3) and
// that a threshold is reused for ThresholdTTL, then computed again.
func TestHighValueThreshold(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	clock := now
	svc := analytics.NewService(st, store.Tx[analytics.Repository](st), analytics.Options{Now: func() time.Time { return clock }})
	customers := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: func() time.Time { return clock }})
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	var ps []analytics.Profile
	for i := range 21 {
		name := fmt.Sprintf("C%02d", i)
		c, err := customers.Create(ctx, customer.Input{Name: name, Email: name + "@example.com", Phone: fmt.Sprintf("+1212555%04d", i),
			Type: customer.TypeResidential, BillingAddress: &addr})
		if err != nil {
			t.Fatal(err)
		}
		// C00 is worth 100.00, C01 90.00, C02 80.00, …
		p := analytics.NoProfile(c.ID)
		p.PredictedLTV = crm.Money(max(0, 10000-1000*i))
		ps = append(ps, p)
	}
	if err := st.SaveProfiles(ctx, ps); err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		page, err := svc.HighValue(ctx, analytics.RankParams{})
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, p := range page.Items {
			out = append(out, p.Customer.Name)
		}
		return out
	}
	if diff := cmp.Diff([]string{"C00", "C01", "C02"}, names()); diff != "" {
		t.Errorf("top 10 %% (-want +got):\n%s", diff)
	}
	// C03 climbs to the top: the cached threshold (80.00) still applies.
	ps[3].PredictedLTV = 20000
	if err := st.SaveProfiles(ctx, ps[3:4]); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"C03", "C00", "C01", "C02"}, names()); diff != "" {
		t.Errorf("within the TTL (-want +got):\n%s", diff)
	}
	clock = clock.Add(analytics.ThresholdTTL)
	if diff := cmp.Diff([]string{"C03", "C00", "C01"}, names()); diff != "" {
		t.Errorf("after the TTL (-want +got):\n%s", diff)
	}
}
