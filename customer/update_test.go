package customer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/store/pgstore"
)

// updateStores open the stores the Update tests run on.
var updateStores = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"memstore", func(*testing.T) store.Store { return memstore.New() }},
	{"pgstore", func(t *testing.T) store.Store {
		s, err := pgstore.Open(context.Background(), pgtest.DSN(t), pgstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
}

// TestUpdate checks Update and UpdateSubscription on both stores: the
// version check, edit errors, validation and no-op edits, and concurrent
// edits without a version condition, which must all apply.
func TestUpdate(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, *fixture)
	}{
		{"Customer", testUpdateCustomer},
		{"Subscription", testUpdateSubscription},
		{"ConcurrentCustomer", testConcurrentUpdateCustomer},
		{"ConcurrentSubscription", testConcurrentUpdateSubscription},
	}
	for _, st := range updateStores {
		t.Run(st.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.run(t, newFixture(t, st.open(t)))
				})
			}
		})
	}
}

// errEdit is the error an edit under test fails with.
var errEdit = errors.New("edit failed")

// updateCase is one call of an Update method on a record at version 2.
type updateCase[In any] struct {
	name      string
	ifVersion int64 // 2 is current, 1 stale, 0 no condition
	edit      func(*In) error
	wantErr   error    // returned as is, when set
	wantCode  crm.Code // when set
	wantField string   // named by an invalid error
	written   bool     // a new version and one audit entry
}

// updateTarget is the record kind an Update method changes.
type updateTarget[In, R any] struct {
	// create stores a record at version 2 and returns its customer's id
	// and its own.
	create  func(t *testing.T) (customerID, id string)
	get     func(ctx context.Context, customerID, id string) (R, error)
	update  func(ctx context.Context, customerID, id string, ifVersion int64, edit func(*In) error) (R, error)
	version func(R) int64
}

// runUpdateCases runs each case on a fresh record of target, checking the
// result and that a failed or no-op update leaves the record and the audit
// trail as they were.
func runUpdateCases[In, R any](t *testing.T, f *fixture, target updateTarget[In, R], cases []updateCase[In]) {
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			customerID, id := target.create(t)
			before, err := target.get(ctx, customerID, id)
			if err != nil {
				t.Fatal(err)
			}
			audits := len(f.audit(t, customerID))
			called := false
			got, err := target.update(ctx, customerID, id, tc.ifVersion, func(in *In) error {
				called = true
				return tc.edit(in)
			})
			switch {
			case tc.wantErr != nil:
				if err != tc.wantErr {
					t.Fatalf("error = %v, want %v as is", err, tc.wantErr)
				}
			case tc.wantCode != "":
				wantCode(t, err, tc.wantCode)
			case err != nil:
				t.Fatal(err)
			}
			if tc.wantField != "" && !namesField(err, tc.wantField) {
				t.Errorf("error %v does not name %s", err, tc.wantField)
			}
			if wantCalled := tc.wantCode != crm.CodePreconditionFailed; called != wantCalled {
				t.Errorf("edit called = %v, want %v", called, wantCalled)
			}
			after, getErr := target.get(ctx, customerID, id)
			if getErr != nil {
				t.Fatal(getErr)
			}
			wantAudits, wantVersion := audits, target.version(before)
			if tc.written {
				wantAudits, wantVersion = audits+1, wantVersion+1
			} else if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("stored record changed (-before +after):\n%s", diff)
			}
			if v := target.version(after); v != wantVersion {
				t.Errorf("version = %d, want %d", v, wantVersion)
			}
			if n := len(f.audit(t, customerID)); n != wantAudits {
				t.Errorf("audit entries = %d, want %d", n, wantAudits)
			}
			if err == nil {
				if diff := cmp.Diff(after, got); diff != "" {
					t.Errorf("returned record differs from the stored one (-stored +returned):\n%s", diff)
				}
			}
		})
	}
}

