package verify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify"
)

// creditRequest is a valid soft check of tax id tax.
func creditRequest(tax verify.TaxID) verify.CreditRequest {
	return verify.CreditRequest{IdempotencyKey: "key-1", CustomerID: "cust-1",
		Bureau: verify.BureauExperian, CheckType: verify.CheckSoft,
		Purpose: verify.PurposeAccountOpening, Name: "Ada Lovelace", TaxID: tax}
}

// identityRequest is a valid basic third-party verification of name.
func identityRequest(name string) verify.IdentityRequest {
	return verify.IdentityRequest{IdempotencyKey: "key-1", CustomerID: "cust-1",
		Method: verify.MethodThirdPartyService, ThirdParty: verify.ThirdPartyLexisNexis,
		Level: verify.LevelBasic, Name: name}
}

func ptr(n int) *int { return &n }

func TestSandboxBureau(t *testing.T) {
	tests := []struct {
		tax     verify.TaxID
		score   *int
		tier    verify.RiskTier
		deposit crm.Money
		limit   crm.Money
	}{
		{"123450000", nil, verify.TierNoScore, 100_00, 100_00},
		{"123451450", ptr(750), verify.TierExcellent, 0, 1000_00},
		{"123451550", ptr(850), verify.TierExcellent, 0, 1000_00},
		{"123450999", ptr(748), verify.TierExcellent, 0, 1000_00},
		{"123451400", ptr(700), verify.TierGood, 0, 500_00},
		{"123451300", ptr(600), verify.TierFair, 50_00, 250_00},
		{"123451250", ptr(550), verify.TierPoor, 100_00, 100_00},
		{"123451100", ptr(400), verify.TierVeryPoor, 200_00, 0},
		{"123451000", ptr(300), verify.TierVeryPoor, 200_00, 0},
		{"123451551", ptr(300), verify.TierVeryPoor, 200_00, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.tax[5:]), func(t *testing.T) {
			got, err := verify.SandboxBureau{}.Check(context.Background(), creditRequest(tt.tax))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.score, got.Score); diff != "" {
				t.Errorf("score (-want +got):\n%s", diff)
			}
			if got.RiskTier != tt.tier || got.RecommendedDeposit != tt.deposit || got.CreditLimit != tt.limit {
				t.Errorf("got %s deposit %s limit %s, want %s %s %s", got.RiskTier, got.RecommendedDeposit, got.CreditLimit, tt.tier, tt.deposit, tt.limit)
			}
			if got.Bureau != verify.BureauExperian || got.CheckType != verify.CheckSoft || got.ProviderReference == "" || len(got.Factors) == 0 {
				t.Errorf("report %+v", got)
			}
		})
	}
}

func TestSandboxBureauFailures(t *testing.T) {
	ctx := context.Background()
	_, err := verify.SandboxBureau{}.Check(ctx, creditRequest("123456666"))
	var pe *verify.ProviderError
	if !errors.As(err, &pe) || pe.Code != verify.CodeTimeout || !verify.IsTransient(err) || !errors.Is(err, verify.ErrProviderUnavailable) || errors.Is(err, verify.ErrProviderRejected) {
		t.Errorf("6666: %v, want a transient timeout", err)
	}
	_, err = verify.SandboxBureau{}.Check(ctx, creditRequest("123459999"))
	if !errors.As(err, &pe) || pe.Code != verify.CodeFileFrozen || verify.IsTransient(err) || !errors.Is(err, verify.ErrProviderRejected) {
		t.Errorf("9999: %v, want a permanent file_frozen", err)
	}
}

