package customer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// owed is a BalanceSource with a fixed balance per customer.
type owed map[string]crm.Money

func (o owed) Balance(_ context.Context, id string) (crm.Money, error) { return o[id], nil }

type fixture struct {
	svc   *customer.Service
	store store.Store
	clock *clock
	owed  owed
}

// TestService runs every service test against both stores: the rules
// must hold whichever store is plugged in.
func TestService(t *testing.T) {
	tests := []fixtureTest{
		{"CreateWritesHistoryAuditAndEvent", testCreateWritesHistoryAuditAndEvent},
		{"CreateConflicts", testCreateConflicts},
		{"ReplaceHonoursVersion", testReplaceHonoursVersion},
		{"SuspendReactivateLifecycle", testSuspendReactivateLifecycle},
		{"SuspendUntilReactivatesAutomatically", testSuspendUntilReactivatesAutomatically},
		{"LifecycleHistoryOrdered", testLifecycleHistoryOrdered},
		{"ImplausibleInputRefused", testImplausibleInputRefused},
		{"DeleteErasesAndFreesIdentity", testDeleteErasesAndFreesIdentity},
		{"DeleteWithoutServices", testDeleteWithoutServices},
		{"ListPagesAndValidates", testListPagesAndValidates},
		{"ServicesRules", testServicesRules},
	}
	runFixtureTests(t, tests)
}

// fixtureTest is a test of the service, given a fixture of its own.
type fixtureTest struct {
	name string
	run  func(*testing.T, *fixture)
}

// runFixtureTests runs each test as a parallel subtest on both stores,
// each with a fixture over a fresh store.
func runFixtureTests(t *testing.T, tests []fixtureTest) {
	teststore.ForEach(t, func(t *testing.T, open func(testing.TB) store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				tt.run(t, newFixture(t, open(t)))
			})
		}
	})
}

func newFixture(t *testing.T, s store.Store) *fixture {
	t.Helper()
	cipher, err := customer.NewTaxIDCipher([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, clock: &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}, owed: owed{}}
	f.svc = customer.NewService(s, store.Tx[customer.Repository](s), customer.Options{TaxIDs: cipher, Now: f.clock.Now, Balances: f.owed})
	return f
}

var seq atomic.Int64

func input(t customer.Type) customer.Input {
	n := seq.Add(1)
	return customer.Input{
		Name:  fmt.Sprintf("Customer %d", n),
		Email: fmt.Sprintf("c%d@example.com", n),
		Phone: fmt.Sprintf("+1415555%04d", n),
		Type:  t,
		BillingAddress: &customer.Address{
			Street: "1 Market St", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US",
		},
	}
}

