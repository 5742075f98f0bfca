package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// subscriptions is the service to the cases every customer's record
// shares.
var subscriptions = child[customer.Subscription]{
	name: "Subscription",
	new:  newFullSubscription,
	vary: func(v *customer.Subscription, i int) {
		v.Status, v.MonthlyPrice = customer.SubscriptionStatuses[i%len(customer.SubscriptionStatuses)], crm.Money(100*i)
	},
	change: func(v *customer.Subscription) {
		v.PlanName, v.ServiceType, v.Technology, v.Status = "Cable 200", customer.ServiceInternet, customer.TechCable, customer.SubscriptionCancelled
		v.MonthlyPrice, v.ContractTerm = 2999, customer.TermMonthToMonth
		v.StartDate, v.EndDate = crm.Date{Year: 2023, Month: time.December, Day: 1}, &crm.Date{Year: 2025, Month: time.March, Day: 14}
		v.BandwidthDownMbps, v.BandwidthUpMbps, v.ServiceAddress = 200, 20, nil
		v.SuspendedWithCustomer, v.UpdatedAt = true, at(time.Hour)
	},
	scribble: func(v *customer.Subscription) {
		v.PlanName = "scribbled"
		v.EndDate.Day = 2
		v.ServiceAddress.City = "scribbled"
		v.ServiceAddress.Coordinates.Latitude = -1
	},
	key:    func(v *customer.Subscription) (*string, *string, *int64) { return &v.ID, &v.CustomerID, &v.Version },
	create: store.Store.CreateSubscription,
	get:    store.Store.GetSubscription,
	update: store.Store.UpdateSubscription,
	list:   store.Store.ListSubscriptions,
}

var subscriptionTests = append(subscriptions.tests(),
	test{"RoundTrip", testSubscriptionRoundTrip},
	test{"ServiceTypes", testSubscriptionServiceTypes},
	test{"WithCustomer", testCustomerDetails},
	test{"Totals", testSubscriptionTotals},
	test{"SuspendRestore", testSuspendRestoreSubscriptions},
	test{"Cancel", testCancelSubscriptions},
)

// getSub reads a service, failing the test on error.
func getSub(t *testing.T, s store.Store, customerID, id string) *customer.Subscription {
	t.Helper()
	return subscriptions.mustGet(t, s, customerID, id)
}

func testSubscriptionRoundTrip(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	c := newCustomer(t, "Subscriber")
	create(t, s, c)
	full := newSubscription(t, c.ID, customer.SubscriptionSuspended, 12345)
	full.EndDate = &crm.Date{Year: 2026, Month: time.February, Day: 28}
	full.SuspendedWithCustomer = true
	full.Version, full.UpdatedAt = 3, at(time.Hour)
	bare := newSubscription(t, c.ID, customer.SubscriptionPending, 0)
	bare.ServiceAddress, bare.BandwidthDownMbps, bare.BandwidthUpMbps = nil, 0, 0
	noCoordinates := newSubscription(t, c.ID, customer.SubscriptionActive, 1)
	noCoordinates.ServiceAddress.Coordinates = nil
	for _, sub := range []*customer.Subscription{full, bare, noCoordinates} {
		ok(t, "CreateSubscription", s.CreateSubscription(t.Context(), sub))
		check(t, "GetSubscription", sub, getSub(t, s, c.ID, sub.ID))
	}
}

// testSubscriptionServiceTypes round-trips a service of each type, without
// a technology (only internet access requires one) and with one, through
// GetSubscription, ListSubscriptions and the detail read, and changes a
// service's type.
func testSubscriptionServiceTypes(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Bundle")
	create(t, s, c)
	var want []customer.Subscription
	for _, typ := range customer.ServiceTypes {
		for _, tech := range []customer.Technology{"", customer.TechCable} {
			if tech == "" && typ == customer.ServiceInternet {
				continue
			}
			sub := newSubscription(t, c.ID, customer.SubscriptionActive, 1000)
			sub.PlanName, sub.ServiceType, sub.Technology = string(typ)+" plan", typ, tech
			ok(t, "CreateSubscription", s.CreateSubscription(ctx, sub))
			check(t, "GetSubscription "+string(typ), sub, getSub(t, s, c.ID, sub.ID))
			want = append(want, *sub)
		}
	}
	want = subscriptions.sorted(want)
	list, err := s.ListSubscriptions(ctx, c.ID, "", 0)
	ok(t, "ListSubscriptions", err)
	check(t, "ListSubscriptions", want, list)
	_, subs, _, err := s.GetCustomerDetails(ctx, c.ID, 0)
	ok(t, "GetCustomerDetails", err)
	check(t, "GetCustomerDetails", want, subs)

	changed := want[0]
	changed.ServiceType = customer.ServiceOther
	if changed.ServiceType == want[0].ServiceType {
		changed.ServiceType = customer.ServiceVoice
	}
	changed.Version++
	ok(t, "UpdateSubscription", s.UpdateSubscription(ctx, &changed))
	check(t, "changed service type", &changed, getSub(t, s, c.ID, changed.ID))
}

