package verify

import (
	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify/address"
)

// MaxDocuments is the most documents one identity verification takes.
const MaxDocuments = 10

// MaxNotesLength is the longest review note, in bytes.
const MaxNotesLength = 2000

// IdentityInput asks for an identity verification.
type IdentityInput struct {
	// Method is required.
	Method Method `json:"verification_method"`
	// Level defaults to basic.
	Level Level `json:"verification_level"`
	// ThirdParty is required for, and only allowed with,
	// MethodThirdPartyService.
	ThirdParty ThirdParty `json:"third_party_service"`
	// Documents are ids of the customer's active documents; at least one
	// for MethodDocumentUpload, at most MaxDocuments.
	Documents []Document `json:"documents"`
}

// validate checks in and sets its defaults; invalid names every bad field.
func (in *IdentityInput) validate() error {
	if in.Level == "" {
		in.Level = LevelBasic
	}
	var p crm.Problems
	checkIdentity(&p, in.Method, in.Level, in.ThirdParty, in.Documents)
	return p.Err()
}

// CreditInput asks for a credit check.
type CreditInput struct {
	// Bureau is required.
	Bureau Bureau `json:"bureau"`
	// CheckType defaults to soft.
	CheckType CheckType `json:"check_type"`
	// Consent must be true: the customer agreed to the check.
	Consent bool `json:"consent"`
	// Purpose is optional.
	Purpose Purpose `json:"purpose"`
	// Force makes a hard check within HardCheckInterval of the last one;
	// only for hard checks (the API allows it to admins).
	Force bool `json:"force"`
}

// validate checks in and sets its defaults.
func (in *CreditInput) validate() error {
	var p crm.Problems
	switch {
	case in.Bureau == "":
		p.Add("bureau", "is required")
	case !in.Bureau.Valid():
		p.Add("bureau", "must be experian, equifax or transunion")
	}
	if in.CheckType == "" {
		in.CheckType = CheckSoft
	} else if !in.CheckType.Valid() {
		p.Add("check_type", "must be soft or hard")
	}
	if !in.Consent {
		p.Add("consent", "must be true: the customer's consent to the check is required")
	}
	if in.Purpose != "" && !in.Purpose.Valid() {
		p.Add("purpose", "must be account_opening, credit_limit_review or collections")
	}
	if in.Force && in.CheckType != CheckHard {
		p.Add("force", "is only for hard checks")
	}
	return p.Err()
}

// AddressInput asks for an address verification: of a stored address
// (AddressType) or of one given (Address).
type AddressInput struct {
	// AddressType names the stored address to check, billing (the default)
	// or service; with Address it names where Apply writes.
	AddressType string `json:"address_type"`
	// Address, when set, is checked instead of a stored one.
	Address *address.Address `json:"address"`
	// Apply writes the normalised address and its coordinates to the
	// customer's address of AddressType when the address is valid.
	Apply bool `json:"apply"`
}

// validate checks in and sets its defaults.
func (in *AddressInput) validate() error {
	var p crm.Problems
	if in.AddressType == "" {
		in.AddressType = AddressBilling
	} else if in.AddressType != AddressBilling && in.AddressType != AddressService {
		p.Add("address_type", "must be billing or service")
	}
	return p.Err()
}

// ReviewInput is a person's decision on a verification waiting for review.
type ReviewInput struct {
	// Decision is approve or reject.
	Decision string `json:"decision"`
	// Notes are the reviewer's, at most MaxNotesLength bytes.
	Notes string `json:"notes"`
}

// The review decisions.
const (
	ReviewApprove = "approve"
	ReviewReject  = "reject"
)

// validate checks in.
func (in *ReviewInput) validate() error {
	var p crm.Problems
	if in.Decision != ReviewApprove && in.Decision != ReviewReject {
		p.Add("decision", "must be approve or reject")
	}
	if len(in.Notes) > MaxNotesLength {
		p.Addf("notes", "must be at most %d bytes", MaxNotesLength)
	}
	return p.Err()
}
