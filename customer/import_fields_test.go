package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// TestImportFields checks, on both stores, the two fields the bulk import
// brings: external_id (unique among live customers, erased on delete,
// found by the Repository and the list filter) and customer_since (the
// creation date unless backdated, never in the future).
func TestImportFields(t *testing.T) {
	runFixtureTests(t, []fixtureTest{
		{"ExternalIDUnique", testExternalIDUnique},
		{"ExternalIDErasedOnDelete", testExternalIDErasedOnDelete},
		{"CustomerSince", testCustomerSince},
	})
}

func testExternalIDUnique(t *testing.T, f *fixture) {
	ctx := context.Background()
	in := input(customer.TypeResidential)
	in.ExternalID = "  SF-0042 "
	holder := f.create(t, in)
	if holder.ExternalID != "SF-0042" {
		t.Errorf("ExternalID = %q, want it trimmed", holder.ExternalID)
	}

	dup := input(customer.TypeResidential)
	dup.ExternalID = "SF-0042"
	_, err := f.svc.Create(ctx, dup)
	wantConflictOn(t, err, "external_id")
	other := f.create(t, input(customer.TypeResidential))
	_, err = f.svc.Update(ctx, other.ID, 0, func(in *customer.Input) error { in.ExternalID = "SF-0042"; return nil })
	wantConflictOn(t, err, "external_id")
	// Case matters: ids of another system are compared exactly.
	if _, err := f.svc.Update(ctx, other.ID, 0, func(in *customer.Input) error { in.ExternalID = "sf-0042"; return nil }); err != nil {
		t.Errorf("external id differing in case: %v", err)
	}

	got, err := f.store.GetCustomerByExternalID(ctx, "SF-0042")
	if err != nil || got.ID != holder.ID {
		t.Errorf("GetCustomerByExternalID = %+v, %v; want %s", got, err, holder.ID)
	}
	page, err := f.svc.List(ctx, customer.ListParams{Filter: customer.Filter{ExternalID: "SF-0042"}})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != holder.ID {
		t.Errorf("List(external_id) = %+v, %v; want only %s", page, err, holder.ID)
	}
	// Clearing it (what a merge patch's null does) frees it.
	if _, err := f.svc.Update(ctx, holder.ID, 0, func(in *customer.Input) error { in.ExternalID = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Create(ctx, dup); err != nil {
		t.Errorf("Create with a cleared external id: %v", err)
	}
}

// wantConflictOn fails unless err is a conflict naming field.
func wantConflictOn(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, crm.CodeConflict)
	var fields []string
	for _, fe := range crm.ErrorFields(err) {
		fields = append(fields, fe.Field)
	}
	if diff := cmp.Diff([]string{field}, fields); diff != "" {
		t.Errorf("conflict fields (-want +got):\n%s", diff)
	}
}

// An external id links to another system's record of the person: the
// delete erases it (the delete's audit entry shows it removed), which also
// frees it for a new customer.
func testExternalIDErasedOnDelete(t *testing.T, f *fixture) {
	ctx := context.Background()
	in := input(customer.TypeResidential)
	in.ExternalID = "crm-7"
	c := f.create(t, in)
	if err := f.svc.Delete(ctx, c.ID, customer.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	audit, err := f.svc.Audit(ctx, c.ID, "", 1)
	if err != nil || len(audit.Items) != 1 || audit.Items[0].Action != "delete" {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
	var erased, kept bool
	for _, ch := range audit.Items[0].Changes {
		switch ch.Field {
		case "external_id":
			erased = string(ch.Before) == `"crm-7"` && string(ch.After) == "null"
		case "customer_since":
			kept = true
		}
	}
	if !erased || kept {
		t.Errorf("delete changes = %+v; want external_id erased and customer_since kept", audit.Items[0].Changes)
	}
	_, err = f.store.GetCustomerByExternalID(ctx, "crm-7")
	wantCode(t, err, crm.CodeNotFound)
	again := input(customer.TypeResidential)
	again.ExternalID = "crm-7"
	f.create(t, again)
}

func testCustomerSince(t *testing.T, f *fixture) {
	ctx := context.Background()
	created := crm.DateOf(f.clock.Now()) // 2026-03-01
	backdated := crm.Date{Year: 2001, Month: time.May, Day: 2}

	c := f.create(t, input(customer.TypeResidential))
	in := input(customer.TypeResidential)
	in.CustomerSince = &backdated
	old := f.create(t, in)
	f.clock.Add(72 * time.Hour) // today is no longer the creation date
	today := crm.DateOf(f.clock.Now())

	edit := func(id string, e func(*customer.Input)) (*customer.Customer, error) {
		return f.svc.Update(ctx, id, 0, func(in *customer.Input) error { e(in); return nil })
	}
	for _, tc := range []struct {
		name string
		id   string
		edit func(*customer.Input)
		want crm.Date
	}{
		{"defaults to the creation date", c.ID, func(*customer.Input) {}, created},
		{"backdated on create", old.ID, func(*customer.Input) {}, backdated},
		{"kept by an edit of another field", old.ID, func(in *customer.Input) { in.Name = "Renamed" }, backdated},
		{"set to today", c.ID, func(in *customer.Input) { in.CustomerSince = &today }, today},
		{"nil resets to the creation date", c.ID, func(in *customer.Input) { in.CustomerSince = nil }, created},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := edit(tc.id, tc.edit)
			if err != nil {
				t.Fatal(err)
			}
			if got.CustomerSince != tc.want {
				t.Errorf("CustomerSince = %s, want %s", got.CustomerSince, tc.want)
			}
			stored, err := f.svc.Get(ctx, tc.id)
			if err != nil || stored.CustomerSince != tc.want {
				t.Errorf("stored CustomerSince = %v, %v; want %s", stored, err, tc.want)
			}
		})
	}

	// A replace without it resets it, as it resets every writable field.
	replaced, err := f.svc.Replace(ctx, old.ID, input(customer.TypeResidential), 0)
	if err != nil || replaced.CustomerSince != created {
		t.Errorf("Replace without customer_since = %v, %v; want %s", replaced, err, created)
	}

	tomorrow := crm.DateOf(f.clock.Now().Add(24 * time.Hour))
	in = input(customer.TypeResidential)
	in.CustomerSince = &tomorrow
	_, err = f.svc.Create(ctx, in)
	wantCode(t, err, crm.CodeInvalid)
	if diff := cmp.Diff([]crm.FieldError{{Field: "customer_since", Message: "must not be in the future"}}, crm.ErrorFields(err)); diff != "" {
		t.Errorf("future customer_since (-want +got):\n%s", diff)
	}
}
