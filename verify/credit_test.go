package verify_test

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// TestCreditSandboxOutcomes runs each sandbox tax id through a credit
// check.
func TestCreditSandboxOutcomes(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		soft := verify.CreditInput{Bureau: verify.BureauEquifax, Consent: true, Purpose: verify.PurposeAccountOpening}

		t.Run("scored", func(t *testing.T) {
			c := f.newCustomer(t, "Ada Lovelace", "123-45-6789", "")
			v, err := f.svc.CheckCredit(ctx(t), c.ID, soft)
			if err != nil {
				t.Fatal(err)
			}
			rep := v.Credit.Report
			// The sandbox scores 300 + (789 % 551) = 538: poor.
			if v.Status != verify.StatusCompleted || rep.Score == nil || *rep.Score != 538 || rep.RiskTier != verify.TierPoor ||
				rep.RecommendedDeposit != 100_00 || v.Credit.CheckType != verify.CheckSoft || v.Credit.CheckedAt == nil {
				t.Fatalf("check %s %+v", v.Status, rep)
			}
			got, err := f.customers.Get(ctx(t), c.ID)
			if err != nil || got.CreditScore == nil || *got.CreditScore != 538 {
				t.Fatalf("customer credit_score %v (%v), want 538", got.CreditScore, err)
			}
			var audited bool
			for _, e := range auditOf(t, f, c.ID, "customer", "update") {
				for _, ch := range e.Changes {
					audited = audited || ch.Field == "credit_score" && string(ch.After) == "538"
				}
			}
			if !audited {
				t.Error("the credit score change is not in the customer's audit trail")
			}
			if n := len(f.events(t, c.ID, verify.EventCompleted)); n != 1 {
				t.Errorf("%d completed events", n)
			}
		})
		t.Run("thin file", func(t *testing.T) {
			c := f.newCustomer(t, "Acme Corp", "12-3450000", customer.TypeSmallBusiness)
			v, err := f.svc.CheckCredit(ctx(t), c.ID, soft)
			if err != nil {
				t.Fatal(err)
			}
			if rep := v.Credit.Report; rep.Score != nil || rep.RiskTier != verify.TierNoScore {
				t.Fatalf("thin file: %+v", rep)
			}
			if view := v.CreditView(); view.Score != nil || *view.RiskTier != verify.TierNoScore {
				t.Errorf("view %+v", view)
			}
		})
		t.Run("frozen file", func(t *testing.T) {
			c := f.newCustomer(t, "Ada Frozen", "123-45-9999", "")
			v, err := f.svc.CheckCredit(ctx(t), c.ID, soft)
			wantCode(t, err, crm.CodeUnprocessable)
			if v == nil || v.Status != verify.StatusFailed || v.Credit.Failure.Code != verify.CodeFileFrozen {
				t.Fatalf("frozen: %+v", v)
			}
			if got, _ := f.customers.Get(ctx(t), c.ID); got.CreditScore != nil {
				t.Errorf("a refused check stored a score: %v", *got.CreditScore)
			}
			if n := len(f.events(t, c.ID, verify.EventFailed)); n != 1 {
				t.Errorf("%d failed events", n)
			}
		})
		t.Run("timeout", func(t *testing.T) {
			c := f.newCustomer(t, "Ada Slow", "123-45-6666", "")
			v, err := f.svc.CheckCredit(ctx(t), c.ID, verify.CreditInput{Bureau: verify.BureauTransUnion, Consent: true})
			wantCode(t, err, crm.CodeUnavailable)
			if v == nil || v.Status != verify.StatusFailed || v.Credit.Failure.Code != verify.CodeTimeout ||
				v.Job.Attempts != verify.DefaultCallsPerClaim {
				t.Fatalf("timeout: %+v", v)
			}
		})
	})
}

// auditOf returns the customer's audit entries of entity and action.
func auditOf(t *testing.T, f *fixture, customerID, entity, action string) []crm.AuditEntry {
	t.Helper()
	rows, err := f.st.ListAudit(t.Context(), customerID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []crm.AuditEntry
	for _, e := range rows {
		if e.Entity == entity && e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// TestCreditRefusals: consent, tax id and input are checked before a
// bureau is asked.
func TestCreditRefusals(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "123-45-6789", "")
		noTaxID := f.newCustomer(t, "Ada Untaxed", "", "")
		tests := []struct {
			name     string
			customer string
			in       verify.CreditInput
			code     crm.Code
			fields   []string
		}{
			{"no consent", c.ID, verify.CreditInput{Bureau: verify.BureauExperian}, crm.CodeInvalid, []string{"consent"}},
			{"no bureau", c.ID, verify.CreditInput{Consent: true}, crm.CodeInvalid, []string{"bureau"}},
			{"unknown bureau", c.ID, verify.CreditInput{Bureau: "acme", Consent: true}, crm.CodeInvalid, []string{"bureau"}},
			{"bad type and purpose", c.ID, verify.CreditInput{Bureau: verify.BureauExperian, Consent: true, CheckType: "medium", Purpose: "fun"},
				crm.CodeInvalid, []string{"check_type", "purpose"}},
			{"force on a soft check", c.ID, verify.CreditInput{Bureau: verify.BureauExperian, Consent: true, Force: true}, crm.CodeInvalid, []string{"force"}},
			{"no tax id", noTaxID.ID, verify.CreditInput{Bureau: verify.BureauExperian, Consent: true}, crm.CodeUnprocessable, []string{"tax_id"}},
			{"no customer", crm.NewID(), verify.CreditInput{Bureau: verify.BureauExperian, Consent: true}, crm.CodeNotFound, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.CheckCredit(ctx(t), tc.customer, tc.in)
				wantCode(t, err, tc.code, tc.fields...)
			})
		}
		for _, id := range []string{c.ID, noTaxID.ID} {
			if got := f.audit(t, id, ""); len(got) != 0 {
				t.Errorf("refusals wrote %d audit entries", len(got))
			}
		}
	})
}

// TestHardCheckInterval: a second hard check within 30 days needs force;
// soft checks are never limited.
func TestHardCheckInterval(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "123-45-6789", "")
		hard := verify.CreditInput{Bureau: verify.BureauExperian, CheckType: verify.CheckHard, Consent: true}
		if _, err := f.svc.CheckCredit(ctx(t), c.ID, hard); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(29 * 24 * time.Hour)
		_, err := f.svc.CheckCredit(ctx(t), c.ID, hard)
		wantCode(t, err, crm.CodeConflict)
		if _, err := f.svc.CheckCredit(ctx(t), c.ID, verify.CreditInput{Bureau: verify.BureauExperian, Consent: true}); err != nil {
			t.Errorf("soft check within the interval: %v", err)
		}
		forced := hard
		forced.Force = true
		v, err := f.svc.CheckCredit(ctx(t), c.ID, forced)
		if err != nil || !v.Credit.Forced {
			t.Fatalf("forced: %v %v", v, err)
		}
		f.clock.Add(30 * 24 * time.Hour)
		if _, err := f.svc.CheckCredit(ctx(t), c.ID, hard); err != nil {
			t.Errorf("30 days after the last: %v", err)
		}
	})
}
