package verify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// TestStatusHistory: the latest of each kind and the whole history,
// newest first, in pages.
func TestStatusHistory(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "123-45-6789", "")
		_, err := f.svc.Status(ctx(t), crm.NewID(), "", 0)
		wantCode(t, err, crm.CodeNotFound)
		_, err = f.svc.Status(ctx(t), c.ID, "nope", 500)
		wantCode(t, err, crm.CodeInvalid, "limit", "cursor")

		var want []string // ids, oldest first
		id, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		f.process(t)
		cr, err := f.svc.CheckCredit(ctx(t), c.ID, verify.CreditInput{Bureau: verify.BureauEquifax, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		ad, _, err := f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, id.ID, cr.ID, ad.ID)

		rep, err := f.svc.Status(ctx(t), c.ID, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Overall != verify.OverallVerified || rep.Identity.VerificationID != id.ID || rep.Credit.CheckID != cr.ID ||
			rep.Address.Billing.VerificationID != ad.ID || !rep.HasMore || rep.NextCursor == nil || len(rep.History) != 2 {
			t.Fatalf("report %+v", rep)
		}
		if rep.History[0].(*verify.AddressView).VerificationID != ad.ID || rep.History[1].(*verify.CreditView).CheckID != cr.ID {
			t.Errorf("history not newest first: %+v", rep.History)
		}
		next, err := f.svc.Status(ctx(t), c.ID, *rep.NextCursor, 2)
		if err != nil || len(next.History) != 1 || next.HasMore || next.NextCursor != nil ||
			next.History[0].(*verify.IdentityView).VerificationID != id.ID {
			t.Fatalf("second page %+v (%v)", next, err)
		}
		b, err := json.Marshal(rep)
		if err != nil || !strings.Contains(string(b), `"type":"address"`) {
			t.Errorf("json %s (%v)", b, err)
		}
	})
}

// TestNoTaxIDLeaks: after every kind of verification, neither the
// records, the audit trail, the outbox nor the log holds the tax id.
func TestNoTaxIDLeaks(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		const digits = "123456789"
		c := f.newCustomer(t, "Review Lovelace", "123-45-6789", "")
		timeout := f.newCustomer(t, "Ada Slow", "123-45-6666", "")
		if _, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty); err != nil {
			t.Fatal(err)
		}
		f.process(t)
		if _, err := f.svc.CheckCredit(ctx(t), c.ID, verify.CreditInput{Bureau: verify.BureauEquifax, Consent: true}); err != nil {
			t.Fatal(err)
		}
		_, _ = f.svc.CheckCredit(ctx(t), timeout.ID, verify.CreditInput{Bureau: verify.BureauEquifax, Consent: true})
		rep, err := f.svc.Status(ctx(t), c.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		events, err := st.ListEvents(t.Context(), "", 100000)
		if err != nil {
			t.Fatal(err)
		}
		for what, v := range map[string]any{"status": rep, "audit": f.audit(t, c.ID, ""), "events": events, "log": f.log.String()} {
			b, _ := json.Marshal(v)
			for _, secret := range []string{digits, "123-45-6789", "123456666", "123-45-6666"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("%s holds %q: %s", what, secret, b)
				}
			}
		}
	})
}
