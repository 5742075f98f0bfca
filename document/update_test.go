package document_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
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

// updateFixture is a document service over st and a memory bucket, with
// one customer.
type updateFixture struct {
	svc        *document.Service
	st         store.Store
	customerID string
}

func newUpdateFixture(t *testing.T, st store.Store) *updateFixture {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	bucket := memblob.OpenBucket(nil)
	t.Cleanup(func() { bucket.Close() })
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: now}).Create(t.Context(), customer.Input{
		Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+12125550142", Type: customer.TypeResidential, BillingAddress: &addr,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &updateFixture{svc: document.NewService(st, store.Tx[document.Repository](st), bucket, document.Options{Now: now}),
		st: st, customerID: c.ID}
}

// upload stores a document expiring on 2030-01-01, at version 1.
func (f *updateFixture) upload(t *testing.T) *document.Document {
	t.Helper()
	exp := crm.Date{Year: 2030, Month: time.January, Day: 1}
	d, err := f.svc.Upload(t.Context(), f.customerID, document.UploadInput{Name: "Contract", Type: document.TypeContract, ExpirationDate: &exp},
		strings.NewReader("signed contract"))
	if err != nil {
		t.Fatal(err)
	}
	return d
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

// TestUpdate checks Update on both stores: the version check, deactivated
// documents, edit errors, validation and no-op edits, and concurrent edits
// without a version condition, which must all apply.
func TestUpdate(t *testing.T) {
	errEdit := errors.New("edit failed")
	tests := []struct {
		name       string
		deactivate bool  // the document is deactivated first (version 3)
		ifVersion  int64 // 2 is current, 1 stale, 0 no condition
		edit       func(*document.MetadataInput) error
		wantErr    error    // returned as is, when set
		wantCode   crm.Code // when set
		wantField  string   // named by an invalid error
		written    bool     // a new version and one audit entry
	}{
		{name: "current version", ifVersion: 2, edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil }, written: true},
		{name: "no condition", edit: func(in *document.MetadataInput) error { in.Tags = append(in.Tags, "2026"); return nil }, written: true},
		{name: "stale version", ifVersion: 1, edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil },
			wantCode: crm.CodePreconditionFailed},
		{name: "deactivated", deactivate: true, edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil },
			wantCode: crm.CodeConflict},
		{name: "edit error", edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return errEdit }, wantErr: errEdit},
		{name: "invalid result", edit: func(in *document.MetadataInput) error { in.SignatureStatus = document.SignatureSigned; return nil },
			wantCode: crm.CodeInvalid, wantField: "signature_status"},
		{name: "no-op", ifVersion: 2, edit: func(*document.MetadataInput) error { return nil }},
	}
	for _, st := range updateStores {
		t.Run(st.name, func(t *testing.T) {
			f := newUpdateFixture(t, st.open(t))
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					ctx := t.Context()
					d := f.upload(t)
					before, err := f.svc.Update(ctx, f.customerID, d.ID, 1, func(in *document.MetadataInput) error {
						in.Tags = []string{"signed"}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					if tt.deactivate {
						if err := f.svc.Deactivate(ctx, f.customerID, d.ID, 0); err != nil {
							t.Fatal(err)
						}
						if before, err = f.svc.Get(ctx, f.customerID, d.ID); err != nil {
							t.Fatal(err)
						}
					}
					audits := f.audits(t)
					called := false
					got, err := f.svc.Update(ctx, f.customerID, d.ID, tt.ifVersion, func(in *document.MetadataInput) error {
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
					wantCalled := tt.wantCode != crm.CodePreconditionFailed && tt.wantCode != crm.CodeConflict
					if called != wantCalled {
						t.Errorf("edit called = %v, want %v", called, wantCalled)
					}
					after, getErr := f.svc.Get(ctx, f.customerID, d.ID)
					if getErr != nil {
						t.Fatal(getErr)
					}
					wantAudits, wantVersion := audits, before.Version
					if tt.written {
						wantAudits, wantVersion = audits+1, before.Version+1
					} else if diff := cmp.Diff(before, after); diff != "" {
						t.Errorf("stored document changed (-before +after):\n%s", diff)
					}
					if after.Version != wantVersion {
						t.Errorf("version = %d, want %d", after.Version, wantVersion)
					}
					if n := f.audits(t); n != wantAudits {
						t.Errorf("audit entries = %d, want %d", n, wantAudits)
					}
					if err == nil {
						if diff := cmp.Diff(after, got); diff != "" {
							t.Errorf("returned document differs from the stored one (-stored +returned):\n%s", diff)
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
// each moving the expiration date a day on, all apply, each on the result
// of the one before (none is lost).
func testConcurrentUpdates(t *testing.T, f *updateFixture) {
	const n = 50
	d := f.upload(t)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Update(t.Context(), f.customerID, d.ID, 0, func(in *document.MetadataInput) error {
				next := crm.DateOf(in.ExpirationDate.Time().AddDate(0, 0, 1))
				in.ExpirationDate = &next
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
	got, err := f.svc.Get(t.Context(), f.customerID, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := struct {
		Version    int64
		Expiration crm.Date
	}{1 + n, crm.DateOf(d.ExpirationDate.Time().AddDate(0, 0, n))}
	gotState := want
	gotState.Version, gotState.Expiration = got.Version, *got.ExpirationDate
	if diff := cmp.Diff(want, gotState); diff != "" {
		t.Errorf("after %d edits (-want +got):\n%s", n, diff)
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
