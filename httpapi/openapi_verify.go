package httpapi

import (
	"github.com/ispstack/crm/verify"
	"github.com/ispstack/crm/verify/address"
)

// The values of the verify enums, as the OpenAPI document lists them.
var (
	verificationStatuses = []verify.Status{verify.StatusPending, verify.StatusInProgress, verify.StatusCompleted, verify.StatusFailed}
	verificationMethods  = []verify.Method{verify.MethodDocumentUpload, verify.MethodThirdPartyService, verify.MethodManualReview}
	verificationLevels   = []verify.Level{verify.LevelBasic, verify.LevelEnhanced, verify.LevelComprehensive}
	identityServices     = []verify.ThirdParty{verify.ThirdPartyExperian, verify.ThirdPartyEquifax, verify.ThirdPartyLexisNexis}
	identityDocuments    = []verify.DocumentType{verify.DocumentDriversLicense, verify.DocumentPassport, verify.DocumentUtilityBill}
	identityDecisions    = []verify.Decision{verify.DecisionApproved, verify.DecisionRejected}
	creditBureaus        = []verify.Bureau{verify.BureauExperian, verify.BureauEquifax, verify.BureauTransUnion}
	creditCheckTypes     = []verify.CheckType{verify.CheckSoft, verify.CheckHard}
	creditPurposes       = []verify.Purpose{verify.PurposeAccountOpening, verify.PurposeCreditLimitReview, verify.PurposeCollections}
	riskTiers            = []verify.RiskTier{verify.TierExcellent, verify.TierGood, verify.TierFair, verify.TierPoor, verify.TierVeryPoor, verify.TierNoScore}
	addressTypes         = []string{verify.AddressBilling, verify.AddressService}
	overallStatuses      = []verify.Overall{verify.OverallUnverified, verify.OverallPending, verify.OverallVerified, verify.OverallFailed, verify.OverallExpired}
	coordinatePrecisions = []address.Precision{address.PrecisionPostalCode, address.PrecisionStreet, address.PrecisionRooftop}
)

