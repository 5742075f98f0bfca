package verify_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ispstack/crm/verify"
)

func ExampleSandboxBureau() {
	ctx := context.Background()
	for _, tax := range []verify.TaxID{"123451450", "123450000", "123456666", "123459999"} {
		report, err := verify.SandboxBureau{}.Check(ctx, verify.CreditRequest{
			IdempotencyKey: "check-1", CustomerID: "cust-1",
			Bureau: verify.BureauEquifax, CheckType: verify.CheckSoft, TaxID: tax,
		})
		switch {
		case verify.IsTransient(err):
			fmt.Println(tax, "retry later:", err)
		case err != nil:
			fmt.Println(tax, "failed:", err)
		case report.Score == nil:
			fmt.Println(tax, "thin file:", report.RiskTier, "deposit", report.RecommendedDeposit, "limit", report.CreditLimit)
		default:
			fmt.Println(tax, "score", *report.Score, report.RiskTier, "deposit", report.RecommendedDeposit, "limit", report.CreditLimit)
		}
	}
	// Output:
	// *****1450 score 750 excellent deposit 0.00 limit 1000.00
	// *****0000 thin file: no_score deposit 100.00 limit 100.00
	// *****6666 retry later: sandbox/equifax: provider_timeout: the provider did not answer in time (sandbox tax id ending 6666)
	// *****9999 failed: sandbox/equifax: file_frozen: the consumer has frozen their credit file (sandbox tax id ending 9999)
}

// acmeReply is what the (imagined) Acme bureau's client returns.
type acmeReply struct {
	InquiryID string
	Score     int
	NoHit     bool // too little history to score
	Frozen    bool
	Reasons   [][2]string // code and text, most important first
}

// errAcmeBusy is the Acme client's error for "try again later".
var errAcmeBusy = errors.New("acme: 503 busy")

// acmeBureau is the whole of a real bureau adapter: one type, one method,
// mapping the bureau's client onto verify.CreditBureau.
type acmeBureau struct {
	// pull is the bureau's client call; the tax id leaves only here.
	pull func(ctx context.Context, taxID, idempotencyKey string) (acmeReply, error)
}

// Check implements verify.CreditBureau.
func (b acmeBureau) Check(ctx context.Context, req verify.CreditRequest) (verify.CreditReport, error) {
	if err := req.Validate(); err != nil {
		return verify.CreditReport{}, err
	}
	reply, err := b.pull(ctx, string(req.TaxID), req.IdempotencyKey)
	switch {
	case errors.Is(err, errAcmeBusy):
		return verify.CreditReport{}, &verify.ProviderError{Provider: "acme", Code: verify.CodeUnavailable, Transient: true, Err: err}
	case err != nil:
		return verify.CreditReport{}, err
	case reply.Frozen:
		return verify.CreditReport{}, &verify.ProviderError{Provider: "acme", Code: verify.CodeFileFrozen, Message: "the file is frozen"}
	}
	var score *int
	if !reply.NoHit {
		score = &reply.Score
	}
	var factors []verify.Reason
	for _, r := range reply.Reasons {
		factors = append(factors, verify.Reason{Code: r[0], Description: r[1]})
	}
	return verify.NewCreditReport(reply.InquiryID, req.Bureau, req.CheckType, score, factors), nil
}

// Example_bureauAdapter shows the shape of a real CreditBureau adapter.
func Example_bureauAdapter() {
	var bureau verify.CreditBureau = acmeBureau{pull: func(ctx context.Context, taxID, key string) (acmeReply, error) {
		return acmeReply{InquiryID: "acme-" + key, Score: 690, Reasons: [][2]string{{"utilization", "High balances."}}}, nil
	}}
	report, err := bureau.Check(context.Background(), verify.CreditRequest{
		IdempotencyKey: "check-1", CustomerID: "cust-1",
		Bureau: verify.BureauTransUnion, CheckType: verify.CheckHard, TaxID: "123456789",
	})
	fmt.Println(report.ProviderReference, *report.Score, report.RiskTier, report.RecommendedDeposit, report.CreditLimit, report.Factors, err)
	// Output:
	// acme-check-1 690 good 0.00 500.00 [{utilization High balances.}] <nil>
}
