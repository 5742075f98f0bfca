package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// identityResp is an identity verification as the API writes it.
type identityResp struct {
	Type                string              `json:"type"`
	VerificationID      string              `json:"verification_id"`
	Status              string              `json:"status"`
	VerificationMethod  string              `json:"verification_method"`
	VerificationLevel   string              `json:"verification_level"`
	ThirdPartyService   string              `json:"third_party_service"`
	Documents           []map[string]string `json:"documents"`
	RequiredActions     []string            `json:"required_actions"`
	EstimatedCompletion string              `json:"estimated_completion"`
	Result              *struct {
		Decision          string `json:"decision"`
		Reasons           []struct{ Code string }
		ProviderReference string  `json:"provider_reference"`
		ReviewedBy        string  `json:"reviewed_by"`
		Notes             string  `json:"notes"`
		ExpiresAt         *string `json:"expires_at"`
	} `json:"result"`
}

// creditResp is a credit check as the API writes it.
type creditResp struct {
	Type               string   `json:"type"`
	CheckID            string   `json:"check_id"`
	Status             string   `json:"status"`
	CheckType          string   `json:"check_type"`
	Forced             bool     `json:"forced"`
	Score              *int     `json:"score"`
	RiskTier           *string  `json:"risk_tier"`
	RecommendedDeposit *float64 `json:"recommended_deposit"`
	CreditLimit        *float64 `json:"credit_limit"`
	Factors            []struct{ Code string }
	CheckedAt          *string `json:"checked_at"`
}

// addressResp is an address verification as the API writes it.
type addressResp struct {
	Type           string            `json:"type"`
	VerificationID string            `json:"verification_id"`
	AddressType    string            `json:"address_type"`
	Valid          bool              `json:"valid"`
	Normalized     map[string]string `json:"normalized"`
	Coordinates    *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Precision string  `json:"precision"`
	} `json:"coordinates"`
	Confidence float64 `json:"confidence"`
	Messages   []struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"messages"`
	Applied bool `json:"applied"`
}

// statusResp is a verification status as the API writes it.
type statusResp struct {
	CustomerID string        `json:"customer_id"`
	Overall    string        `json:"overall"`
	Identity   *identityResp `json:"identity"`
	Credit     *creditResp   `json:"credit"`
	Address    struct {
		Billing *addressResp `json:"billing"`
		Service *addressResp `json:"service"`
	} `json:"address"`
	History []struct {
		Type           string `json:"type"`
		VerificationID string `json:"verification_id"`
		CheckID        string `json:"check_id"`
	} `json:"history"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}

// verifyCustomer creates the n-th customer of a verification test (each
// with its own email and phone) with the overrides applied.
func (e *env) verifyCustomer(n int, overrides map[string]any) created {
	e.t.Helper()
	body := map[string]any{"email": fmt.Sprintf("verify%d@example.com", n), "phone": fmt.Sprintf("+1 212 555 %04d", 300+n)}
	for k, v := range overrides {
		body[k] = v
	}
	return e.createCustomer(body)
}

// processDue runs one round of the verification workers and checks how
// many verifications it claimed.
func (e *env) processDue(want int) {
	e.t.Helper()
	n, err := e.verify.ProcessDue(e.t.Context())
	if err != nil || n != want {
		e.t.Fatalf("ProcessDue = %d, %v; want %d claimed", n, err, want)
	}
}

// TestVerifyIdentity covers identity verification over HTTP on both
// stores: queued (202 with Location), decided by the workers, sent to
// review and decided by an admin, with the 4xx paths.
func TestVerifyIdentity(t *testing.T) { runOnStores(t, testVerifyIdentity) }

