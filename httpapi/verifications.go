package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/verify"
)

// verificationsModule serves identity verifications, credit checks,
// address verifications and a customer's verification status; it is on
// when Services.Verify is set. Starting a verification or check takes an
// agent, reviewing one (and forcing a hard credit check) an admin.
var verificationsModule = module{
	on:         func(svc *app.Services) bool { return svc.Verify != nil },
	routes:     verificationRoutes,
	components: verificationComponents,
}

// verificationRoutes are the routes of the verifications module.
func verificationRoutes(s *server) []route {
	svc := s.services.Verify
	return []route{
		{http.MethodPost, "/api/v1/customers/:id/verify-identity", RoleAgent, handleVerifyIdentity(svc, s.basePath), // queued for the workers
			operation{id: "verifyIdentity", summary: "Start an identity verification: 202, decided by the workers (poll Location) or by a review",
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "IdentityInput", status: 202, result: "IdentityVerification", etag: true, location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id/verifications/:verification_id", RoleViewer, handleVerificationGet(svc),
			operation{id: "getVerification", summary: "Get a verification of any kind (identity, credit, address); type says which",
				params: []any{pref("CustomerID"), pref("VerificationID")}, status: 200, result: "Verification", etag: true, errors: []string{"400", "404"}}},
		{http.MethodPost, "/api/v1/customers/:id/verifications/:verification_id/review", RoleAdmin, handleVerificationReview(svc),
			operation{id: "reviewVerification", summary: "Approve or reject an identity verification waiting for a manual review (409 once decided)",
				params: []any{pref("CustomerID"), pref("VerificationID"), pref("IdempotencyKey")}, body: "ReviewInput", status: 200, result: "IdentityVerification", etag: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodPost, "/api/v1/customers/:id/credit-check", RoleAgent, handleCreditCheck(svc), // the bureau answers while the caller waits
			operation{id: "checkCredit", summary: "Run a credit check at a bureau and store the score as the customer's credit_score (force needs the admin role)",
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "CreditCheckInput", status: 200, result: "CreditCheck",
				errors: []string{"400", "404", "409", "413", "415", "422", "503"}}},
		{http.MethodPost, "/api/v1/customers/:id/address-verify", RoleAgent, handleAddressVerify(svc, s.services.Customers),
			operation{id: "verifyAddress", summary: "Verify a stored or given address; apply: true writes the normalised address back, which changes the customer's ETag (If-Match: the customer's)",
				params: []any{pref("CustomerID"), pref("IfMatch"), pref("IdempotencyKey")}, body: "AddressVerifyInput", optional: true, status: 200, result: "AddressVerification",
				errors: []string{"400", "404", "409", "412", "413", "415", "422", "503"}}},
		{http.MethodGet, "/api/v1/customers/:id/verification-status", RoleViewer, handleVerificationStatus(svc), // history newest first
			operation{id: "getVerificationStatus", summary: "A customer's verification standing, the latest of each kind and the history, newest first",
				params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "VerificationStatus", errors: []string{"400", "404"}}},
	}
}

// handleVerifyIdentity serves POST /customers/{id}/verify-identity: the
// verification is queued for the workers and answered 202, pending, with
// Location and ETag.
func handleVerifyIdentity(svc *verify.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in verify.IdentityInput
		if err := decode(r, &in); err != nil {
			return err
		}
		v, err := svc.StartIdentity(r.Context(), pathParam(r, "id"), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", basePath+verificationPath(v.CustomerID, v.ID))
		setETag(w, v.Version)
		encode(w, r, http.StatusAccepted, v.IdentityView())
		return nil
	})
}

// handleVerificationGet serves GET /customers/{id}/verifications/{id}
// with its ETag; a verification of another customer is 404.
func handleVerificationGet(svc *verify.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		v, err := svc.Get(r.Context(), pathParam(r, "id"), pathParam(r, "verification_id"))
		if err != nil {
			return err
		}
		setETag(w, v.Version)
		encode(w, r, http.StatusOK, v.View())
		return nil
	})
}

// handleVerificationReview serves POST …/verifications/{id}/review: 200
// with the decided identity verification.
func handleVerificationReview(svc *verify.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in verify.ReviewInput
		if err := decode(r, &in); err != nil {
			return err
		}
		v, err := svc.Review(r.Context(), pathParam(r, "id"), pathParam(r, "verification_id"), in)
		if err != nil {
			return err
		}
		setETag(w, v.Version)
		encode(w, r, http.StatusOK, v.IdentityView())
		return nil
	})
}

// handleCreditCheck serves POST /customers/{id}/credit-check: 200 with
// the completed check. Only an admin may send force=true. A check the
// bureau failed is kept, and answered with its error.
func handleCreditCheck(svc *verify.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in verify.CreditInput
		if err := decode(r, &in); err != nil {
			return err
		}
		if c, _ := callerFrom(r.Context()); in.Force && !c.role.Includes(RoleAdmin) {
			return crm.Errorf(crm.CodeForbidden, "force needs the admin role")
		}
		v, err := svc.CheckCredit(r.Context(), pathParam(r, "id"), in)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, v.CreditView())
		return nil
	})
}

// handleAddressVerify serves POST /customers/{id}/address-verify (body
// optional: the billing address): 200 with the address verification.
// If-Match names the customer's version, which apply: true requires (the
// service checks it in its transaction).
func handleAddressVerify(svc *verify.Service, customers *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in verify.AddressInput
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		version, err := ifMatchVersion(r, customers, id)
		if err != nil {
			return err
		}
		v, _, err := svc.CheckAddress(r.Context(), id, in, version)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, v.AddressView())
		return nil
	})
}

// handleVerificationStatus serves GET /customers/{id}/verification-status:
// the overall standing, the latest of each kind, and the history newest
// first, paged with limit and cursor.
func handleVerificationStatus(svc *verify.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "limit", "cursor")
		limit, cursor := q.limit(), q.cursor()
		if err := q.err(); err != nil {
			return err
		}
		rep, err := svc.Status(r.Context(), pathParam(r, "id"), cursor, limit)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, rep)
		return nil
	})
}

// verificationPath is the URL path of a verification.
func verificationPath(customerID, verificationID string) string {
	return customerPath(customerID) + "/verifications/" + verificationID
}
