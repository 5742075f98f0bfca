package verify_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// TestIdentitySandboxOutcomes runs each sandbox input through the whole
// workflow: queued, claimed by a worker, answered, stored.
func TestIdentitySandboxOutcomes(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		tests := []struct {
			name, customer, taxID string
			in                    verify.IdentityInput
			status                verify.Status
			decision              verify.Decision // "" while waiting for review
			actions               []string
		}{
			{"approved by a service", "Ada Lovelace", "", thirdParty, verify.StatusCompleted, verify.DecisionApproved, []string{}},
			{"name rejects", "Reject Smith", "", thirdParty, verify.StatusCompleted, verify.DecisionRejected, []string{}},
			{"tax id 9999 rejects", "Ada Byron", "123-45-9999", thirdParty, verify.StatusCompleted, verify.DecisionRejected, []string{}},
			{"name refers to review", "Review Jones", "", thirdParty, verify.StatusPending, "", []string{verify.ActionManualReview}},
			{"manual review", "Grace Hopper", "", verify.IdentityInput{Method: verify.MethodManualReview},
				verify.StatusPending, "", []string{verify.ActionManualReview}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := f.newCustomer(t, tc.customer, tc.taxID, "")
				v, err := f.svc.StartIdentity(ctx(t), c.ID, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				if v.Status != verify.StatusPending || v.Identity.Result != nil || v.Job.DueAt == nil {
					t.Fatalf("started: status %s, result %v, due %v", v.Status, v.Identity.Result, v.Job.DueAt)
				}
				if want := start.Add(verify.EstimatedDuration(tc.in.Method, verify.LevelBasic)); !v.Identity.EstimatedCompletion.Equal(want) {
					t.Errorf("estimated_completion %v, want %v", v.Identity.EstimatedCompletion, want)
				}
				if n := f.process(t); n != 1 {
					t.Fatalf("claimed %d, want 1", n)
				}
				got := f.get(t, c.ID, v.ID)
				if got.Status != tc.status {
					t.Fatalf("status %s, want %s", got.Status, tc.status)
				}
				if diff := cmp.Diff(tc.actions, got.Identity.RequiredActions); diff != "" {
					t.Errorf("required_actions (-want +got):\n%s", diff)
				}
				if !strings.HasPrefix(got.Identity.ProviderReference, "sbx_idv_") {
					t.Errorf("provider reference %q", got.Identity.ProviderReference)
				}
				if got.Job.DueAt != nil || got.Job.ClaimedBy != "" {
					t.Errorf("finished verification still queued: %+v", got.Job)
				}
				if tc.decision == "" {
					if got.Identity.Result != nil {
						t.Errorf("result before review: %+v", got.Identity.Result)
					}
					return
				}
				r := got.Identity.Result
				if r == nil || r.Decision != tc.decision || !r.CompletedAt.Equal(start) || len(r.Reasons) == 0 {
					t.Fatalf("result %+v, want decision %s at %v with reasons", r, tc.decision, start)
				}
				if wantExp := tc.decision == verify.DecisionApproved; (r.ExpiresAt != nil) != wantExp ||
					wantExp && !r.ExpiresAt.Equal(start.Add(verify.DefaultIdentityValidFor)) {
					t.Errorf("expires_at %v", r.ExpiresAt)
				}
				if n := len(f.events(t, c.ID, verify.EventCompleted)); n != 1 {
					t.Errorf("%d completed events, want 1", n)
				}
			})
		}
	})
}