// testCustomerDetails pins the detail read: the customer as GetCustomer
// returns it, its own services in id order up to the limit, an empty list
// for a customer without services, the Insight of its profile (none
// before a profile is saved, none when the profile has none), and
// not_found once deleted or for an unknown id.
func testCustomerDetails(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b, empty := newFullCustomer(t), newCustomer(t, "B"), newCustomer(t, "Empty")
	create(t, s, a, b, empty)
	var want []customer.Subscription
	for i, j := range []int{2, 0, 3, 1} {
		sub := newSubscription(t, a.ID, customer.SubscriptionStatuses[i%len(customer.SubscriptionStatuses)], crm.Money(100*j))
		ok(t, "CreateSubscription", s.CreateSubscription(ctx, sub))
		want = append(want, *sub)
		ok(t, "CreateSubscription", s.CreateSubscription(ctx, newSubscription(t, b.ID, customer.SubscriptionActive, 5)))
	}
	want = subscriptions.sorted(want)

	read := func(id string, limit int) (*customer.Customer, []customer.Subscription, *customer.Insight) {
		t.Helper()
		c, subs, in, err := s.GetCustomerDetails(ctx, id, limit)
		ok(t, "GetCustomerDetails", err)
		return c, subs, in
	}
	for _, limit := range []int{0, 2, 4, 10} {
		c, subs, in := read(a.ID, limit)
		check(t, "customer", a, c)
		n := len(want)
		if limit > 0 {
			n = min(n, limit)
		}
		check(t, "services", want[:n], subs)
		check(t, "no insight before a profile", (*customer.Insight)(nil), in)
	}
	c, subs, _ := read(empty.ID, 10)
	check(t, "customer without services", empty, c)
	check(t, "no services", []customer.Subscription(nil), subs)

	// The insight of a's profile comes with a and its services; b's
	// profile has none.
	pb := fullProfile(b.ID, 1)
	pb.Insight = nil
	ok(t, "SaveProfiles", s.SaveProfiles(ctx, []analytics.Profile{fullProfile(a.ID, 0), pb}))
	for limit, n := range map[int]int{0: len(want), 2: 2} {
		c, subs, in := read(a.ID, limit)
		check(t, "customer with a profile", a, c)
		check(t, "services with a profile", want[:n], subs)
		check(t, "insight", fullInsight(0), in)
	}
	c, subs, in := read(empty.ID, 0)
	check(t, "customer without services or profile", empty, c)
	check(t, "no services, no profile", []customer.Subscription(nil), subs)
	check(t, "no insight without a profile", (*customer.Insight)(nil), in)
	_, _, in = read(b.ID, 0)
	check(t, "no insight in the profile", (*customer.Insight)(nil), in)

	remove(t, s, b)
	_, _, _, err := s.GetCustomerDetails(ctx, b.ID, 10)
	wantCode(t, "GetCustomerDetails of deleted", err, crm.CodeNotFound)
	_, _, _, err = s.GetCustomerDetails(ctx, newID(t), 10)
	wantCode(t, "GetCustomerDetails of unknown", err, crm.CodeNotFound)
}

func testSubscriptionTotals(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	subscriptions.mustCreate(t, s,
		newSubscription(t, a.ID, customer.SubscriptionActive, 1999),
		newSubscription(t, a.ID, customer.SubscriptionActive, 4999),
		newSubscription(t, a.ID, customer.SubscriptionSuspended, 999),
		newSubscription(t, a.ID, customer.SubscriptionPending, 100),
		newSubscription(t, a.ID, customer.SubscriptionCancelled, 500),
		newSubscription(t, b.ID, customer.SubscriptionActive, 7000),
	)
	for _, tc := range []struct {
		name string
		id   string
		want customer.SubscriptionTotals
	}{
		{"only active count", a.ID, customer.SubscriptionTotals{Active: 2, MonthlyRecurring: 6998}},
		{"other customer", b.ID, customer.SubscriptionTotals{Active: 1, MonthlyRecurring: 7000}},
		{"no services", newID(t), customer.SubscriptionTotals{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.SubscriptionTotals(ctx, tc.id)
			ok(t, "SubscriptionTotals", err)
			check(t, "SubscriptionTotals", tc.want, got)
		})
	}
}