func price(v crm.Money) *crm.Money { return &v }
func date(s string) *crm.Date {
	d, err := crm.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func (f *fixture) create(t *testing.T, in customer.Input) *customer.Customer {
	t.Helper()
	c, err := f.svc.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return c
}

func (f *fixture) addSubscription(t *testing.T, id string) *customer.Subscription {
	t.Helper()
	sub, err := f.svc.AddSubscription(context.Background(), id, customer.SubscriptionInput{
		PlanName: "Fiber 500", Technology: customer.TechFiber, MonthlyPrice: price(6999), StartDate: date("2019-05-01"),
		BandwidthDownMbps: 500, BandwidthUpMbps: 500,
	})
	if err != nil {
		t.Fatalf("AddService: %v", err)
	}
	return sub
}

func wantCode(t *testing.T, err error, code crm.Code) {
	t.Helper()
	if got := crm.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testCreateWritesHistoryAuditAndEvent(t *testing.T, f *fixture) {
	ctx := crm.WithActor(context.Background(), crm.Actor{ID: "key_1", RequestID: "req-1"})
	in := input(customer.TypeResidential)
	ssn := "123-45-6789"
	in.TaxID = &ssn
	c, err := f.svc.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !customer.ValidAccountNumber(c.AccountNumber) || c.Status != customer.StatusActive || c.Version != 1 {
		t.Errorf("created = %+v", c)
	}
	if c.TaxIDLast4 != "6789" || c.TaxID == nil || strings.Contains(string(c.TaxID.Ciphertext), "6789") {
		t.Errorf("tax id not sealed: last4 %q", c.TaxIDLast4)
	}
	if b, _ := json.Marshal(c); strings.Contains(string(b), "123456789") || strings.Contains(string(b), "123-45") {
		t.Errorf("JSON of customer carries the tax id: %s", b)
	}
	hist, err := f.svc.StatusHistory(ctx, c.ID)
	if err != nil || len(hist) != 1 || hist[0].To != customer.StatusActive || hist[0].ActorID != "key_1" {
		t.Errorf("history = %+v, %v", hist, err)
	}
	audit, err := f.svc.Audit(ctx, c.ID, "", 10)
	if err != nil || len(audit.Items) != 1 {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
	e := audit.Items[0]
	if e.Action != "create" || e.ActorID != "key_1" || e.RequestID != "req-1" {
		t.Errorf("audit entry = %+v", e)
	}
	for _, ch := range e.Changes {
		if strings.Contains(string(ch.After), "6789") && ch.Field != "tax_id" {
			t.Errorf("audit %s shows %s", ch.Field, ch.After)
		}
		if ch.Field == "tax_id" && string(ch.After) != `"***-**-6789"` {
			t.Errorf("audit tax_id = %s", ch.After)
		}
	}
	events, err := f.store.ListEvents(ctx, "", 10)
	if err != nil || len(events) != 1 || events[0].Type != customer.EventCreated || events[0].CustomerID != c.ID {
		t.Errorf("events = %+v, %v", events, err)
	}
}

func testCreateConflicts(t *testing.T, f *fixture) {
	first := f.create(t, input(customer.TypeResidential))
	dupEmail := input(customer.TypeResidential)
	dupEmail.Email = strings.ToUpper(first.Email[:1]) + first.Email[1:] // local part differs in case: a different address
	if _, err := f.svc.Create(context.Background(), dupEmail); err != nil {
		t.Fatalf("local part differing in case rejected: %v", err)
	}
	dup := input(customer.TypeResidential)
	dup.Email = strings.Replace(first.Email, "example.com", "EXAMPLE.com", 1)
	_, err := f.svc.Create(context.Background(), dup)
	wantCode(t, err, crm.CodeConflict)
	dup = input(customer.TypeResidential)
	dup.Phone = "(415) 555-" + first.Phone[8:]
	_, err = f.svc.Create(context.Background(), dup)
	wantCode(t, err, crm.CodeConflict)
}

func testReplaceHonoursVersion(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	in := customer.InputOf(c)
	in.Name = "Renamed"
	_, err := f.svc.Replace(ctx, c.ID, in, c.Version+1)
	wantCode(t, err, crm.CodePreconditionFailed)
	got, err := f.svc.Replace(ctx, c.ID, in, c.Version)
	if err != nil || got.Name != "Renamed" || got.Version != c.Version+1 {
		t.Fatalf("Replace = %+v, %v", got, err)
	}
	// An unchanged replace writes nothing.
	same, err := f.svc.Replace(ctx, c.ID, in, 0)
	if err != nil || same.Version != got.Version {
		t.Fatalf("no-op Replace bumped version: %+v, %v", same, err)
	}
	// Tax id: nil keeps, "" clears.
	ssn := "123-45-6789"
	in.TaxID = &ssn
	withTax, err := f.svc.Replace(ctx, c.ID, in, 0)
	if err != nil || withTax.TaxIDLast4 != "6789" {
		t.Fatalf("set tax id: %+v, %v", withTax, err)
	}
	in.TaxID = nil
	kept, _ := f.svc.Replace(ctx, c.ID, in, 0)
	if kept.TaxIDLast4 != "6789" {
		t.Errorf("nil TaxID did not keep it")
	}
	empty := ""
	in.TaxID = &empty
	cleared, _ := f.svc.Replace(ctx, c.ID, in, 0)
	if cleared.TaxIDLast4 != "" || cleared.TaxID != nil {
		t.Errorf("empty TaxID did not clear it")
	}
	_, err = f.svc.Replace(ctx, "0190a5c4-0000-7000-8000-000000000000", in, 0)
	wantCode(t, err, crm.CodeNotFound)
	_, err = f.svc.Replace(ctx, "export", in, 0)
	wantCode(t, err, crm.CodeNotFound)
}

func testSuspendReactivateLifecycle(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	active := f.addSubscription(t, c.ID)
	pending, err := f.svc.AddSubscription(ctx, c.ID, customer.SubscriptionInput{
		PlanName: "TV", Technology: customer.TechCable, Status: customer.SubscriptionPending, MonthlyPrice: price(1000), StartDate: date("2026-04-01"),
	})
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.svc.Suspend(ctx, c.ID, customer.SuspendInput{})
	wantCode(t, err, crm.CodeInvalid)
	_, err = f.svc.Reactivate(ctx, c.ID, customer.ReactivateInput{})
	wantCode(t, err, crm.CodeConflict)

	_, err = f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, IfVersion: c.Version + 1})
	wantCode(t, err, crm.CodePreconditionFailed)
	s, err := f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, Notes: "3 invoices overdue", IfVersion: c.Version})
	if err != nil || s.Status != customer.StatusSuspended || s.Suspension.Reason != customer.ReasonNonPayment {
		t.Fatalf("Suspend = %+v, %v", s, err)
	}
	_, err = f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonFraud})
	wantCode(t, err, crm.CodeConflict)
	if got, _ := f.svc.GetSubscription(ctx, c.ID, active.ID); got.Status != customer.SubscriptionSuspended {
		t.Errorf("active service not suspended with customer: %s", got.Status)
	}
	if got, _ := f.svc.GetSubscription(ctx, c.ID, pending.ID); got.Status != customer.SubscriptionPending {
		t.Errorf("pending service changed: %s", got.Status)
	}

	_, err = f.svc.Reactivate(ctx, c.ID, customer.ReactivateInput{Override: true, IfVersion: c.Version})
	wantCode(t, err, crm.CodePreconditionFailed)
	f.owed[c.ID] = 4500
	_, err = f.svc.Reactivate(ctx, c.ID, customer.ReactivateInput{})
	wantCode(t, err, crm.CodeConflict)
	r, err := f.svc.Reactivate(ctx, c.ID, customer.ReactivateInput{Override: true, Notes: "promised to pay"})
	if err != nil || r.Status != customer.StatusActive || r.Suspension != nil {
		t.Fatalf("Reactivate = %+v, %v", r, err)
	}
	if got, _ := f.svc.GetSubscription(ctx, c.ID, active.ID); got.Status != customer.SubscriptionActive {
		t.Errorf("service not restored: %s", got.Status)
	}
	hist, _ := f.svc.StatusHistory(ctx, c.ID)
	var path []string
	for _, h := range hist {
		path = append(path, string(h.From)+">"+string(h.To))
	}
	if diff := cmp.Diff([]string{">active", "active>suspended", "suspended>active"}, path); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	// One audit entry per action, naming what it did to the services.
	audit, err := f.svc.Audit(ctx, c.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]map[string]string{}
	for _, e := range audit.Items {
		if e.Entity != "customer" {
			continue
		}
		fields[e.Action] = map[string]string{}
		for _, ch := range e.Changes {
			fields[e.Action][ch.Field] = string(ch.After)
		}
	}
	for action, want := range map[string]map[string]string{
		"suspend":    {"status": `"suspended"`, "services.suspended": "1", "suspension.reason": `"non_payment"`},
		"reactivate": {"status": `"active"`, "services.restored": "1", "reactivation.override": "true", "reactivation.notes": `"[redacted]"`},
	} {
		for k, v := range want {
			if got := fields[action][k]; got != v {
				t.Errorf("audit %s: %s = %s, want %s (all: %v)", action, k, got, v, fields[action])
			}
		}
	}
	events, _ := f.store.ListEvents(ctx, "", 10)
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	if diff := cmp.Diff([]string{customer.EventCreated, customer.EventSuspended, customer.EventReactivated}, types); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func testSuspendUntilReactivatesAutomatically(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeSmallBusiness))
	other := f.create(t, input(customer.TypeResidential))
	sub := f.addSubscription(t, c.ID)
	past := f.clock.Now().Add(-time.Hour)
	_, err := f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, Until: &past})
	wantCode(t, err, crm.CodeInvalid)
	until := f.clock.Now().Add(48 * time.Hour)
	if _, err := f.svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, Until: &until}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Suspend(ctx, other.ID, customer.SuspendInput{Reason: customer.ReasonAbuse}); err != nil {
		t.Fatal(err)
	}
	f.owed[c.ID] = 100 // scheduled reactivation ignores the balance: the suspension was given an end
	if n, err := f.svc.ReactivateDue(ctx); err != nil || n != 0 {
		t.Fatalf("ReactivateDue before until = %d, %v", n, err)
	}
	f.clock.Add(48 * time.Hour)
	if n, err := f.svc.ReactivateDue(ctx); err != nil || n != 1 {
		t.Fatalf("ReactivateDue = %d, %v", n, err)
	}
	got, _ := f.svc.Get(ctx, c.ID)
	if got.Status != customer.StatusActive {
		t.Errorf("status = %s", got.Status)
	}
	if s, _ := f.svc.GetSubscription(ctx, c.ID, sub.ID); s.Status != customer.SubscriptionActive {
		t.Errorf("service = %s", s.Status)
	}
	if o, _ := f.svc.Get(ctx, other.ID); o.Status != customer.StatusSuspended {
		t.Errorf("open-ended suspension lifted")
	}
	if n, _ := f.svc.ReactivateDue(ctx); n != 0 {
		t.Errorf("second ReactivateDue = %d", n)
	}
}