// audit returns the audit entries of a customer.
func (f *fixture) audit(t *testing.T, customerID string) []crm.AuditEntry {
	t.Helper()
	entries, err := f.store.ListAudit(context.Background(), customerID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// namesField reports whether err names field among its field errors.
func namesField(err error, field string) bool {
	for _, fe := range crm.ErrorFields(err) {
		if fe.Field == field {
			return true
		}
	}
	return false
}

func testUpdateCustomer(t *testing.T, f *fixture) {
	ctx := context.Background()
	target := updateTarget[customer.Input, *customer.Customer]{
		create: func(t *testing.T) (string, string) {
			in := input(customer.TypeResidential)
			ssn := "123-45-6789"
			in.TaxID = &ssn
			c := f.create(t, in)
			if _, err := f.svc.Update(ctx, c.ID, 1, func(in *customer.Input) error { in.Company = "Acme"; return nil }); err != nil {
				t.Fatal(err)
			}
			return c.ID, c.ID
		},
		get: func(ctx context.Context, _, id string) (*customer.Customer, error) { return f.svc.Get(ctx, id) },
		update: func(ctx context.Context, _, id string, ifVersion int64, edit func(*customer.Input) error) (*customer.Customer, error) {
			return f.svc.Update(ctx, id, ifVersion, edit)
		},
		version: func(c *customer.Customer) int64 { return c.Version },
	}
	runUpdateCases(t, f, target, []updateCase[customer.Input]{
		{name: "current version", ifVersion: 2, edit: func(in *customer.Input) error { in.Name = "Renamed"; return nil }, written: true},
		{name: "no condition", edit: func(in *customer.Input) error { in.Notes = "moved"; return nil }, written: true},
		{name: "stale version", ifVersion: 1, edit: func(in *customer.Input) error { in.Name = "Renamed"; return nil },
			wantCode: crm.CodePreconditionFailed},
		{name: "edit error", edit: func(in *customer.Input) error { in.Name = "Renamed"; return errEdit }, wantErr: errEdit},
		{name: "invalid result", edit: func(in *customer.Input) error { in.Email = "not an address"; return nil },
			wantCode: crm.CodeInvalid, wantField: "email"},
		{name: "no-op", ifVersion: 2, edit: func(*customer.Input) error { return nil }},
		{name: "tax id cleared", edit: func(in *customer.Input) error { in.TaxID = new(string); return nil }, written: true},
	})

	// The tax id is write-only: an edit that leaves Input.TaxID nil keeps it.
	c := f.create(t, input(customer.TypeResidential))
	ssn := "123-45-6789"
	c, err := f.svc.Update(ctx, c.ID, 0, func(in *customer.Input) error { in.TaxID = &ssn; return nil })
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Update(ctx, c.ID, 0, func(in *customer.Input) error {
		if in.TaxID != nil {
			return fmt.Errorf("edit got tax id %q, want nil", *in.TaxID)
		}
		in.Name = "Renamed"
		return nil
	})
	if err != nil || got.TaxIDLast4 != "6789" || got.TaxID == nil {
		t.Errorf("Update without a tax id = %+v, %v; want the tax id kept", got, err)
	}
}

func testUpdateSubscription(t *testing.T, f *fixture) {
	ctx := context.Background()
	target := updateTarget[customer.SubscriptionInput, *customer.Subscription]{
		create: func(t *testing.T) (string, string) {
			c := f.create(t, input(customer.TypeResidential))
			sub := f.addSubscription(t, c.ID)
			if _, err := f.svc.UpdateSubscription(ctx, c.ID, sub.ID, 1, func(in *customer.SubscriptionInput) error {
				in.BandwidthUpMbps = 100
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return c.ID, sub.ID
		},
		get:     f.svc.GetSubscription,
		update:  f.svc.UpdateSubscription,
		version: func(s *customer.Subscription) int64 { return s.Version },
	}
	runUpdateCases(t, f, target, []updateCase[customer.SubscriptionInput]{
		{name: "current version", ifVersion: 2, edit: func(in *customer.SubscriptionInput) error { in.MonthlyPrice = price(7999); return nil },
			written: true},
		{name: "no condition", edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return nil }, written: true},
		{name: "stale version", ifVersion: 1, edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return nil },
			wantCode: crm.CodePreconditionFailed},
		{name: "edit error", edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return errEdit }, wantErr: errEdit},
		{name: "invalid result", edit: func(in *customer.SubscriptionInput) error { in.BandwidthDownMbps = -1; return nil },
			wantCode: crm.CodeInvalid, wantField: "bandwidth_down_mbps"},
		{name: "no-op", ifVersion: 2, edit: func(*customer.SubscriptionInput) error { return nil }},
	})
}

// concurrentEdits is how many edits without a version condition race in
// the concurrency tests.
const concurrentEdits = 50

// runConcurrently calls update concurrentEdits times at once, with i from
// 0, and fails t for every error.
func runConcurrently(t *testing.T, update func(i int) error) {
	t.Helper()
	errs := make([]error, concurrentEdits)
	var wg sync.WaitGroup
	for i := range concurrentEdits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = update(i)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
}

// testConcurrentUpdateCustomer: edits without a version condition all
// apply, each on the result of the one before (none is lost).
func testConcurrentUpdateCustomer(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	runConcurrently(t, func(i int) error {
		_, err := f.svc.Update(ctx, c.ID, 0, func(in *customer.Input) error {
			in.Notes += fmt.Sprintf("<%d>", i)
			return nil
		})
		return err
	})
	got, err := f.svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1+concurrentEdits {
		t.Errorf("version = %d, want %d", got.Version, 1+concurrentEdits)
	}
	for i := range concurrentEdits {
		if !strings.Contains(got.Notes, fmt.Sprintf("<%d>", i)) {
			t.Errorf("notes %q lost edit %d", got.Notes, i)
		}
	}
}

// testConcurrentUpdateSubscription: increments without a version
// condition all apply.
func testConcurrentUpdateSubscription(t *testing.T, f *fixture) {
	ctx := context.Background()
	c := f.create(t, input(customer.TypeResidential))
	sub := f.addSubscription(t, c.ID)
	runConcurrently(t, func(int) error {
		_, err := f.svc.UpdateSubscription(ctx, c.ID, sub.ID, 0, func(in *customer.SubscriptionInput) error {
			in.BandwidthDownMbps++
			return nil
		})
		return err
	})
	got, err := f.svc.GetSubscription(ctx, c.ID, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := [2]int64{1 + concurrentEdits, int64(sub.BandwidthDownMbps + concurrentEdits)}
	if diff := cmp.Diff(want, [2]int64{got.Version, int64(got.BandwidthDownMbps)}); diff != "" {
		t.Errorf("[version, bandwidth] (-want +got):\n%s", diff)
	}
}