func TestSandboxIdentity(t *testing.T) {
	photo := []verify.Document{{Type: verify.DocumentPassport, ID: "doc-1"}, {Type: verify.DocumentUtilityBill, ID: "doc-2"}}
	bills := []verify.Document{{Type: verify.DocumentUtilityBill, ID: "doc-2"}}
	upload := func(name string, docs []verify.Document) verify.IdentityRequest {
		r := identityRequest(name)
		r.Method, r.ThirdParty, r.Documents = verify.MethodDocumentUpload, "", docs
		return r
	}
	withTax := func(r verify.IdentityRequest, tax verify.TaxID) verify.IdentityRequest { r.TaxID = tax; return r }
	manual := identityRequest("Ada Lovelace")
	manual.Method, manual.ThirdParty = verify.MethodManualReview, ""
	tests := []struct {
		name   string
		req    verify.IdentityRequest
		want   verify.Decision
		reason string
	}{
		{"approved", identityRequest("Ada Lovelace"), verify.DecisionApproved, "identity_confirmed"},
		{"thin file has no effect", withTax(identityRequest("Ada Lovelace"), "123450000"), verify.DecisionApproved, "identity_confirmed"},
		{"photo id uploaded", upload("Ada Lovelace", photo), verify.DecisionApproved, "identity_confirmed"},
		{"name Reject", identityRequest("Rejected Person"), verify.DecisionRejected, "identity_not_confirmed"},
		{"name reject in any case", identityRequest("ada reject"), verify.DecisionRejected, "identity_not_confirmed"},
		{"tax id 9999", withTax(identityRequest("Ada Lovelace"), "123459999"), verify.DecisionRejected, "identity_mismatch"},
		{"reject wins over review", identityRequest("Review Reject"), verify.DecisionRejected, "identity_not_confirmed"},
		{"name Review", identityRequest("Ada Review"), verify.DecisionManualReview, "review_flagged"},
		{"manual_review method", manual, verify.DecisionManualReview, "review_requested"},
		{"utility bill only", upload("Ada Lovelace", bills), verify.DecisionManualReview, "no_photo_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := verify.SandboxIdentity{}.Verify(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Decision != tt.want || len(got.Reasons) != 1 || got.Reasons[0].Code != tt.reason || got.ProviderReference == "" {
				t.Errorf("got %+v, want %s (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestSandboxIdentityTimeout(t *testing.T) {
	req := identityRequest("Ada Review")
	req.TaxID = "123456666"
	_, err := verify.SandboxIdentity{}.Verify(context.Background(), req)
	var pe *verify.ProviderError
	if !errors.As(err, &pe) || pe.Code != verify.CodeTimeout || pe.Provider != "sandbox/lexisnexis" || !verify.IsTransient(err) {
		t.Errorf("6666: %v, want a transient timeout from sandbox/lexisnexis", err)
	}
}

// TestSandboxEndedContext: an ended context stops a call, and only a
// deadline counts as transient.
func TestSandboxEndedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (verify.SandboxBureau{}).Check(ctx, creditRequest("123451450")); !errors.Is(err, context.Canceled) || verify.IsTransient(err) {
		t.Errorf("cancelled credit check: %v", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time0)
	defer cancel()
	if _, err := (verify.SandboxIdentity{}).Verify(ctx, identityRequest("Ada")); !errors.Is(err, context.DeadlineExceeded) || !verify.IsTransient(err) {
		t.Errorf("identity past its deadline: %v", err)
	}
}

// TestSandboxIdempotency: one key gives one answer and one reference; a
// new key gives a new reference with the same outcome.
func TestSandboxIdempotency(t *testing.T) {
	ctx := context.Background()
	req := creditRequest("123451450")
	a, errA := verify.SandboxBureau{}.Check(ctx, req)
	b, errB := verify.SandboxBureau{}.Check(ctx, req)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same key, different reports (-first +second):\n%s", diff)
	}
	req.IdempotencyKey = "key-2"
	c, err := verify.SandboxBureau{}.Check(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if c.ProviderReference == a.ProviderReference || *c.Score != *a.Score {
		t.Errorf("new key: reference %s (first %s), score %d (first %d)", c.ProviderReference, a.ProviderReference, *c.Score, *a.Score)
	}
	req.IdempotencyKey, req.Bureau = "key-1", verify.BureauTransUnion
	if d, _ := (verify.SandboxBureau{}).Check(ctx, req); d.ProviderReference == a.ProviderReference {
		t.Error("two bureaus gave one reference for one key")
	}

	ireq := identityRequest("Ada Review")
	x, _ := verify.SandboxIdentity{}.Verify(ctx, ireq)
	y, _ := verify.SandboxIdentity{}.Verify(ctx, ireq)
	if diff := cmp.Diff(x, y); diff != "" {
		t.Errorf("same key, different identity results (-first +second):\n%s", diff)
	}
	ireq.IdempotencyKey = "key-2"
	if z, _ := (verify.SandboxIdentity{}).Verify(ctx, ireq); z.ProviderReference == x.ProviderReference {
		t.Error("two keys gave one identity reference")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		fields []string
	}{
		{"empty identity", verify.IdentityRequest{}.Validate(),
			[]string{"idempotency_key", "customer_id", "verification_method", "verification_level"}},
		{"third party without service", func() error {
			r := identityRequest("Ada")
			r.ThirdParty = ""
			return r.Validate()
		}(), []string{"third_party_service"}},
		{"service with another method", func() error {
			r := identityRequest("Ada")
			r.Method = verify.MethodManualReview
			return r.Validate()
		}(), []string{"third_party_service"}},
		{"upload without documents", func() error {
			r := identityRequest("Ada")
			r.Method, r.ThirdParty = verify.MethodDocumentUpload, ""
			return r.Validate()
		}(), []string{"documents"}},
		{"bad document", func() error {
			r := identityRequest("Ada")
			r.Documents = []verify.Document{{Type: "selfie"}}
			r.TaxID = "12345"
			return r.Validate()
		}(), []string{"documents[0].document_type", "documents[0].document_id", "tax_id"}},
		{"empty credit", verify.CreditRequest{}.Validate(),
			[]string{"idempotency_key", "customer_id", "bureau", "check_type", "tax_id"}},
		{"bad purpose and tax id", func() error {
			r := creditRequest("12345678x")
			r.Purpose = "curiosity"
			return r.Validate()
		}(), []string{"purpose", "tax_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if crm.ErrorCode(tt.err) != crm.CodeInvalid {
				t.Fatalf("got %v, want invalid", tt.err)
			}
			var got []string
			for _, f := range crm.ErrorFields(tt.err) {
				got = append(got, f.Field)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	// The providers refuse an invalid request with the same error.
	if _, err := (verify.SandboxBureau{}).Check(context.Background(), verify.CreditRequest{}); crm.ErrorCode(err) != crm.CodeInvalid || verify.IsTransient(err) {
		t.Errorf("invalid credit request: %v", err)
	}
	if _, err := (verify.SandboxIdentity{}).Verify(context.Background(), verify.IdentityRequest{}); crm.ErrorCode(err) != crm.CodeInvalid {
		t.Errorf("invalid identity request: %v", err)
	}
}