func testDeleteErasesAndFreesIdentity(t *testing.T, f *fixture) {
	ctx := context.Background()
	in := input(customer.TypeResidential)
	ssn := "123-45-6789"
	in.TaxID = &ssn
	in.ServiceAddress = in.BillingAddress
	c := f.create(t, in)
	sub := f.addSubscription(t, c.ID)

	wantCode(t, f.svc.Delete(ctx, c.ID, customer.DeleteOptions{}), crm.CodeConflict)
	wantCode(t, f.svc.Delete(ctx, c.ID, customer.DeleteOptions{Force: true, IfVersion: c.Version + 1}), crm.CodePreconditionFailed)
	if err := f.svc.Delete(ctx, c.ID, customer.DeleteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Get(ctx, c.ID)
	wantCode(t, err, crm.CodeNotFound)
	wantCode(t, f.svc.Delete(ctx, c.ID, customer.DeleteOptions{Force: true}), crm.CodeNotFound)
	page, _ := f.svc.List(ctx, customer.ListParams{IncludeTotal: true})
	if *page.Total != 0 || len(page.Items) != 0 {
		t.Errorf("deleted customer listed: %+v", page)
	}
	// The erased row keeps no personal data but stays for the books.
	raw, err := f.store.ListSubscriptions(ctx, c.ID, "", 10)
	if err != nil || len(raw) != 1 || raw[0].Status != customer.SubscriptionCancelled || raw[0].EndDate == nil || raw[0].ID != sub.ID {
		t.Errorf("service after delete = %+v, %v", raw, err)
	}
	again := f.create(t, customer.Input{Name: "New Holder", Email: c.Email, Phone: c.Phone, Type: customer.TypeResidential, BillingAddress: in.BillingAddress})
	if again.ID == c.ID {
		t.Fatal("same id reused")
	}
	audit, err := f.svc.Audit(ctx, c.ID, "", 50)
	if err != nil || audit.Items[0].Action != "delete" {
		t.Fatalf("audit after delete = %+v, %v", audit, err)
	}
	var cancelled string
	for _, ch := range audit.Items[0].Changes {
		if ch.Field == "services.cancelled" {
			cancelled = string(ch.After)
		}
	}
	if cancelled != "1" {
		t.Errorf("delete audit: services.cancelled = %q, want 1", cancelled)
	}
	for _, e := range audit.Items {
		for _, ch := range e.Changes {
			if strings.Contains(string(ch.Before)+string(ch.After), c.Email) {
				t.Errorf("audit keeps clear email in %s", ch.Field)
			}
		}
	}
}

func testDeleteWithoutServices(t *testing.T, f *fixture) {
	c := f.create(t, input(customer.TypeResidential))
	if err := f.svc.Delete(context.Background(), c.ID, customer.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func testListPagesAndValidates(t *testing.T, f *fixture) {
	ctx := context.Background()
	var ids []string
	for range 7 {
		ids = append(ids, f.create(t, input(customer.TypeResidential)).ID)
		f.clock.Add(time.Second)
	}
	var got []string
	cursor := ""
	for {
		page, err := f.svc.List(ctx, customer.ListParams{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			got = append(got, c.ID)
		}
		if !page.HasMore {
			if page.NextCursor != "" {
				t.Error("last page has a cursor")
			}
			break
		}
		cursor = page.NextCursor
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	first, _ := f.svc.List(ctx, customer.ListParams{Limit: 3})
	_, err := f.svc.List(ctx, customer.ListParams{Limit: 3, Cursor: first.NextCursor, Filter: customer.Filter{Sort: customer.Sort{Field: customer.SortName}}})
	wantCode(t, err, crm.CodeInvalid)
	for name, p := range map[string]customer.ListParams{
		"limit":  {Limit: 201},
		"cursor": {Cursor: "garbage"},
		"status": {Filter: customer.Filter{Status: "gone"}},
		"q":      {Filter: customer.Filter{Query: strings.Repeat("q", 101)}},
	} {
		_, err := f.svc.List(ctx, p)
		if crm.ErrorCode(err) != crm.CodeInvalid || len(crm.ErrorFields(err)) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func testServicesRules(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	other := f.create(t, input(customer.TypeResidential))
	sub := f.addSubscription(t, c.ID)

	_, err := f.svc.AddSubscription(ctx, c.ID, customer.SubscriptionInput{Technology: "laser", StartDate: date("2020-01-01"), EndDate: date("2019-01-01")})
	if crm.ErrorCode(err) != crm.CodeInvalid {
		t.Fatalf("invalid service accepted: %v", err)
	}
	want := map[string]bool{"plan_name": true, "technology": true, "monthly_price": true, "end_date": true}
	for _, fe := range crm.ErrorFields(err) {
		delete(want, fe.Field)
	}
	if len(want) != 0 {
		t.Errorf("fields not named: %v", want)
	}
	_, err = f.svc.GetSubscription(ctx, other.ID, sub.ID)
	wantCode(t, err, crm.CodeNotFound)
	_, err = f.svc.ReplaceSubscription(ctx, other.ID, sub.ID, customer.SubscriptionInputOf(sub), 0)
	wantCode(t, err, crm.CodeNotFound)

	in := customer.SubscriptionInputOf(sub)
	in.MonthlyPrice = price(7999)
	up, err := f.svc.ReplaceSubscription(ctx, c.ID, sub.ID, in, sub.Version)
	if err != nil || up.MonthlyPrice != 7999 || up.Version != 2 {
		t.Fatalf("ReplaceService = %+v, %v", up, err)
	}
	_, err = f.svc.ReplaceSubscription(ctx, c.ID, sub.ID, in, 1)
	wantCode(t, err, crm.CodePreconditionFailed)
	d, err := f.svc.Details(ctx, c.ID, customer.DetailOptions{Subscriptions: true, Metrics: true, Billing: true})
	if err != nil || d.Metrics.MonthlyRecurringRevenue != 7999 || len(d.Subscriptions) != 1 || d.Billing.CurrentBalance != 0 {
		t.Fatalf("Details = %+v, %v", d, err)
	}
	in.Status = customer.SubscriptionCancelled
	cancelled, err := f.svc.ReplaceSubscription(ctx, c.ID, sub.ID, in, 0)
	if err != nil || cancelled.EndDate == nil {
		t.Fatalf("cancel = %+v, %v", cancelled, err)
	}
	in.Status = customer.SubscriptionActive
	_, err = f.svc.ReplaceSubscription(ctx, c.ID, sub.ID, in, 0)
	wantCode(t, err, crm.CodeConflict)

	page, err := f.svc.ListSubscriptions(ctx, c.ID, "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("ListServices = %+v, %v", page, err)
	}
}
