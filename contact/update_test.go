package contact_test

import (
	"errors"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/internal/updatetest"
	"github.com/ispstack/crm/store"
)

// TestUpdate checks Update on both stores against the contract of
// internal/updatetest.
func TestUpdate(t *testing.T) {
	errEdit := errors.New("edit failed")
	teststore.Run(t, func(t *testing.T, st store.Store) {
		svc, _, owner := newServicesOn(t, st, "US")
		target := updatetest.Target[contact.Input, *contact.Contact]{
			Audit: st,
			Create: func(t *testing.T) (string, string) {
				c, err := svc.Create(t.Context(), owner.ID, contact.Input{Name: "Ann", Email: "ann@example.com", Type: contact.TypeBilling})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.Update(t.Context(), owner.ID, c.ID, 1, func(in *contact.Input) error { in.Title = "CFO"; return nil }); err != nil {
					t.Fatal(err)
				}
				return owner.ID, c.ID
			},
			Get:     svc.Get,
			Update:  svc.Update,
			Version: func(c *contact.Contact) int64 { return c.Version },
			Race: func(i int) func(*contact.Input) error {
				return func(in *contact.Input) error { in.Notes += updatetest.Mark(i); return nil }
			},
			Raced: func(t *testing.T, _, got *contact.Contact) {
				updatetest.CheckMarks(t, got.Notes)
			},
		}
		updatetest.Run(t, target, []updatetest.Case[contact.Input]{
			{Name: "current version", IfVersion: 2, Edit: func(in *contact.Input) error { in.Name = "Anne"; return nil }, Written: true},
			{Name: "no condition", Edit: func(in *contact.Input) error { in.Notes = "call after 5"; return nil }, Written: true},
			{Name: "stale version", IfVersion: 1, Edit: func(in *contact.Input) error { in.Name = "Anne"; return nil },
				WantCode: crm.CodePreconditionFailed},
			{Name: "edit error", Edit: func(in *contact.Input) error { in.Name = "Anne"; return errEdit }, WantErr: errEdit},
			{Name: "invalid result", Edit: func(in *contact.Input) error { in.Email = "x@"; return nil },
				WantCode: crm.CodeInvalid, WantField: "email"},
			{Name: "no-op", IfVersion: 2, Edit: func(*contact.Input) error { return nil }},
		})
	})
}
