package customer_test

import (
	"context"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// TestCreateMany: each input is answered at its index as a create one
// after the other would answer it: invalid, a conflict with a stored
// customer or an earlier input, or created with its audit entry.
func TestCreateMany(t *testing.T) {
	runFixtureTests(t, []fixtureTest{{"Outcomes", func(t *testing.T, f *fixture) {
		stored := f.create(t, input(customer.TypeResidential))
		first := input(customer.TypeResidential)
		bad := input(customer.TypeResidential)
		bad.Email = "not an email"
		dupOfFirst := input(customer.TypeSmallBusiness)
		dupOfFirst.Email = first.Email
		dupOfStored := input(customer.TypeResidential)
		dupOfStored.Phone = stored.Phone
		last := input(customer.TypeResidential)
		ins := []customer.Input{first, bad, dupOfFirst, dupOfStored, last}

		out, errs := createMany(t, f, ins)
		want := []struct {
			code  crm.Code
			field string
		}{{"", ""}, {crm.CodeInvalid, "email"}, {crm.CodeConflict, "email"}, {crm.CodeConflict, "phone"}, {"", ""}}
		for i, w := range want {
			if got := crm.ErrorCode(errs[i]); got != w.code {
				t.Errorf("input %d: code %q (%v), want %q", i, got, errs[i], w.code)
				continue
			}
			if w.code != "" {
				if fs := crm.ErrorFields(errs[i]); len(fs) != 1 || fs[0].Field != w.field || out[i] != nil {
					t.Errorf("input %d: %v, want one field %s and no customer", i, errs[i], w.field)
				}
				continue
			}
			got, err := f.svc.Get(t.Context(), out[i].ID)
			if err != nil || got.Email != ins[i].Email || !customer.ValidAccountNumber(got.AccountNumber) {
				t.Errorf("input %d: stored %+v (%v)", i, got, err)
			}
			if page, err := f.svc.Audit(t.Context(), out[i].ID, "", 10); err != nil || len(page.Items) != 1 || page.Items[0].Action != "create" {
				t.Errorf("input %d: audit %+v (%v)", i, page, err)
			}
		}
	}}, {"ManyChunks", func(t *testing.T, f *fixture) {
		// More inputs than one chunk of validation ahead of the writes:
		// conflicts across chunks and errors keep their indexes.
		stored := f.create(t, input(customer.TypeResidential))
		ins := make([]customer.Input, 1200)
		for i := range ins {
			ins[i] = input(customer.TypeResidential)
		}
		ins[700].Email = ins[5].Email
		ins[250].Phone = "not a phone"
		ins[1100].Phone = stored.Phone
		out, errs := createMany(t, f, ins)
		want := map[int]crm.Code{700: crm.CodeConflict, 250: crm.CodeInvalid, 1100: crm.CodeConflict}
		for i := range ins {
			if got := crm.ErrorCode(errs[i]); got != want[i] {
				t.Fatalf("input %d: code %q (%v), want %q", i, got, errs[i], want[i])
			}
			if want[i] != "" {
				continue
			}
			if got, err := f.svc.Get(t.Context(), out[i].ID); err != nil || got.Email != ins[i].Email {
				t.Fatalf("input %d: stored %+v (%v)", i, got, err)
			}
		}
	}}})
}

// createMany runs CreateMany on ins in a transaction of f's store.
func createMany(t *testing.T, f *fixture, ins []customer.Input) ([]*customer.Customer, []error) {
	t.Helper()
	var out []*customer.Customer
	var errs []error
	err := f.store.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
		var err error
		out, errs, err = f.svc.CreateMany(ctx, tx, ins)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, errs
}