// Suspending a customer suspends exactly its active services and marks
// them; reactivating restores exactly the marked ones. A service suspended
// on its own stays suspended.
func testSuspendRestoreSubscriptions(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	active1 := newSubscription(t, a.ID, customer.SubscriptionActive, 1000)
	active2 := newSubscription(t, a.ID, customer.SubscriptionActive, 2000)
	onItsOwn := newSubscription(t, a.ID, customer.SubscriptionSuspended, 3000)
	pending := newSubscription(t, a.ID, customer.SubscriptionPending, 4000)
	cancelled := newSubscription(t, a.ID, customer.SubscriptionCancelled, 5000)
	cancelled.EndDate = &crm.Date{Year: 2024, Month: time.June, Day: 30}
	others := newSubscription(t, b.ID, customer.SubscriptionActive, 6000)
	subs := []*customer.Subscription{active1, active2, onItsOwn, pending, cancelled, others}
	subscriptions.mustCreate(t, s, subs...)
	expect := func(what string) {
		t.Helper()
		for _, sub := range subs {
			check(t, what+" "+sub.PlanName, sub, getSub(t, s, sub.CustomerID, sub.ID))
		}
	}
	for i, sub := range subs {
		sub.PlanName = []string{"active1", "active2", "onItsOwn", "pending", "cancelled", "others"}[i]
		sub.Version++
		ok(t, "UpdateSubscription (name)", s.UpdateSubscription(ctx, sub))
	}

	for _, step := range []struct {
		name  string
		op    func(ctx context.Context, customerID string, at time.Time) (int, error)
		at    time.Time
		count int
		// status is what active1 and active2 have after the step; "" when
		// the step leaves them as they are.
		status       customer.SubscriptionStatus
		withCustomer bool
	}{
		{"SuspendSubscriptions", s.SuspendSubscriptions, at(time.Hour), 2, customer.SubscriptionSuspended, true},
		{"SuspendSubscriptions again", s.SuspendSubscriptions, at(90 * time.Minute), 0, "", false},
		{"RestoreSubscriptions", s.RestoreSubscriptions, at(2 * time.Hour), 2, customer.SubscriptionActive, false},
		{"RestoreSubscriptions again", s.RestoreSubscriptions, at(3 * time.Hour), 0, "", false},
	} {
		n, err := step.op(ctx, a.ID, step.at)
		ok(t, step.name, err)
		check(t, step.name+" count", step.count, n)
		if step.status != "" {
			for _, sub := range []*customer.Subscription{active1, active2} {
				sub.Status, sub.SuspendedWithCustomer, sub.Version, sub.UpdatedAt = step.status, step.withCustomer, sub.Version+1, step.at
			}
		}
		expect("after " + step.name)
	}

	n, err := s.SuspendSubscriptions(ctx, newID(t), at(time.Hour))
	ok(t, "SuspendSubscriptions of unknown customer", err)
	check(t, "SuspendSubscriptions of unknown customer", 0, n)
}

// Cancelling cancels what is not cancelled yet (keeping an end date that is
// set) and erases every service address, also of services cancelled before.
// A cancelled service is no longer suspended with its customer, so a later
// restore leaves it cancelled.
func testCancelSubscriptions(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	active := newSubscription(t, a.ID, customer.SubscriptionActive, 1000)
	withEnd := newSubscription(t, a.ID, customer.SubscriptionPending, 2000)
	withEnd.EndDate = &crm.Date{Year: 2027, Month: time.January, Day: 1}
	withCustomer := newSubscription(t, a.ID, customer.SubscriptionSuspended, 3000)
	withCustomer.SuspendedWithCustomer = true
	already := newSubscription(t, a.ID, customer.SubscriptionCancelled, 4000)
	already.EndDate = &crm.Date{Year: 2024, Month: time.June, Day: 30}
	others := newSubscription(t, b.ID, customer.SubscriptionActive, 5000)
	subscriptions.mustCreate(t, s, active, withEnd, withCustomer, already, others)

	end, cancelAt := crm.Date{Year: 2025, Month: time.March, Day: 14}, at(time.Hour)
	n, err := s.CancelSubscriptions(ctx, a.ID, end, cancelAt)
	ok(t, "CancelSubscriptions", err)
	check(t, "CancelSubscriptions count", 3, n)
	for _, sub := range []*customer.Subscription{active, withEnd, withCustomer} {
		sub.Status, sub.SuspendedWithCustomer, sub.ServiceAddress = customer.SubscriptionCancelled, false, nil
		sub.Version, sub.UpdatedAt = sub.Version+1, cancelAt
		if sub.EndDate == nil {
			sub.EndDate = &end
		}
		check(t, "cancelled service", sub, getSub(t, s, a.ID, sub.ID))
	}
	// Whether erasing the address of an already cancelled service bumps its
	// version is left to the store.
	got := getSub(t, s, a.ID, already.ID)
	check(t, "already cancelled service: address", (*customer.Address)(nil), got.ServiceAddress)
	check(t, "already cancelled service: status", customer.SubscriptionCancelled, got.Status)
	check(t, "already cancelled service: end date", already.EndDate, got.EndDate)
	check(t, "other customer's service", others, getSub(t, s, b.ID, others.ID))

	n, err = s.RestoreSubscriptions(ctx, a.ID, at(2*time.Hour))
	ok(t, "RestoreSubscriptions after cancel", err)
	check(t, "RestoreSubscriptions after cancel", 0, n)
	check(t, "service suspended with customer, after cancel and restore", withCustomer, getSub(t, s, a.ID, withCustomer.ID))

	n, err = s.CancelSubscriptions(ctx, a.ID, end, at(3*time.Hour))
	ok(t, "CancelSubscriptions again", err)
	check(t, "CancelSubscriptions again count", 0, n)
}