// verificationComponents are the components of the verifications module.
func verificationComponents() components {
	uuid := obj{"type": "string", "format": "uuid"}
	kind := func(k verify.Kind) obj { return enumOf("The kind of verification.", []verify.Kind{k}) }
	reason := sref("Reason")
	return components{
		parameters: obj{"VerificationID": pathID("verification_id")},
		schemas: obj{
			"Reason": object([]string{"code", "description"}, obj{"code": str("For programs."), "description": str("For people.")}),
			"IdentityDocument": closed(object([]string{"document_type", "document_id"}, obj{
				"document_type": enumOf("A utility bill proves an address, not who someone is: offered alone it sends the verification to review.", identityDocuments),
				"document_id":   obj{"type": "string", "format": "uuid", "description": "An active, unexpired document of this customer (another customer's is 404)."},
			})),
			"IdentityInput": closed(object([]string{"verification_method"}, obj{
				"verification_method": enumOf("document_upload and manual_review end with a review (POST …/review); third_party_service is decided by the service unless it refers the case to review.", verificationMethods),
				"verification_level":  obj{"allOf": []any{enumOf("", verificationLevels)}, "default": string(verify.LevelBasic)},
				"third_party_service": enumOf("Required for, and only allowed with, third_party_service.", identityServices),
				"documents":           obj{"type": "array", "maxItems": verify.MaxDocuments, "items": sref("IdentityDocument"), "description": "At least one for document_upload."},
			})),
			"IdentityResult": object([]string{"decision", "reasons", "completed_at", "provider_reference"}, obj{
				"decision":           enumOf("A failed verification (no answer could be had) is rejected, with the failure as reason.", identityDecisions),
				"reasons":            arrayOf(reason),
				"completed_at":       timestamp(""),
				"provider_reference": str("The provider's id of the verification; empty when no provider answered."),
				"reviewed_by":        str("The API key id of the reviewer, after a manual review."),
				"notes":              str("The reviewer's."),
				"expires_at":         timestamp("When an approval stops counting (IDENTITY_VALID_FOR after completed_at); the overall status then turns expired."),
			}),
			"IdentityVerification": object([]string{"type", "verification_id", "status", "verification_method", "verification_level", "documents",
				"initiated_at", "estimated_completion", "required_actions", "result"}, obj{
				"type":                 kind(verify.KindIdentity),
				"verification_id":      uuid,
				"status":               enumOf("pending waits for a worker or, with required_actions [manual_review], for a review; completed and failed are final.", verificationStatuses),
				"verification_method":  enumOf("", verificationMethods),
				"verification_level":   enumOf("", verificationLevels),
				"third_party_service":  enumOf("", identityServices),
				"documents":            arrayOf(sref("IdentityDocument")),
				"initiated_at":         timestamp(""),
				"estimated_completion": timestamp(""),
				"required_actions":     arrayOf(enumOf("", []string{verify.ActionManualReview})),
				"result":               orNull(sref("IdentityResult")),
			}),
			"ReviewInput": closed(object([]string{"decision"}, obj{
				"decision": enumOf("", []string{verify.ReviewApprove, verify.ReviewReject}),
				"notes":    strLen("Kept with the result; redacted in the audit trail.", 0, verify.MaxNotesLength),
			})),
			"CreditCheckInput": closed(object([]string{"bureau", "consent"}, obj{
				"bureau":     enumOf("", creditBureaus),
				"check_type": obj{"allOf": []any{enumOf("", creditCheckTypes)}, "default": string(verify.CheckSoft)},
				"consent":    obj{"type": "boolean", "enum": []any{true}, "description": "The customer agreed to the check; anything but true is 400."},
				"purpose":    enumOf("", creditPurposes),
				"force":      obj{"type": "boolean", "default": false, "description": "A hard check within 30 days of the last one (409 without it); admin only (403), hard checks only."},
			})),
			"CreditCheck": object([]string{"type", "check_id", "status", "bureau", "check_type", "forced", "score", "risk_tier",
				"recommended_deposit", "credit_limit", "factors", "checked_at"}, obj{
				"type":                kind(verify.KindCredit),
				"check_id":            uuid,
				"status":              enumOf("", verificationStatuses),
				"bureau":              enumOf("", creditBureaus),
				"check_type":          enumOf("", creditCheckTypes),
				"purpose":             enumOf("", creditPurposes),
				"forced":              boolean("A hard check an admin forced within 30 days of the last one."),
				"score":               obj{"type": []any{"integer", "null"}, "minimum": verify.MinScore, "maximum": verify.MaxScore, "description": "null for a thin file, or until the bureau answered."},
				"risk_tier":           orNull(enumOf("", riskTiers)),
				"recommended_deposit": orNull(money("The deposit to ask of a new customer.")),
				"credit_limit":        orNull(money("The unpaid balance allowed before collections act.")),
				"factors":             arrayOf(reason),
				"provider_reference":  str("The bureau's id of the inquiry."),
				"failure":             sref("Reason"),
				"checked_at":          orNull(timestamp("When the bureau answered or the check failed; null while open.")),
			}),
			"PostalAddress": closed(object(nil, obj{
				"street": str(""), "unit": str(""), "city": str(""), "state": str(""),
				"postal_code": str(""), "country": str("ISO 3166-1 alpha-2 (a few names and alpha-3 codes are accepted)."),
			})),
			"AddressVerifyInput": closed(object(nil, obj{
				"address_type": obj{"allOf": []any{enumOf("The stored address to check or, with address, the one apply writes.", addressTypes)}, "default": verify.AddressBilling},
				"address":      sref("PostalAddress"),
				"apply":        obj{"type": "boolean", "default": false, "description": "Write the normalised address and its coordinates to the customer when valid (If-Match: the customer's ETag, which changes)."},
			})),
			"AddressVerification": object([]string{"type", "verification_id", "valid", "input", "normalized", "coordinates",
				"confidence", "messages", "applied", "checked_at"}, obj{
				"type":            kind(verify.KindAddress),
				"verification_id": uuid,
				"address_type":    enumOf("Absent for an address given in the request and not applied.", addressTypes),
				"valid":           boolean(""),
				"input":           sref("PostalAddress"),
				"normalized":      sref("PostalAddress"),
				"coordinates": orNull(object([]string{"latitude", "longitude", "precision"}, obj{
					"latitude": obj{"type": "number", "minimum": -90, "maximum": 90}, "longitude": obj{"type": "number", "minimum": -180, "maximum": 180},
					"precision": enumOf("", coordinatePrecisions),
				})),
				"confidence": obj{"type": "number", "minimum": 0, "maximum": 1, "description": "US: 0.9 when ZIP, state and city agree; CA, GB, DE, FR, AU: 0.5 (format only); other countries 0.2; 0 when invalid."},
				"messages": arrayOf(object([]string{"code", "field", "message"}, obj{
					"code": str(""), "field": str("The address field concerned."), "message": str(""),
				})),
				"applied":    boolean("The normalised address was written to the customer."),
				"checked_at": timestamp(""),
			}),
			"Verification": obj{"oneOf": []any{sref("IdentityVerification"), sref("CreditCheck"), sref("AddressVerification")},
				"description": "A verification of any kind; type says which."},
			"VerificationStatus": object([]string{"customer_id", "overall", "identity", "credit", "address", "history", "next_cursor", "has_more"}, obj{
				"customer_id": uuid,
				"overall":     enumOf("From the latest identity verification.", overallStatuses),
				"identity":    orNull(sref("IdentityVerification")),
				"credit":      orNull(sref("CreditCheck")),
				"address": object([]string{"billing", "service"}, obj{
					"billing": orNull(sref("AddressVerification")), "service": orNull(sref("AddressVerification")),
				}),
				"history":     obj{"type": "array", "items": sref("Verification"), "description": "Every verification, newest first, one page."},
				"next_cursor": obj{"type": []any{"string", "null"}},
				"has_more":    boolean(""),
			}),
		},
	}
}
