package document_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/internal/updatetest"
	"github.com/ispstack/crm/store"
)

// TestUpdate checks Update on both stores against the contract of
// internal/updatetest, and that a deactivated document is refused with
// conflict before the edit runs.
func TestUpdate(t *testing.T) {
	errEdit := errors.New("edit failed")
	teststore.Run(t, func(t *testing.T, st store.Store) {
		now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
		svc, _, customerID := newServiceOn(t, st, memblob.OpenBucket(nil), document.Options{Now: now})
		target := updatetest.Target[document.MetadataInput, *document.Document]{
			Audit: st,
			// Create uploads a document expiring on 2030-01-01 and tags it.
			Create: func(t *testing.T) (string, string) {
				exp := crm.Date{Year: 2030, Month: time.January, Day: 1}
				d, err := svc.Upload(t.Context(), customerID, document.UploadInput{Name: "Contract", Type: document.TypeContract,
					ExpirationDate: &exp}, strings.NewReader("signed contract"))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.Update(t.Context(), customerID, d.ID, 1, func(in *document.MetadataInput) error {
					in.Tags = []string{"signed"}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				return customerID, d.ID
			},
			Get:     svc.Get,
			Update:  svc.Update,
			Version: func(d *document.Document) int64 { return d.Version },
			// Each raced edit moves the expiration date a day on.
			Race: func(int) func(*document.MetadataInput) error {
				return func(in *document.MetadataInput) error {
					next := crm.DateOf(in.ExpirationDate.Time().AddDate(0, 0, 1))
					in.ExpirationDate = &next
					return nil
				}
			},
			Raced: func(t *testing.T, before, after *document.Document) {
				want := crm.DateOf(before.ExpirationDate.Time().AddDate(0, 0, updatetest.Edits))
				if diff := cmp.Diff(want, *after.ExpirationDate); diff != "" {
					t.Errorf("expiration after %d edits (-want +got):\n%s", updatetest.Edits, diff)
				}
			},
		}
		deactivate := func(t *testing.T, customerID, id string) {
			if err := svc.Deactivate(t.Context(), customerID, id, 0); err != nil {
				t.Fatal(err)
			}
		}
		updatetest.Run(t, target, []updatetest.Case[document.MetadataInput]{
			{Name: "current version", IfVersion: 2, Edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil }, Written: true},
			{Name: "no condition", Edit: func(in *document.MetadataInput) error { in.Tags = append(in.Tags, "2026"); return nil }, Written: true},
			{Name: "stale version", IfVersion: 1, Edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil },
				WantCode: crm.CodePreconditionFailed},
			{Name: "deactivated", Prepare: deactivate, Edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return nil },
				WantCode: crm.CodeConflict},
			{Name: "edit error", Edit: func(in *document.MetadataInput) error { in.Name = "Lease"; return errEdit }, WantErr: errEdit},
			{Name: "invalid result", Edit: func(in *document.MetadataInput) error { in.SignatureStatus = document.SignatureSigned; return nil },
				WantCode: crm.CodeInvalid, WantField: "signature_status"},
			{Name: "no-op", IfVersion: 2, Edit: func(*document.MetadataInput) error { return nil }},
		})
	})
}