// TestReview: what waits for a person is decided by a review, once.
func TestReview(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Grace Hopper", "", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, verify.IdentityInput{Method: verify.MethodManualReview})
		if err != nil {
			t.Fatal(err)
		}
		admin := crm.WithActor(t.Context(), crm.Actor{ID: "key-admin"})
		// Not yet: the provider has not looked at it.
		_, err = f.svc.Review(admin, c.ID, v.ID, verify.ReviewInput{Decision: verify.ReviewApprove})
		wantCode(t, err, crm.CodeConflict)
		f.process(t)

		_, err = f.svc.Review(admin, c.ID, v.ID, verify.ReviewInput{Decision: "maybe", Notes: strings.Repeat("x", verify.MaxNotesLength+1)})
		wantCode(t, err, crm.CodeInvalid, "decision", "notes")
		_, err = f.svc.Review(admin, c.ID, crm.NewID(), verify.ReviewInput{Decision: verify.ReviewApprove})
		wantCode(t, err, crm.CodeNotFound)
		other := f.newCustomer(t, "Someone Else", "", "")
		_, err = f.svc.Review(admin, other.ID, v.ID, verify.ReviewInput{Decision: verify.ReviewApprove})
		wantCode(t, err, crm.CodeNotFound)

		got, err := f.svc.Review(admin, c.ID, v.ID, verify.ReviewInput{Decision: verify.ReviewApprove, Notes: "Passport matches Grace Hopper"})
		if err != nil {
			t.Fatal(err)
		}
		r := got.Identity.Result
		if got.Status != verify.StatusCompleted || r.Decision != verify.DecisionApproved || r.ReviewedBy != "key-admin" ||
			r.Reasons[0].Code != "manual_review_approved" || r.ExpiresAt == nil || len(got.Identity.RequiredActions) != 0 {
			t.Fatalf("reviewed: %+v, result %+v", got, r)
		}
		_, err = f.svc.Review(admin, c.ID, v.ID, verify.ReviewInput{Decision: verify.ReviewReject})
		wantCode(t, err, crm.CodeConflict)

		// The notes stay with the result, not in the audit trail.
		reviews := f.audit(t, c.ID, "review")
		if len(reviews) != 1 || reviews[0].ActorID != "key-admin" {
			t.Fatalf("review audit entries %+v", reviews)
		}
		for _, e := range f.audit(t, c.ID, "") {
			if b := string(crm.RawJSON(e)); strings.Contains(b, "Passport matches") {
				t.Errorf("audit entry %s holds the notes: %s", e.Action, b)
			}
		}
	})
}

// TestStartIdentityRefusals: every refusal names what is wrong and
// writes nothing.
func TestStartIdentityRefusals(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		tests := []struct {
			name   string
			in     verify.IdentityInput
			code   crm.Code
			fields []string
		}{
			{"no method", verify.IdentityInput{}, crm.CodeInvalid, []string{"verification_method"}},
			{"unknown method", verify.IdentityInput{Method: "telepathy"}, crm.CodeInvalid, []string{"verification_method"}},
			{"service missing", verify.IdentityInput{Method: verify.MethodThirdPartyService}, crm.CodeInvalid, []string{"third_party_service"}},
			{"service with another method", verify.IdentityInput{Method: verify.MethodManualReview, ThirdParty: verify.ThirdPartyEquifax},
				crm.CodeInvalid, []string{"third_party_service"}},
			{"bad level", verify.IdentityInput{Method: verify.MethodManualReview, Level: "extreme"}, crm.CodeInvalid, []string{"verification_level"}},
			{"upload without documents", verify.IdentityInput{Method: verify.MethodDocumentUpload}, crm.CodeInvalid, []string{"documents"}},
			{"bad document type", verify.IdentityInput{Method: verify.MethodDocumentUpload,
				Documents: []verify.Document{{Type: "selfie", ID: crm.NewID()}}}, crm.CodeInvalid, []string{"documents[0].document_type"}},
			{"unknown document", verify.IdentityInput{Method: verify.MethodDocumentUpload,
				Documents: []verify.Document{{Type: verify.DocumentPassport, ID: crm.NewID()}}}, crm.CodeNotFound, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.StartIdentity(ctx(t), c.ID, tc.in)
				wantCode(t, err, tc.code, tc.fields...)
			})
		}
		_, err := f.svc.StartIdentity(ctx(t), crm.NewID(), thirdParty)
		wantCode(t, err, crm.CodeNotFound)
		if got := f.audit(t, c.ID, ""); len(got) != 0 {
			t.Errorf("refusals wrote %d audit entries", len(got))
		}

		// One open identity verification at a time, then a new one.
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		wantCode(t, err, crm.CodeConflict)
		if !strings.Contains(crm.ErrorMessage(err), v.ID) {
			t.Errorf("conflict %q does not name %s", crm.ErrorMessage(err), v.ID)
		}
		f.process(t)
		if _, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty); err != nil {
			t.Errorf("a new verification after the first finished: %v", err)
		}
	})
}

