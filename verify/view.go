package verify

import (
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify/address"
)

// IdentityView is an identity verification as the API shows it.
type IdentityView struct {
	Type                string           `json:"type"`
	VerificationID      string           `json:"verification_id"`
	Status              Status           `json:"status"`
	VerificationMethod  Method           `json:"verification_method"`
	VerificationLevel   Level            `json:"verification_level"`
	ThirdPartyService   ThirdParty       `json:"third_party_service,omitempty"`
	Documents           []Document       `json:"documents"`
	InitiatedAt         time.Time        `json:"initiated_at"`
	EstimatedCompletion time.Time        `json:"estimated_completion"`
	RequiredActions     []string         `json:"required_actions"`
	Result              *IdentityOutcome `json:"result"`
}

// CreditView is a credit check as the API shows it. Score, RiskTier,
// RecommendedDeposit and CreditLimit are null until the bureau answered.
type CreditView struct {
	Type               string     `json:"type"`
	CheckID            string     `json:"check_id"`
	Status             Status     `json:"status"`
	Bureau             Bureau     `json:"bureau"`
	CheckType          CheckType  `json:"check_type"`
	Purpose            Purpose    `json:"purpose,omitempty"`
	Forced             bool       `json:"forced"`
	Score              *int       `json:"score"`
	RiskTier           *RiskTier  `json:"risk_tier"`
	RecommendedDeposit *crm.Money `json:"recommended_deposit"`
	CreditLimit        *crm.Money `json:"credit_limit"`
	Factors            []Reason   `json:"factors"`
	ProviderReference  string     `json:"provider_reference,omitempty"`
	Failure            *Reason    `json:"failure,omitempty"`
	CheckedAt          *time.Time `json:"checked_at"`
}

// AddressView is an address verification as the API shows it.
type AddressView struct {
	Type           string               `json:"type"`
	VerificationID string               `json:"verification_id"`
	AddressType    string               `json:"address_type,omitempty"`
	Valid          bool                 `json:"valid"`
	Input          address.Address      `json:"input"`
	Normalized     address.Address      `json:"normalized"`
	Coordinates    *address.Coordinates `json:"coordinates"`
	Confidence     float64              `json:"confidence"`
	Messages       []address.Message    `json:"messages"`
	Applied        bool                 `json:"applied"`
	CheckedAt      time.Time            `json:"checked_at"`
}

// View returns v as the API shows it: an *IdentityView, *CreditView or
// *AddressView as its Kind says, each with "type" naming the kind.
func (v *Verification) View() any {
	switch {
	case v.Identity != nil:
		return v.IdentityView()
	case v.Credit != nil:
		return v.CreditView()
	case v.Address != nil:
		return v.AddressView()
	}
	return nil
}

// IdentityView is View of an identity verification; nil for another kind.
func (v *Verification) IdentityView() *IdentityView {
	id := v.Identity
	if id == nil {
		return nil
	}
	docs := id.Documents
	if docs == nil {
		docs = []Document{}
	}
	actions := id.RequiredActions
	if actions == nil {
		actions = []string{}
	}
	return &IdentityView{Type: string(KindIdentity), VerificationID: v.ID, Status: v.Status,
		VerificationMethod: id.Method, VerificationLevel: id.Level, ThirdPartyService: id.ThirdParty,
		Documents: docs, InitiatedAt: v.CreatedAt, EstimatedCompletion: id.EstimatedCompletion,
		RequiredActions: actions, Result: id.Result}
}

// CreditView is View of a credit check; nil for another kind.
func (v *Verification) CreditView() *CreditView {
	c := v.Credit
	if c == nil {
		return nil
	}
	out := &CreditView{Type: string(KindCredit), CheckID: v.ID, Status: v.Status, Bureau: c.Bureau,
		CheckType: c.CheckType, Purpose: c.Purpose, Forced: c.Forced, Factors: []Reason{},
		Failure: c.Failure, CheckedAt: c.CheckedAt}
	if r := c.Report; r != nil {
		tier, deposit, limit := r.RiskTier, r.RecommendedDeposit, r.CreditLimit
		out.Score, out.RiskTier, out.RecommendedDeposit, out.CreditLimit = r.Score, &tier, &deposit, &limit
		out.ProviderReference = r.ProviderReference
		if r.Factors != nil {
			out.Factors = r.Factors
		}
	}
	return out
}

// AddressView is View of an address verification; nil for another kind.
func (v *Verification) AddressView() *AddressView {
	a := v.Address
	if a == nil {
		return nil
	}
	msgs := a.Result.Messages
	if msgs == nil {
		msgs = []address.Message{}
	}
	return &AddressView{Type: string(KindAddress), VerificationID: v.ID, AddressType: a.AddressType,
		Valid: a.Result.Valid, Input: a.Input, Normalized: a.Result.Normalized,
		Coordinates: a.Result.Coordinates, Confidence: a.Result.Confidence, Messages: msgs,
		Applied: a.Applied, CheckedAt: a.CheckedAt}
}
