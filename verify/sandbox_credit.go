package verify

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// SandboxBureau is a deterministic CreditBureau for tests and demos that
// answers for all three bureaus: the report follows from the tax id alone
// (see the package documentation for the table). It keeps no state, reads
// no clock and draws no random numbers.
type SandboxBureau struct{}

var _ CreditBureau = SandboxBureau{}

// sandboxScoreSpan is the number of scores from MinScore to MaxScore.
const sandboxScoreSpan = MaxScore - MinScore + 1

// Check answers req by the sandbox rules, first match wins:
//  1. an invalid request: the Validate error;
//  2. ctx already ended: ctx's error;
//  3. a tax id ending 6666: a transient ProviderError (CodeTimeout),
//     returned at once;
//  4. ending 9999: a permanent ProviderError (CodeFileFrozen);
//  5. ending 0000: a thin file, score nil, tier no_score;
//  6. otherwise the score is 300 + (the last three digits mod 551), so
//     ...1450 scores 750 and ...0999 scores 748.
//
// Soft and hard checks score alike. The reference is derived from the
// bureau and the idempotency key alone.
func (SandboxBureau) Check(ctx context.Context, req CreditRequest) (CreditReport, error) {
	if err := req.Validate(); err != nil {
		return CreditReport{}, err
	}
	if err := ctx.Err(); err != nil {
		return CreditReport{}, err
	}
	tax, provider := string(req.TaxID), "sandbox/"+string(req.Bureau)
	switch {
	case strings.HasSuffix(tax, SandboxTimeout):
		return CreditReport{}, sandboxTimeoutError(provider)
	case strings.HasSuffix(tax, SandboxReject):
		return CreditReport{}, &ProviderError{Provider: provider, Code: CodeFileFrozen,
			Message: "the consumer has frozen their credit file (sandbox tax id ending " + SandboxReject + ")"}
	}
	ref := sandboxReference(string(req.Bureau), req.IdempotencyKey)
	var score *int
	if !strings.HasSuffix(tax, SandboxThinFile) {
		last3, _ := strconv.Atoi(tax[len(tax)-3:]) // Validate: nine digits
		s := MinScore + last3%sandboxScoreSpan
		score = &s
	}
	return NewCreditReport(ref, req.Bureau, req.CheckType, score, slices.Clone(sandboxFactors[RiskTierOf(score)])), nil
}

// sandboxFactors are the factors the sandbox reports for each tier, most
// important first.
var sandboxFactors = map[RiskTier][]Reason{
	TierExcellent: {
		{"long_history", "Long, well-established credit history."},
		{"on_time_payments", "No late payments on record."},
	},
	TierGood: {
		{"utilization", "Balances are moderately high compared with credit limits."},
	},
	TierFair: {
		{"utilization", "Balances are high compared with credit limits."},
		{"recent_inquiries", "Several recent credit inquiries."},
	},
	TierPoor: {
		{"delinquency", "Recent late payments."},
		{"utilization", "Balances are high compared with credit limits."},
	},
	TierVeryPoor: {
		{"derogatory_record", "A collection account or public record."},
		{"delinquency", "Serious late payments."},
	},
	TierNoScore: {
		{"insufficient_history", "Too little credit history to compute a score."},
	},
}