// TestExpiry: an approval counts for IdentityValidFor, then the overall
// status is expired; a rejection is failed.
func TestExpiry(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, func(o *verify.Options) { o.IdentityValidFor = 30 * 24 * time.Hour })
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		overall := func() verify.Overall {
			t.Helper()
			rep, err := f.svc.Status(ctx(t), c.ID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			return rep.Overall
		}
		if got := overall(); got != verify.OverallUnverified {
			t.Fatalf("before: %s", got)
		}
		if _, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty); err != nil {
			t.Fatal(err)
		}
		if got := overall(); got != verify.OverallPending {
			t.Fatalf("queued: %s", got)
		}
		f.process(t)
		f.clock.Add(30*24*time.Hour - time.Second)
		if got := overall(); got != verify.OverallVerified {
			t.Fatalf("a second before expiry: %s", got)
		}
		f.clock.Add(time.Second)
		if got := overall(); got != verify.OverallExpired {
			t.Fatalf("at expiry: %s", got)
		}
		rejected := f.newCustomer(t, "Reject Smith", "", "")
		if _, err := f.svc.StartIdentity(ctx(t), rejected.ID, thirdParty); err != nil {
			t.Fatal(err)
		}
		f.process(t)
		rep, err := f.svc.Status(ctx(t), rejected.ID, "", 0)
		if err != nil || rep.Overall != verify.OverallFailed {
			t.Fatalf("rejected: %v %v", rep, err)
		}
	})
}

// TestDocumentUpload: the customer's own active documents go to review;
// another customer's is not found; a deactivated one is refused.
func TestDocumentUpload(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		other := f.newCustomer(t, "Someone Else", "", "")
		mine, theirs, gone := f.document(t, c.ID, true), f.document(t, other.ID, true), f.document(t, c.ID, false)
		upload := func(id string) verify.IdentityInput {
			return verify.IdentityInput{Method: verify.MethodDocumentUpload, Documents: []verify.Document{{Type: verify.DocumentPassport, ID: id}}}
		}
		_, err := f.svc.StartIdentity(ctx(t), c.ID, upload(theirs))
		wantCode(t, err, crm.CodeNotFound)
		_, err = f.svc.StartIdentity(ctx(t), c.ID, upload(gone))
		wantCode(t, err, crm.CodeUnprocessable, "documents[0].document_id")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, upload(mine))
		if err != nil {
			t.Fatal(err)
		}
		f.process(t)
		got := f.get(t, c.ID, v.ID)
		if got.Status != verify.StatusPending || !slices.Contains(got.Identity.RequiredActions, verify.ActionManualReview) {
			t.Fatalf("document upload: %s %v, want pending for review", got.Status, got.Identity.RequiredActions)
		}
		if diff := cmp.Diff(upload(mine).Documents, got.Identity.Documents); diff != "" {
			t.Errorf("documents (-want +got):\n%s", diff)
		}
	})
}

// document stores a document row for the customer, active or not, and
// returns its id.
func (f *fixture) document(t *testing.T, customerID string, active bool) string {
	t.Helper()
	d := newDocument(customerID, active)
	if err := f.st.CreateDocument(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// newDocument is an identity document row of the customer, as an upload
// leaves it.
func newDocument(customerID string, active bool) *document.Document {
	id := crm.NewID()
	return &document.Document{ID: id, CustomerID: customerID, Name: "Passport", Type: document.TypeIDVerification,
		FileSize: 1234, MimeType: "application/pdf", SHA256: strings.Repeat("ab", 32), UploadDate: start,
		UploadedBy: "key-agent", IsActive: active, SignatureStatus: document.SignatureNotRequired, Tags: []string{},
		ScanStatus: document.ScanClean, ObjectKey: "customers/" + customerID + "/" + id, Version: 1, UpdatedAt: start}
}

// TestIdentitySandboxTimeout: the sandbox's timeout (tax id ending 6666)
// is retried later, not decided.
func TestIdentitySandboxTimeout(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Slow", "123-45-6666", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		f.process(t)
		got := f.get(t, c.ID, v.ID)
		if got.Status != verify.StatusPending || got.Job.LastError != verify.CodeTimeout || got.Identity.Result != nil ||
			got.Job.Attempts != verify.DefaultCallsPerClaim || !got.Job.DueAt.Equal(start.Add(verify.DefaultRetryDelay)) {
			t.Fatalf("after the sandbox timeout: %s %+v", got.Status, got.Job)
		}
		if n := len(f.events(t, c.ID, verify.EventRetryScheduled)); n != 1 {
			t.Errorf("%d retry events, want 1", n)
		}
	})
}