func testVerifyIdentity(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	thirdParty := `{"verification_method":"third_party_service","third_party_service":"experian"}`

	t.Run("approved by the service", func(t *testing.T) {
		c := e.verifyCustomer(1, nil)
		cp := "/api/v1/customers/" + c.ID
		r := e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: thirdParty, header: map[string]string{"Idempotency-Key": "k-verify-1"}}).want(t, 202)
		matchSchema(t, doc, "IdentityVerification", r.body)
		var v identityResp
		r.decode(t, &v)
		if got := r.header.Get("Location"); got != cp+"/verifications/"+v.VerificationID {
			t.Errorf("Location = %q", got)
		}
		if r.header.Get("ETag") != `"1"` {
			t.Errorf("ETag = %q", r.header.Get("ETag"))
		}
		if v.Type != "identity" || v.Status != "pending" || v.VerificationLevel != "basic" || v.ThirdPartyService != "experian" ||
			len(v.RequiredActions) != 0 || v.Result != nil || v.EstimatedCompletion == "" {
			t.Errorf("queued: %s", r.body)
		}
		again := e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: thirdParty, header: map[string]string{"Idempotency-Key": "k-verify-1"}}).want(t, 202)
		if again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(r.body) {
			t.Errorf("retry with the key: replayed %q, %s", again.header.Get("Idempotent-Replayed"), again.body)
		}
		var st statusResp
		e.do(req{method: "GET", path: cp + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
		if st.Overall != "pending" {
			t.Errorf("overall while queued = %q", st.Overall)
		}

		e.processDue(1)
		e.processDue(0)
		g := e.do(req{method: "GET", path: r.header.Get("Location"), key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "Verification", g.body)
		var done identityResp
		g.decode(t, &done)
		if done.Status != "completed" || done.Result == nil || done.Result.Decision != "approved" || done.Result.ProviderReference == "" ||
			done.Result.ExpiresAt == nil || len(done.RequiredActions) != 0 {
			t.Fatalf("after the workers: %s", g.body)
		}
		if g.header.Get("ETag") == "" || g.header.Get("ETag") == `"1"` {
			t.Errorf("ETag after the workers = %q", g.header.Get("ETag"))
		}
		s := e.do(req{method: "GET", path: cp + "/verification-status", key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "VerificationStatus", s.body)
		s.decode(t, &st)
		if st.CustomerID != c.ID || st.Overall != "verified" || st.Identity == nil || st.Identity.VerificationID != v.VerificationID ||
			st.Credit != nil || st.Address.Billing != nil || len(st.History) != 1 || st.HasMore || st.NextCursor != nil {
			t.Errorf("status: %s", s.body)
		}
		// A finished verification leaves room for the next one.
		e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: `{"verification_method":"manual_review"}`}).want(t, 202)
		e.processDue(1)
		e.do(req{method: "GET", path: "/api/v1/customers/" + e.verifyCustomer(2, nil).ID + "/verifications/" + v.VerificationID, key: viewerKey}).want(t, 404)
	})

	t.Run("manual review", func(t *testing.T) {
		c := e.verifyCustomer(3, map[string]any{"name": "Ada Review"})
		cp := "/api/v1/customers/" + c.ID
		var v identityResp
		e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: thirdParty}).want(t, 202).decode(t, &v)
		vp := cp + "/verifications/" + v.VerificationID
		p := e.do(req{method: "POST", path: vp + "/review", key: adminKey, body: `{"decision":"approve"}`}).want(t, 409).problem(t)
		if !strings.Contains(p.Detail, "not waiting for a review") {
			t.Errorf("review before the provider answered: %q", p.Detail)
		}
		e.processDue(1)
		var pending identityResp
		e.do(req{method: "GET", path: vp, key: viewerKey}).want(t, 200).decode(t, &pending)
		if pending.Status != "pending" || !slices.Equal(pending.RequiredActions, []string{"manual_review"}) || pending.Result != nil {
			t.Fatalf("referred: %+v", pending)
		}
		var st statusResp
		e.do(req{method: "GET", path: cp + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
		if st.Overall != "pending" {
			t.Errorf("overall in review = %q", st.Overall)
		}
		p = e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: thirdParty}).want(t, 409).problem(t)
		if !strings.Contains(p.Detail, v.VerificationID) {
			t.Errorf("second verification: %q does not name the open one", p.Detail)
		}

		review := `{"decision":"approve","notes":"Passport checked at the counter."}`
		e.do(req{method: "POST", path: vp + "/review", key: agentKey, body: review}).want(t, 403)
		e.do(req{method: "POST", path: vp + "/review", key: adminKey, body: `{"decision":"maybe"}`}).want(t, 400)
		r := e.do(req{method: "POST", path: vp + "/review", key: adminKey, body: review}).want(t, 200)
		matchSchema(t, doc, "IdentityVerification", r.body)
		var done identityResp
		r.decode(t, &done)
		if done.Status != "completed" || done.Result == nil || done.Result.Decision != "approved" || done.Result.ReviewedBy == "" ||
			done.Result.Notes != "Passport checked at the counter." || len(done.RequiredActions) != 0 {
			t.Errorf("reviewed: %s", r.body)
		}
		if r.header.Get("ETag") == "" {
			t.Error("no ETag on the review")
		}
		e.do(req{method: "POST", path: vp + "/review", key: adminKey, body: `{"decision":"reject"}`}).want(t, 409)
		e.do(req{method: "GET", path: cp + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
		if st.Overall != "verified" {
			t.Errorf("overall after the review = %q", st.Overall)
		}
	})

	t.Run("documents", func(t *testing.T) {
		c := e.verifyCustomer(4, nil)
		other := e.verifyCustomer(5, nil)
		cp := "/api/v1/customers/" + c.ID
		own := e.upload(c.ID, uploadForm{name: "Passport", docType: "id_verification"}).ID
		theirs := e.upload(other.ID, uploadForm{name: "Passport", docType: "id_verification"}).ID
		body := func(id string) string {
			return `{"verification_method":"document_upload","documents":[{"document_type":"passport","document_id":"` + id + `"}]}`
		}
		e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: body(theirs)}).want(t, 404).problem(t)
		var v identityResp
		e.do(req{method: "POST", path: cp + "/verify-identity", key: agentKey, body: body(own)}).want(t, 202).decode(t, &v)
		if diff := cmp.Diff([]map[string]string{{"document_type": "passport", "document_id": own}}, v.Documents); diff != "" {
			t.Errorf("documents (-want +got):\n%s", diff)
		}
		if !slices.Equal(v.RequiredActions, []string{"manual_review"}) {
			t.Errorf("required_actions = %v", v.RequiredActions)
		}
		e.processDue(1)
		var got identityResp
		e.do(req{method: "GET", path: cp + "/verifications/" + v.VerificationID, key: viewerKey}).want(t, 200).decode(t, &got)
		if got.Status != "pending" || !slices.Equal(got.RequiredActions, []string{"manual_review"}) {
			t.Errorf("document upload after the workers: %+v", got)
		}
		var rejected identityResp
		e.do(req{method: "POST", path: cp + "/verifications/" + v.VerificationID + "/review", key: adminKey, body: `{"decision":"reject"}`}).
			want(t, 200).decode(t, &rejected)
		if rejected.Result == nil || rejected.Result.Decision != "rejected" || rejected.Result.ExpiresAt != nil {
			t.Errorf("rejected: %+v", rejected.Result)
		}
		var st statusResp
		e.do(req{method: "GET", path: cp + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
		if st.Overall != "failed" {
			t.Errorf("overall after a rejection = %q", st.Overall)
		}
	})

	t.Run("refused requests", func(t *testing.T) {
		c := e.verifyCustomer(6, nil)
		path := "/api/v1/customers/" + c.ID + "/verify-identity"
		tests := []struct {
			body   string
			fields []string
		}{
			{`{}`, []string{"verification_method"}},
			{`{"verification_method":"selfie"}`, []string{"verification_method"}},
			{`{"verification_method":"third_party_service"}`, []string{"third_party_service"}},
			{`{"verification_method":"manual_review","third_party_service":"experian","verification_level":"extreme"}`, []string{"verification_level", "third_party_service"}},
			{`{"verification_method":"document_upload"}`, []string{"documents"}},
			{`{"verification_method":"manual_review","status":"completed"}`, []string{"status"}},
			{`{"verification_method":"manual_review","documents":[{"document_type":"passport","document_id":"x","scan":1}]}`, []string{"documents[0].scan"}},
			{`{"verification_method":"manual_review"`, nil},
			{`{"verification_method":3}`, []string{"verification_method"}},
		}
		for _, tt := range tests {
			p := e.do(req{method: "POST", path: path, key: agentKey, body: tt.body}).want(t, 400).problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tt.body, diff)
			}
		}
		e.do(req{method: "POST", path: path, key: viewerKey, body: thirdParty}).want(t, 403)
		e.do(req{method: "POST", path: path, key: agentKey, body: thirdParty, header: map[string]string{"Content-Type": "text/plain"}}).want(t, 415)
		e.do(req{method: "POST", path: "/api/v1/customers/0195f0a0-0000-7000-8000-000000000009/verify-identity", key: agentKey, body: thirdParty}).want(t, 404)
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/verifications/nope", key: viewerKey}).want(t, 404)
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/verification-status?limit=0&sort=id", key: viewerKey}).want(t, 400)
		e.processDue(0) // nothing was queued
	})
}

