package contact_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
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

// updateFixture is a contact service over st with one customer.
type updateFixture struct {
	svc        *contact.Service
	st         store.Store
	customerID string
}

func newUpdateFixture(t *testing.T, st store.Store) *updateFixture {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: now}).Create(t.Context(),
		customer.Input{Name: "Owner", Email: "owner@example.com", Phone: "+12125550142", Type: customer.TypeSmallBusiness, BillingAddress: &addr})
	if err != nil {
		t.Fatal(err)
	}
	return &updateFixture{svc: contact.NewService(st, store.Tx[contact.Repository](st), contact.Options{Now: now}), st: st, customerID: c.ID}
}

// create stores a contact and updates it once, to version 2.
func (f *updateFixture) create(t *testing.T) *contact.Contact {
	t.Helper()
	c, err := f.svc.Create(t.Context(), f.customerID, contact.Input{Name: "Ann", Email: "ann@example.com", Type: contact.TypeBilling})
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.svc.Update(t.Context(), f.customerID, c.ID, 1, func(in *contact.Input) error { in.Title = "CFO"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// audits counts the customer's audit entries.
func (f *updateFixture) audits(t *testing.T) int {
	t.Helper()
	entries, err := f.st.ListAudit(t.Context(), f.customerID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestUpdate checks Update on both stores: the version check, edit
// errors, validation and no-op edits, and concurrent edits without a
// version condition, which must all apply.
func TestUpdate(t *testing.T) {
	errEdit := errors.New("edit failed")
	tests := []struct {
		name      string
		ifVersion int64 // 2 is current, 1 stale, 0 no condition
		edit      func(*contact.Input) error
		wantErr   error    // returned as is, when set
		wantCode  crm.Code // when set
		wantField string   // named by an invalid error
		written   bool     // a new version and one audit entry
	}{
		{name: "current version", ifVersion: 2, edit: func(in *contact.Input) error { in.Name = "Anne"; return nil }, written: true},
		{name: "no condition", edit: func(in *contact.Input) error { in.Notes = "call after 5"; return nil }, written: true},
		{name: "stale version", ifVersion: 1, edit: func(in *contact.Input) error { in.Name = "Anne"; return nil },
			wantCode: crm.CodePreconditionFailed},
		{name: "edit error", edit: func(in *contact.Input) error { in.Name = "Anne"; return errEdit }, wantErr: errEdit},
		{name: "invalid result", edit: func(in *contact.Input) error { in.Email = "x@"; return nil },
			wantCode: crm.CodeInvalid, wantField: "email"},
		{name: "no-op", ifVersion: 2, edit: func(*contact.Input) error { return nil }},
	}
	for _, st := range updateStores {
		t.Run(st.name, func(t *testing.T) {
			f := newUpdateFixture(t, st.open(t))
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					ctx := t.Context()
					before := f.create(t)
					audits := f.audits(t)
					called := false
					got, err := f.svc.Update(ctx, f.customerID, before.ID, tt.ifVersion, func(in *contact.Input) error {
						called = true
						return tt.edit(in)
					})
					switch {
					case tt.wantErr != nil:
						if err != tt.wantErr {
							t.Fatalf("error = %v, want %v as is", err, tt.wantErr)
						}
					case tt.wantCode != "":
						if crm.ErrorCode(err) != tt.wantCode {
							t.Fatalf("error = %v, want code %s", err, tt.wantCode)
						}
					case err != nil:
						t.Fatal(err)
					}
					if tt.wantField != "" && !namesField(err, tt.wantField) {
						t.Errorf("error %v does not name %s", err, tt.wantField)
					}
					if wantCalled := tt.wantCode != crm.CodePreconditionFailed; called != wantCalled {
						t.Errorf("edit called = %v, want %v", called, wantCalled)
					}
					after, getErr := f.svc.Get(ctx, f.customerID, before.ID)
					if getErr != nil {
						t.Fatal(getErr)
					}
					wantAudits, wantVersion := audits, before.Version
					if tt.written {
						wantAudits, wantVersion = audits+1, before.Version+1
					} else if diff := cmp.Diff(before, after); diff != "" {
						t.Errorf("stored contact changed (-before +after):\n%s", diff)
					}
					if after.Version != wantVersion {
						t.Errorf("version = %d, want %d", after.Version, wantVersion)
					}
					if n := f.audits(t); n != wantAudits {
						t.Errorf("audit entries = %d, want %d", n, wantAudits)
					}
					if err == nil {
						if diff := cmp.Diff(after, got); diff != "" {
							t.Errorf("returned contact differs from the stored one (-stored +returned):\n%s", diff)
						}
					}
				})
			}
			t.Run("concurrent without condition", func(t *testing.T) {
				testConcurrentUpdates(t, f)
			})
		})
	}
}

// testConcurrentUpdates: 50 edits without a version condition, racing,
// all apply, each on the result of the one before (none is lost).
func testConcurrentUpdates(t *testing.T, f *updateFixture) {
	const n = 50
	c, err := f.svc.Create(t.Context(), f.customerID, contact.Input{Name: "Bo", Phone: "+12125550143", Type: contact.TypeTechnical})
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Update(t.Context(), f.customerID, c.ID, 0, func(in *contact.Input) error {
				in.Notes += fmt.Sprintf("<%d>", i)
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	got, err := f.svc.Get(t.Context(), f.customerID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1+n {
		t.Errorf("version = %d, want %d", got.Version, 1+n)
	}
	for i := range n {
		if !strings.Contains(got.Notes, fmt.Sprintf("<%d>", i)) {
			t.Errorf("notes %q lost edit %d", got.Notes, i)
		}
	}
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
