package demo

import (
	"context"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nyaruka/phonenumbers"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store/memstore"
)

func TestPlaces(t *testing.T) {
	if len(places) < 150 {
		t.Fatalf("zips.tsv has %d places, want at least 150", len(places))
	}
	zip := regexp.MustCompile(`^\d{5}$`)
	states := map[string]bool{}
	for _, p := range places {
		if !zip.MatchString(p.ZIP) || p.City == "" || p.Lat < 18 || p.Lat > 72 || p.Lon < -180 || p.Lon > -60 {
			t.Errorf("implausible place %+v", p)
		}
		if len(areaCodes[p.State]) == 0 {
			t.Errorf("state %s of %s has no area codes", p.State, p.ZIP)
		}
		states[p.State] = true
	}
	if len(states) != 51 {
		t.Errorf("zips.tsv covers %d states (with DC), want 51", len(states))
	}
}

// TestPhonesValid checks every number the generator can produce, at both
// ends of the line range, against libphonenumber, which customer.Service
// uses to validate phones.
func TestPhonesValid(t *testing.T) {
	for state, codes := range areaCodes {
		for _, ac := range codes {
			for _, nn := range []int{0, 99} {
				s := fictional(ac, nn)
				num, err := phonenumbers.Parse(s, "US")
				if err != nil || !phonenumbers.IsValidNumberForRegion(num, "US") {
					t.Errorf("%s (%s) is not a valid US number", s, state)
				}
			}
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, err := generate(300, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := generate(300, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	opts := cmp.AllowUnexported(record{}, serviceSpec{}, suspendSpec{})
	if diff := cmp.Diff(a, b, opts); diff != "" {
		t.Fatalf("same seed, different records (-first +second):\n%s", diff)
	}
	c, err := generate(300, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(a, c, opts) {
		t.Fatal("different seeds gave the same records")
	}
}

// TestGenerateManyUnique pushes the generator well past the demo's size to
// show emails and phones stay unique.
func TestGenerateManyUnique(t *testing.T) {
	recs, err := generate(5000, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	emails, phones := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		if emails[r.Input.Email] || phones[r.Input.Phone] {
			t.Fatalf("duplicate email or phone: %s %s", r.Input.Email, r.Input.Phone)
		}
		emails[r.Input.Email], phones[r.Input.Phone] = true, true
	}
}

// TestSeed loads the server's demo into the memory store and checks that it
// is the varied data set the documentation promises.
func TestSeed(t *testing.T) {
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "demo-test"})
	st := memstore.New()
	defer st.Close()
	key := make([]byte, 32)
	cipher, err := customer.NewTaxIDCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	wired, err := app.New(st, app.Options{TaxIDs: cipher})
	if err != nil {
		t.Fatal(err)
	}
	svc := wired.Customers

	const n = 300
	if err := Seed(ctx, svc, n, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}

	var all []customer.Customer
	params := customer.ListParams{Limit: crm.MaxLimit, IncludeTotal: true}
	for {
		page, err := svc.List(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		if *page.Total != n {
			t.Fatalf("total_count = %d, want %d", *page.Total, n)
		}
		all = append(all, page.Items...)
		if !page.HasMore {
			break
		}
		params.Cursor = page.NextCursor
	}
	if len(all) != n {
		t.Fatalf("listed %d customers, want %d", len(all), n)
	}

	types, states, reasons := map[customer.Type]int{}, map[string]bool{}, map[customer.SuspensionReason]int{}
	suspended, scheduled, services := 0, 0, 0
	serviceTypes := map[customer.ServiceType]int{}
	for _, c := range all {
		types[c.Type]++
		states[c.BillingAddress.State] = true
		if c.Status == customer.StatusSuspended {
			suspended++
			reasons[c.Suspension.Reason]++
			if c.Suspension.Until != nil {
				scheduled++
			}
		}
		page, err := svc.ListSubscriptions(ctx, c.ID, "", crm.MaxLimit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			t.Errorf("customer %s has no services", c.Name)
		}
		for _, s := range page.Items {
			services++
			serviceTypes[s.ServiceType]++
			if c.Status == customer.StatusSuspended && s.Status == customer.SubscriptionActive {
				t.Errorf("suspended customer %s has an active service", c.Name)
			}
			if s.Status != customer.SubscriptionPending && !s.StartDate.Before(crm.DateOf(c.CreatedAt)) {
				t.Errorf("service %s of %s starts %s: want a backdated start", s.PlanName, c.Name, s.StartDate)
			}
		}
	}
	for _, ty := range customer.Types {
		if types[ty] == 0 {
			t.Errorf("no %s customers", ty)
		}
	}
	if types[customer.TypeResidential] < n/2 {
		t.Errorf("%d residential customers of %d, want most", types[customer.TypeResidential], n)
	}
	if len(states) < 40 {
		t.Errorf("customers in %d states, want at least 40", len(states))
	}
	if suspended < n/20 || suspended > n/5 {
		t.Errorf("%d suspended customers of %d, want about a tenth", suspended, n)
	}
	if len(reasons) < 3 || scheduled == 0 {
		t.Errorf("suspension reasons %v, %d with an end date: want variety", reasons, scheduled)
	}
	if services < n {
		t.Errorf("%d services for %d customers", services, n)
	}
	if serviceTypes[customer.ServiceInternet] < n || len(serviceTypes) < 5 {
		t.Errorf("service types %v: want an internet line per customer and add-ons of several types", serviceTypes)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Garcia Plumbing LLC":        "garcia-plumbing-llc",
		"Smith & Sons":               "smith-sons",
		"City of Coeur d'Alene":      "city-of-coeur-d-alene",
		"Summit Health System, Inc.": "summit-health-system-inc",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
