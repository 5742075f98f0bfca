package document

import (
	"time"

	"github.com/ispstack/crm"
)

// Type is what a document is.
type Type string

// The document types.
const (
	TypeContract          Type = "contract"
	TypeAgreement         Type = "agreement"
	TypeIDVerification    Type = "id_verification"
	TypeCreditApplication Type = "credit_application"
	TypeTechnicalSpecs    Type = "technical_specs"
)

// Types lists every valid Type.
var Types = []Type{TypeContract, TypeAgreement, TypeIDVerification, TypeCreditApplication, TypeTechnicalSpecs}

// SignatureStatus is where a document stands with its signature.
type SignatureStatus string

// The signature statuses. A document that requires no signature is always
// not_required; one that does starts pending.
const (
	SignatureNotRequired SignatureStatus = "not_required"
	SignaturePending     SignatureStatus = "pending"
	SignatureSigned      SignatureStatus = "signed"
	SignatureDeclined    SignatureStatus = "declined"
)

// SignatureStatuses lists every valid SignatureStatus.
var SignatureStatuses = []SignatureStatus{SignatureNotRequired, SignaturePending, SignatureSigned, SignatureDeclined}

// ScanStatus is the malware verdict on a document's content.
type ScanStatus string

// The scan statuses. Without a Scanner every document is not_scanned and
// served; with one a document is pending until scanned, and only clean
// content is served.
const (
	ScanNotScanned ScanStatus = "not_scanned"
	ScanPending    ScanStatus = "pending"
	ScanClean      ScanStatus = "clean"
	ScanInfected   ScanStatus = "infected"
)

// ScanStatuses lists every valid ScanStatus.
var ScanStatuses = []ScanStatus{ScanNotScanned, ScanPending, ScanClean, ScanInfected}

// Document is the metadata of one stored file of a customer. The content is
// in the bucket under ObjectKey.
type Document struct {
	ID                string          `json:"id"`
	CustomerID        string          `json:"customer_id"`
	Name              string          `json:"name"`
	Type              Type            `json:"document_type"`
	FileSize          int64           `json:"file_size"`
	MimeType          string          `json:"mime_type"` // sniffed from the content, never taken from the client
	SHA256            string          `json:"sha256"`    // hex checksum of the content
	UploadDate        time.Time       `json:"upload_date"`
	UploadedBy        string          `json:"uploaded_by"` // the actor (API key id) who uploaded it
	ExpirationDate    *crm.Date       `json:"expiration_date"`
	IsActive          bool            `json:"is_active"` // false once deactivated (DELETE)
	RequiresSignature bool            `json:"requires_signature"`
	SignatureStatus   SignatureStatus `json:"signature_status"`
	Tags              []string        `json:"tags"`
	ScanStatus        ScanStatus      `json:"scan_status"`
	// ObjectKey is where the content lives in the bucket; generated, never
	// shown to clients.
	ObjectKey string    `json:"-"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}
