package customer_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/updatetest"
)

// TestUpdate checks Update and UpdateSubscription on both stores against
// the contract of internal/updatetest, and that an edit leaving the tax
// id out keeps it.
func TestUpdate(t *testing.T) {
	runFixtureTests(t, []fixtureTest{
		{"Customer", testUpdateCustomer},
		{"Subscription", testUpdateSubscription},
	})
}

// errEdit is the error an edit under test fails with.
var errEdit = errors.New("edit failed")

func testUpdateCustomer(t *testing.T, f *fixture) {
	ctx := context.Background()
	target := updatetest.Target[customer.Input, *customer.Customer]{
		Audit: f.store,
		Create: func(t *testing.T) (string, string) {
			in := input(customer.TypeResidential)
			ssn := "123-45-6789"
			in.TaxID = &ssn
			c := f.create(t, in)
			if _, err := f.svc.Update(ctx, c.ID, 1, func(in *customer.Input) error { in.Company = "Acme"; return nil }); err != nil {
				t.Fatal(err)
			}
			return c.ID, c.ID
		},
		Get: func(ctx context.Context, _, id string) (*customer.Customer, error) { return f.svc.Get(ctx, id) },
		Update: func(ctx context.Context, _, id string, ifVersion int64, edit func(*customer.Input) error) (*customer.Customer, error) {
			return f.svc.Update(ctx, id, ifVersion, edit)
		},
		Version: func(c *customer.Customer) int64 { return c.Version },
		Race: func(i int) func(*customer.Input) error {
			return func(in *customer.Input) error { in.Notes += updatetest.Mark(i); return nil }
		},
		Raced: func(t *testing.T, _, got *customer.Customer) {
			updatetest.CheckMarks(t, got.Notes)
		},
	}
	updatetest.Run(t, target, []updatetest.Case[customer.Input]{
		{Name: "current version", IfVersion: 2, Edit: func(in *customer.Input) error { in.Name = "Renamed"; return nil }, Written: true},
		{Name: "no condition", Edit: func(in *customer.Input) error { in.Notes = "moved"; return nil }, Written: true},
		{Name: "stale version", IfVersion: 1, Edit: func(in *customer.Input) error { in.Name = "Renamed"; return nil },
			WantCode: crm.CodePreconditionFailed},
		{Name: "edit error", Edit: func(in *customer.Input) error { in.Name = "Renamed"; return errEdit }, WantErr: errEdit},
		{Name: "invalid result", Edit: func(in *customer.Input) error { in.Email = "not an address"; return nil },
			WantCode: crm.CodeInvalid, WantField: "email"},
		{Name: "no-op", IfVersion: 2, Edit: func(*customer.Input) error { return nil }},
		{Name: "tax id cleared", Edit: func(in *customer.Input) error { in.TaxID = new(string); return nil }, Written: true},
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
	target := updatetest.Target[customer.SubscriptionInput, *customer.Subscription]{
		Audit: f.store,
		Create: func(t *testing.T) (string, string) {
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
		Get:     f.svc.GetSubscription,
		Update:  f.svc.UpdateSubscription,
		Version: func(s *customer.Subscription) int64 { return s.Version },
		Race: func(int) func(*customer.SubscriptionInput) error {
			return func(in *customer.SubscriptionInput) error { in.BandwidthDownMbps++; return nil }
		},
		Raced: func(t *testing.T, before, after *customer.Subscription) {
			if want := before.BandwidthDownMbps + updatetest.Edits; after.BandwidthDownMbps != want {
				t.Errorf("bandwidth = %d, want %d", after.BandwidthDownMbps, want)
			}
		},
	}
	updatetest.Run(t, target, []updatetest.Case[customer.SubscriptionInput]{
		{Name: "current version", IfVersion: 2, Edit: func(in *customer.SubscriptionInput) error { in.MonthlyPrice = price(7999); return nil },
			Written: true},
		{Name: "no condition", Edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return nil }, Written: true},
		{Name: "stale version", IfVersion: 1, Edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return nil },
			WantCode: crm.CodePreconditionFailed},
		{Name: "edit error", Edit: func(in *customer.SubscriptionInput) error { in.PlanName = "Fiber 1000"; return errEdit }, WantErr: errEdit},
		{Name: "invalid result", Edit: func(in *customer.SubscriptionInput) error { in.BandwidthDownMbps = -1; return nil },
			WantCode: crm.CodeInvalid, WantField: "bandwidth_down_mbps"},
		{Name: "new service type", Edit: func(in *customer.SubscriptionInput) error {
			in.ServiceType, in.Technology = customer.ServiceVoice, ""
			return nil
		}, Written: true},
		{Name: "internet without technology", Edit: func(in *customer.SubscriptionInput) error { in.Technology = ""; return nil },
			WantCode: crm.CodeInvalid, WantField: "technology"},
		{Name: "unknown service type", Edit: func(in *customer.SubscriptionInput) error { in.ServiceType = "telegraph"; return nil },
			WantCode: crm.CodeInvalid, WantField: "service_type"},
		{Name: "no-op", IfVersion: 2, Edit: func(*customer.SubscriptionInput) error { return nil }},
	})
}
