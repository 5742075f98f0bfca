package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// Method is how an identity is verified.
type Method string

// The verification methods.
const (
	// MethodDocumentUpload checks documents the customer uploaded.
	MethodDocumentUpload Method = "document_upload"
	// MethodThirdPartyService asks an identity service (see ThirdParty).
	MethodThirdPartyService Method = "third_party_service"
	// MethodManualReview leaves the decision to a person.
	MethodManualReview Method = "manual_review"
)

// Valid reports whether m is one of the methods.
func (m Method) Valid() bool {
	return slices.Contains([]Method{MethodDocumentUpload, MethodThirdPartyService, MethodManualReview}, m)
}

// Level is how thorough an identity verification is.
type Level string

// The verification levels, from least to most thorough.
const (
	LevelBasic         Level = "basic"
	LevelEnhanced      Level = "enhanced"
	LevelComprehensive Level = "comprehensive"
)

// Valid reports whether l is one of the levels.
func (l Level) Valid() bool {
	return slices.Contains([]Level{LevelBasic, LevelEnhanced, LevelComprehensive}, l)
}

// ThirdParty is a third-party identity service.
type ThirdParty string

// The third-party identity services.
const (
	ThirdPartyExperian   ThirdParty = "experian"
	ThirdPartyEquifax    ThirdParty = "equifax"
	ThirdPartyLexisNexis ThirdParty = "lexisnexis"
)

// Valid reports whether s is one of the services.
func (s ThirdParty) Valid() bool {
	return slices.Contains([]ThirdParty{ThirdPartyExperian, ThirdPartyEquifax, ThirdPartyLexisNexis}, s)
}

// DocumentType is the kind of an identity document.
type DocumentType string

// The identity document types. A utility bill proves an address, not who
// someone is: it carries no photo.
const (
	DocumentDriversLicense DocumentType = "drivers_license"
	DocumentPassport       DocumentType = "passport"
	DocumentUtilityBill    DocumentType = "utility_bill"
)

// Valid reports whether t is one of the document types.
func (t DocumentType) Valid() bool {
	return slices.Contains([]DocumentType{DocumentDriversLicense, DocumentPassport, DocumentUtilityBill}, t)
}

// Document names one of the customer's stored documents offered as proof.
// The provider gets its id; an adapter that needs the content fetches it
// through package document, and no result ever carries it.
type Document struct {
	Type DocumentType `json:"document_type"`
	ID   string       `json:"document_id"`
}

// Decision is the outcome of an identity verification.
type Decision string

// The decisions. DecisionManualReview is not final: the verification waits
// for a person to approve or reject it.
const (
	DecisionApproved     Decision = "approved"
	DecisionRejected     Decision = "rejected"
	DecisionManualReview Decision = "manual_review"
)

// IdentityRequest is what an IdentityProvider is asked to verify: only what
// a provider needs.
type IdentityRequest struct {
	// IdempotencyKey identifies this verification at the provider; a
	// retry after a timeout sends the same key. Required.
	IdempotencyKey string `json:"idempotency_key"`
	// CustomerID is the customer being verified. Required.
	CustomerID string `json:"customer_id"`
	// Method is how to verify. Required.
	Method Method `json:"verification_method"`
	// Level is how thorough to be. Required.
	Level Level `json:"verification_level"`
	// ThirdParty is the identity service; required for, and only allowed
	// with, MethodThirdPartyService.
	ThirdParty ThirdParty `json:"third_party_service,omitempty"`
	// Documents are the proofs; at least one for MethodDocumentUpload.
	Documents []Document `json:"documents,omitempty"`
	// Name is the customer's name as on file, which services match on.
	Name string `json:"name"`
	// TaxID is the customer's tax id when on file; services match on it.
	// Optional. It never leaves in a result, a log or JSON (see TaxID).
	TaxID TaxID `json:"-"`
}

// Validate checks that req is complete and its values known; the error is
// invalid (crm.CodeInvalid) and names every bad field by its JSON name.
func (req IdentityRequest) Validate() error {
	var p crm.Problems
	requireIDs(&p, req.IdempotencyKey, req.CustomerID)
	checkIdentity(&p, req.Method, req.Level, req.ThirdParty, req.Documents)
	if req.TaxID != "" {
		checkTaxID(&p, req.TaxID)
	}
	return p.Err()
}

// Reason explains a decision or a score in a code for programs and a
// description for people.
type Reason struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// IdentityResult is a provider's answer. It carries no tax id and no
// document content.
type IdentityResult struct {
	// ProviderReference is the provider's id of this verification, the
	// same for every call with one idempotency key.
	ProviderReference string `json:"provider_reference"`
	// Decision is the outcome; DecisionManualReview hands it to a person.
	Decision Decision `json:"decision"`
	// Reasons explain the decision; never nil.
	Reasons []Reason `json:"reasons"`
}

// checkIdentity adds the problems of an identity verification's method,
// level, service and documents: the one check of both the API's input and
// a provider's request.
func checkIdentity(p *crm.Problems, m Method, l Level, tp ThirdParty, docs []Document) {
	switch {
	case m == "":
		p.Add("verification_method", "is required")
	case !m.Valid():
		p.Add("verification_method", "must be document_upload, third_party_service or manual_review")
	}
	if !l.Valid() {
		p.Add("verification_level", "must be basic, enhanced or comprehensive")
	}
	switch {
	case m == MethodThirdPartyService && tp == "":
		p.Add("third_party_service", "is required with verification_method third_party_service")
	case m == MethodThirdPartyService && !tp.Valid():
		p.Add("third_party_service", "must be experian, equifax or lexisnexis")
	case m != MethodThirdPartyService && tp != "":
		p.Add("third_party_service", "is only allowed with verification_method third_party_service")
	}
	if m == MethodDocumentUpload && len(docs) == 0 {
		p.Add("documents", "at least one document is required for document_upload")
	}
	if len(docs) > MaxDocuments {
		p.Addf("documents", "at most %d documents", MaxDocuments)
	}
	seen := map[string]bool{}
	for i, d := range docs {
		if !d.Type.Valid() {
			p.Add(fmt.Sprintf("documents[%d].document_type", i), "must be drivers_license, passport or utility_bill")
		}
		switch {
		case d.ID == "":
			p.Add(fmt.Sprintf("documents[%d].document_id", i), "is required")
		case seen[d.ID]:
			p.Add(fmt.Sprintf("documents[%d].document_id", i), "is listed twice")
		}
		seen[d.ID] = true
	}
}

// requireIDs adds a problem for each missing identifier every request has.
func requireIDs(p *crm.Problems, idempotencyKey, customerID string) {
	if idempotencyKey == "" {
		p.Add("idempotency_key", "is required")
	}
	if customerID == "" {
		p.Add("customer_id", "is required")
	}
}

// checkTaxID adds a problem unless t is nine digits; the message does not
// repeat the number.
func checkTaxID(p *crm.Problems, t TaxID) {
	if len(t) != 9 || strings.Trim(string(t), "0123456789") != "" {
		p.Add("tax_id", "must be nine digits")
	}
}