// TestCreditCheck covers credit checks over HTTP on both stores: the
// sandbox's outcomes (a score, a thin file, a frozen file, a bureau that
// times out), the score stored on the customer, the hard check interval
// and force, and the 4xx paths.
func TestCreditCheck(t *testing.T) { runOnStores(t, testCreditCheck) }

func testCreditCheck(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	check := func(customerID, key, body string, status int) resp {
		t.Helper()
		return e.do(req{method: "POST", path: "/api/v1/customers/" + customerID + "/credit-check", key: key, body: body}).want(t, status)
	}
	soft := `{"bureau":"experian","consent":true,"purpose":"account_opening"}`

	t.Run("refused requests", func(t *testing.T) {
		none := e.verifyCustomer(10, nil)
		p := check(none.ID, agentKey, soft, 422).problem(t)
		if diff := cmp.Diff([]string{"tax_id"}, p.fields()); diff != "" {
			t.Errorf("no tax id: fields (-want +got):\n%s", diff)
		}
		c := e.verifyCustomer(11, map[string]any{"tax_id": "123-45-1450"})
		for body, fields := range map[string][]string{
			`{"bureau":"experian","consent":false}`:                 {"consent"},
			`{"bureau":"experian"}`:                                 {"consent"},
			`{"bureau":"acme","consent":true}`:                      {"bureau"},
			`{"consent":true,"check_type":"deep","purpose":"fun"}`:  {"bureau", "check_type", "purpose"},
			`{"bureau":"experian","consent":true,"score":800}`:      {"score"},
			`{"bureau":"experian","consent":true,"consent":true}`:   {"consent"},
			`{"bureau":"experian","consent":"yes"}`:                 {"consent"},
			`{"bureau":"experian","consent":true,"check_type":"x"}`: {"check_type"},
		} {
			p := check(c.ID, agentKey, body, 400).problem(t)
			if diff := cmp.Diff(fields, slices.Sorted(slices.Values(p.fields()))); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", body, diff)
			}
		}
		check(c.ID, agentKey, `{"bureau":"experian","consent":true,"force":true}`, 403) // the role is checked first
		p = check(c.ID, adminKey, `{"bureau":"experian","consent":true,"force":true}`, 400).problem(t)
		if diff := cmp.Diff([]string{"force"}, p.fields()); diff != "" {
			t.Errorf("force on a soft check: fields (-want +got):\n%s", diff)
		}
		check(c.ID, viewerKey, soft, 403)
		check("0195f0a0-0000-7000-8000-000000000009", agentKey, soft, 404)
	})

	t.Run("scored", func(t *testing.T) {
		c := e.verifyCustomer(12, map[string]any{"tax_id": "123-45-1450", "credit_score": 600})
		r := check(c.ID, agentKey, soft, 200)
		matchSchema(t, doc, "CreditCheck", r.body)
		var got creditResp
		r.decode(t, &got)
		if got.Type != "credit" || got.Status != "completed" || got.CheckType != "soft" || got.Score == nil || *got.Score != 750 ||
			got.RiskTier == nil || *got.RiskTier != "excellent" || got.RecommendedDeposit == nil || *got.RecommendedDeposit != 0 ||
			got.CreditLimit == nil || *got.CreditLimit != 1000 || len(got.Factors) == 0 || got.CheckedAt == nil {
			t.Errorf("check: %s", r.body)
		}
		if strings.Contains(string(r.body), "1450") {
			t.Errorf("the check shows the tax id: %s", r.body)
		}
		var cust struct {
			CreditScore *int `json:"credit_score"`
		}
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID, key: viewerKey}).want(t, 200).decode(t, &cust)
		if cust.CreditScore == nil || *cust.CreditScore != 750 {
			t.Errorf("customer credit_score = %v, want 750", cust.CreditScore)
		}
		g := e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/verifications/" + got.CheckID, key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "Verification", g.body)
		if string(g.body) != string(r.body) {
			t.Errorf("GET of the check:\n%s\nwant\n%s", g.body, r.body)
		}
		var st statusResp
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
		if st.Overall != "unverified" || st.Credit == nil || st.Credit.CheckID != got.CheckID || len(st.History) != 1 || st.History[0].CheckID != got.CheckID {
			t.Errorf("status: %+v", st)
		}
	})

	t.Run("thin file", func(t *testing.T) {
		c := e.verifyCustomer(13, map[string]any{"customer_type": "small_business", "company": "Lovelace Engines", "tax_id": "12-3450000"})
		r := check(c.ID, agentKey, soft, 200)
		matchSchema(t, doc, "CreditCheck", r.body)
		var got creditResp
		r.decode(t, &got)
		if got.Score != nil || got.RiskTier == nil || *got.RiskTier != "no_score" {
			t.Errorf("thin file: %s", r.body)
		}
	})

	t.Run("bureau failures", func(t *testing.T) {
		frozen := e.verifyCustomer(14, map[string]any{"tax_id": "123-45-9999", "credit_score": 640})
		p := check(frozen.ID, agentKey, soft, 422).problem(t)
		if !strings.Contains(p.Detail, "file_frozen") {
			t.Errorf("frozen file: %q", p.Detail)
		}
		down := e.verifyCustomer(15, map[string]any{"tax_id": "123-45-6666", "credit_score": 640})
		r := check(down.ID, agentKey, `{"bureau":"equifax","consent":true}`, 503)
		p = r.problem(t)
		if r.header.Get("Retry-After") == "" || !strings.Contains(p.Detail, "provider_timeout") {
			t.Errorf("bureau timeout: Retry-After %q, %q", r.header.Get("Retry-After"), p.Detail)
		}
		for _, c := range []created{frozen, down} {
			var cust struct {
				CreditScore *int `json:"credit_score"`
			}
			e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID, key: viewerKey}).want(t, 200).decode(t, &cust)
			if cust.CreditScore == nil || *cust.CreditScore != 640 {
				t.Errorf("a failed check changed credit_score to %v", cust.CreditScore)
			}
			var st statusResp
			e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/verification-status", key: viewerKey}).want(t, 200).decode(t, &st)
			if st.Credit == nil || st.Credit.Status != "failed" || st.Credit.Score != nil {
				t.Errorf("the failed check is not kept: %+v", st.Credit)
			}
		}
	})

	t.Run("hard checks", func(t *testing.T) {
		c := e.verifyCustomer(16, map[string]any{"tax_id": "123-45-1400"})
		hard := `{"bureau":"transunion","consent":true,"check_type":"hard"}`
		var first creditResp
		check(c.ID, agentKey, hard, 200).decode(t, &first)
		if first.CheckType != "hard" || first.Forced || first.Score == nil || *first.Score != 700 {
			t.Errorf("hard check: %+v", first)
		}
		p := check(c.ID, agentKey, hard, 409).problem(t)
		if !strings.Contains(p.Detail, "force") {
			t.Errorf("second hard check: %q", p.Detail)
		}
		check(c.ID, agentKey, soft, 200) // soft checks are not limited
		forced := `{"bureau":"transunion","consent":true,"check_type":"hard","force":true}`
		check(c.ID, agentKey, forced, 403)
		var second creditResp
		check(c.ID, adminKey, forced, 200).decode(t, &second)
		if !second.Forced || second.CheckID == first.CheckID {
			t.Errorf("forced: %+v", second)
		}
	})
}

