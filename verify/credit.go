package verify

import (
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify/address"
)

// Bureau is a consumer credit bureau.
type Bureau string

// The credit bureaus.
const (
	BureauExperian   Bureau = "experian"
	BureauEquifax    Bureau = "equifax"
	BureauTransUnion Bureau = "transunion"
)

// Valid reports whether b is one of the bureaus.
func (b Bureau) Valid() bool {
	return slices.Contains([]Bureau{BureauExperian, BureauEquifax, BureauTransUnion}, b)
}

// CheckType is the kind of credit inquiry.
type CheckType string

// The check types. A soft check does not affect the consumer's score; a
// hard one is recorded as an inquiry others can see.
const (
	CheckSoft CheckType = "soft"
	CheckHard CheckType = "hard"
)

// Valid reports whether c is one of the check types.
func (c CheckType) Valid() bool { return c == CheckSoft || c == CheckHard }

// Purpose is the permissible purpose of a credit check, which a bureau
// records with the inquiry.
type Purpose string

// The purposes.
const (
	PurposeAccountOpening    Purpose = "account_opening"
	PurposeCreditLimitReview Purpose = "credit_limit_review"
	PurposeCollections       Purpose = "collections"
)

// Valid reports whether p is one of the purposes.
func (p Purpose) Valid() bool {
	return slices.Contains([]Purpose{PurposeAccountOpening, PurposeCreditLimitReview, PurposeCollections}, p)
}

// CreditRequest is what a CreditBureau is asked for: only what a bureau
// needs to find the consumer's file.
type CreditRequest struct {
	// IdempotencyKey identifies this check at the bureau; a retry after a
	// timeout sends the same key, so a hard inquiry is made once. Required.
	IdempotencyKey string `json:"idempotency_key"`
	// CustomerID is the customer being checked. Required.
	CustomerID string `json:"customer_id"`
	// Bureau is the bureau asked. Required.
	Bureau Bureau `json:"bureau"`
	// CheckType is soft or hard. Required.
	CheckType CheckType `json:"check_type"`
	// Purpose is the permissible purpose; optional.
	Purpose Purpose `json:"purpose,omitempty"`
	// Name and Address are the customer's as on file; a bureau matches the
	// file on them with the tax id.
	Name    string          `json:"name"`
	Address address.Address `json:"address"`
	// TaxID is the customer's tax id, nine digits. Required. It is passed
	// in memory only and never leaves in a result, a log or JSON (see
	// TaxID).
	TaxID TaxID `json:"-"`
}

// Validate checks that req is complete and its values known; the error is
// invalid (crm.CodeInvalid) and names every bad field by its JSON name.
func (req CreditRequest) Validate() error {
	var p crm.Problems
	requireIDs(&p, req.IdempotencyKey, req.CustomerID)
	if !req.Bureau.Valid() {
		p.Add("bureau", "must be experian, equifax or transunion")
	}
	if !req.CheckType.Valid() {
		p.Add("check_type", "must be soft or hard")
	}
	if req.Purpose != "" && !req.Purpose.Valid() {
		p.Add("purpose", "must be account_opening, credit_limit_review or collections")
	}
	if req.TaxID == "" {
		p.Add("tax_id", "is required")
	} else {
		checkTaxID(&p, req.TaxID)
	}
	return p.Err()
}

// CreditReport is a bureau's answer, rated by this package's table (see
// RiskTier). It carries no tax id, not even its last digits.
type CreditReport struct {
	// ProviderReference is the bureau's id of this inquiry, the same for
	// every call with one idempotency key.
	ProviderReference string    `json:"provider_reference"`
	Bureau            Bureau    `json:"bureau"`
	CheckType         CheckType `json:"check_type"`
	// Score is 300–850, nil for a thin file (too little history to score).
	Score *int `json:"score"`
	// RiskTier, RecommendedDeposit and CreditLimit follow from Score by
	// RiskTierOf and RiskTier.Terms.
	RiskTier           RiskTier  `json:"risk_tier"`
	RecommendedDeposit crm.Money `json:"recommended_deposit"`
	CreditLimit        crm.Money `json:"credit_limit"`
	// Factors are what most affected the score, most important first;
	// never nil.
	Factors []Reason `json:"factors"`
}

// NewCreditReport builds a bureau's report from its score (nil for a thin
// file) and factors, filling in the risk tier and the terms of this
// package's table. An adapter maps the bureau's "no score" answers
// (exclusion codes and the like) to a nil score.
func NewCreditReport(reference string, bureau Bureau, check CheckType, score *int, factors []Reason) CreditReport {
	tier := RiskTierOf(score)
	terms := tier.Terms()
	if factors == nil {
		factors = []Reason{}
	}
	return CreditReport{
		ProviderReference: reference, Bureau: bureau, CheckType: check,
		Score: score, RiskTier: tier,
		RecommendedDeposit: terms.RecommendedDeposit, CreditLimit: terms.CreditLimit,
		Factors: factors,
	}
}