// TestAddressVerify covers address verification over HTTP on both
// stores: a stored address, addresses given in the request (a city its
// ZIP does not serve, a non-US one), apply with If-Match, and the history
// of the verification status, paged.
func TestAddressVerify(t *testing.T) { runOnStores(t, testAddressVerify) }

func testAddressVerify(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	billing := map[string]any{"street": "123 north main street apt 4b", "city": "White Water", "state": "WI", "postal_code": "53190", "country": "US"}
	c := e.verifyCustomer(20, map[string]any{"billing_address": billing})
	cp := "/api/v1/customers/" + c.ID
	verifyAddress := func(body any, key string, header map[string]string, status int) resp {
		t.Helper()
		return e.do(req{method: "POST", path: cp + "/address-verify", key: key, body: body, header: header}).want(t, status)
	}

	var ids []string // the verifications made, oldest first
	t.Run("stored billing address", func(t *testing.T) {
		r := verifyAddress(nil, agentKey, nil, 200) // no body: the billing address
		matchSchema(t, doc, "AddressVerification", r.body)
		var got addressResp
		r.decode(t, &got)
		ids = append(ids, got.VerificationID)
		want := map[string]string{"street": "123 N MAIN ST", "unit": "APT 4B", "city": "WHITEWATER", "state": "WI", "postal_code": "53190", "country": "US"}
		if diff := cmp.Diff(want, got.Normalized); diff != "" {
			t.Errorf("normalized (-want +got):\n%s", diff)
		}
		if got.Type != "address" || !got.Valid || got.AddressType != "billing" || got.Applied || got.Coordinates == nil ||
			got.Coordinates.Precision != "postal_code" || got.Coordinates.Latitude < 42 || got.Coordinates.Latitude > 43 || got.Confidence != 0.9 {
			t.Errorf("verification: %s", r.body)
		}
		got = addressResp{}
		verifyAddress(`{"address_type":"billing"}`, agentKey, nil, 200).decode(t, &got)
		ids = append(ids, got.VerificationID)
	})

	t.Run("given addresses", func(t *testing.T) {
		var got addressResp
		verifyAddress(`{"address":{"street":"1 Main St","city":"Madison","state":"WI","postal_code":"53190","country":"US"}}`, agentKey, nil, 200).decode(t, &got)
		ids = append(ids, got.VerificationID)
		if got.Valid || got.Confidence != 0 || got.AddressType != "" || len(got.Messages) != 1 || got.Messages[0].Code != "city_mismatch" ||
			got.Messages[0].Field != "city" || !strings.Contains(got.Messages[0].Message, "WHITEWATER") {
			t.Errorf("city not matching its ZIP: %+v", got)
		}
		r := verifyAddress(`{"address":{"street":"10 Downing Street","city":"London","postal_code":"sw1a1aa","country":"GB"}}`, agentKey, nil, 200)
		matchSchema(t, doc, "AddressVerification", r.body)
		got = addressResp{}
		r.decode(t, &got)
		ids = append(ids, got.VerificationID)
		if !got.Valid || got.Confidence != 0.5 || got.Normalized["postal_code"] != "SW1A 1AA" || len(got.Messages) != 1 || got.Messages[0].Code != "format_only" {
			t.Errorf("GB address: %s", r.body)
		}
	})

	t.Run("refused requests", func(t *testing.T) {
		for body, fields := range map[string][]string{
			`{"address_type":"shipping"}`:       {"address_type"},
			`{"address":{"zip":"53190"}}`:       {"address.zip"},
			`{"apply":"yes"}`:                   {"apply"},
			`{"address_type":"billing","x":1}`:  {"x"},
			`{"address":{"street":1}}`:          {"address.street"},
			`{"address_type":"billing"}{"x":1}`: nil,
		} {
			p := verifyAddress(body, agentKey, nil, 400).problem(t)
			if diff := cmp.Diff(fields, p.fields()); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", body, diff)
			}
		}
		p := verifyAddress(`{"address_type":"service"}`, agentKey, nil, 422).problem(t)
		if diff := cmp.Diff([]string{"address_type"}, p.fields()); diff != "" {
			t.Errorf("no service address: fields (-want +got):\n%s", diff)
		}
		verifyAddress(`{}`, viewerKey, nil, 403)
	})

	t.Run("apply", func(t *testing.T) {
		r := e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200)
		etag := r.header.Get("ETag")
		stale := map[string]string{"If-Match": `"99"`}
		verifyAddress(`{"apply":true}`, agentKey, stale, 412).problem(t)
		after := e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200)
		if after.header.Get("ETag") != etag || string(after.body) != string(r.body) {
			t.Errorf("a stale If-Match changed the customer:\n%s\nwas\n%s", after.body, r.body)
		}

		var got addressResp
		verifyAddress(`{"apply":true}`, agentKey, map[string]string{"If-Match": etag}, 200).decode(t, &got)
		ids = append(ids, got.VerificationID)
		if !got.Applied || !got.Valid {
			t.Errorf("apply: %+v", got)
		}
		after = e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200)
		if after.header.Get("ETag") == etag {
			t.Error("the customer's ETag did not change")
		}
		var cust struct {
			BillingAddress struct {
				Street      string `json:"street"`
				Unit        string `json:"unit"`
				City        string `json:"city"`
				Coordinates *struct {
					Latitude float64 `json:"latitude"`
				} `json:"coordinates"`
			} `json:"billing_address"`
		}
		after.decode(t, &cust)
		if b := cust.BillingAddress; b.Street != "123 N MAIN ST" || b.Unit != "APT 4B" || b.City != "WHITEWATER" || b.Coordinates == nil {
			t.Errorf("billing address after apply: %+v", b)
		}
		// An invalid address is recorded, not applied.
		var invalid addressResp
		verifyAddress(`{"apply":true,"address":{"street":"1 Main St","city":"Madison","state":"WI","postal_code":"00000","country":"US"}}`, agentKey, nil, 200).decode(t, &invalid)
		ids = append(ids, invalid.VerificationID)
		if invalid.Valid || invalid.Applied || invalid.Messages[0].Code != "unknown_postal_code" {
			t.Errorf("invalid address with apply: %+v", invalid)
		}
		if e.do(req{method: "GET", path: cp, key: viewerKey}).want(t, 200).header.Get("ETag") != after.header.Get("ETag") {
			t.Error("an invalid address changed the customer")
		}
	})

	t.Run("status history", func(t *testing.T) {
		var st statusResp
		r := e.do(req{method: "GET", path: cp + "/verification-status?limit=2", key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "VerificationStatus", r.body)
		r.decode(t, &st)
		if st.Overall != "unverified" || st.Identity != nil || st.Address.Billing == nil || st.Address.Billing.VerificationID != ids[4] ||
			!st.Address.Billing.Applied || st.Address.Service != nil {
			t.Errorf("status: %s", r.body)
		}
		var history []string
		for page := 0; ; page++ {
			if len(st.History) > 2 {
				t.Fatalf("page %d has %d entries, want at most 2", page, len(st.History))
			}
			for _, h := range st.History {
				history = append(history, h.VerificationID)
			}
			if !st.HasMore {
				if st.NextCursor != nil {
					t.Errorf("last page has next_cursor %q", *st.NextCursor)
				}
				break
			}
			if st.NextCursor == nil || page > 5 {
				t.Fatalf("page %d: has_more without next_cursor", page)
			}
			cursor := *st.NextCursor
			st = statusResp{}
			e.do(req{method: "GET", path: cp + "/verification-status?limit=2&cursor=" + url.QueryEscape(cursor), key: viewerKey}).want(t, 200).decode(t, &st)
		}
		want := slices.Clone(ids)
		slices.Reverse(want)
		if diff := cmp.Diff(want, history); diff != "" {
			t.Errorf("history, newest first (-want +got):\n%s", diff)
		}
		e.do(req{method: "GET", path: cp + "/verification-status?cursor=bogus", key: viewerKey}).want(t, 400)
		e.do(req{method: "GET", path: cp + "/verification-status", key: ""}).want(t, 401)
	})

	// The OpenAPI document accepts the bodies the tests send.
	for schema, body := range map[string]string{
		"IdentityInput":      `{"verification_method":"document_upload","verification_level":"enhanced","documents":[{"document_type":"passport","document_id":"0195f0a0-0000-7000-8000-000000000004"}]}`,
		"ReviewInput":        `{"decision":"approve","notes":"ok"}`,
		"CreditCheckInput":   `{"bureau":"experian","consent":true,"check_type":"hard","purpose":"collections","force":true}`,
		"AddressVerifyInput": `{"address_type":"service","apply":true,"address":{"street":"1 Main St","city":"Madison","state":"WI","postal_code":"53703","country":"US"}}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s does not match %s: %v", body, schema, err)
		}
	}
}
