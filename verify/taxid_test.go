package verify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/ispstack/crm/verify"
	"github.com/ispstack/crm/verify/address"
)

// knownTaxID is the tax id the leak tests look for.
const knownTaxID = "123451450"

// TestNoTaxIDInResults sends a known tax id through every sandbox outcome
// and checks that no result or error, as JSON or as text, holds it.
func TestNoTaxIDInResults(t *testing.T) {
	ctx := context.Background()
	var outputs []any
	for _, end := range []string{"1450", verify.SandboxThinFile, verify.SandboxTimeout, verify.SandboxReject} {
		tax := verify.TaxID(knownTaxID[:5] + end)
		report, err := verify.SandboxBureau{}.Check(ctx, creditRequest(tax))
		outputs = append(outputs, report, errText(err))
		ireq := identityRequest("Ada Review")
		ireq.TaxID = tax
		result, err := verify.SandboxIdentity{}.Verify(ctx, ireq)
		outputs = append(outputs, result, errText(err))
	}
	addr, _ := verify.OfflineAddress{}.Verify(ctx, address.Address{Street: "1 Main St", City: "Beverly Hills", State: "CA", PostalCode: "90210", Country: "US"})
	outputs = append(outputs, addr)
	for i, o := range outputs {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, tax := range []string{knownTaxID, knownTaxID[:5] + verify.SandboxThinFile, knownTaxID[:5] + verify.SandboxTimeout, knownTaxID[:5] + verify.SandboxReject} {
			if bytes.Contains(b, []byte(tax)) {
				t.Errorf("output %d holds a tax id: %s", i, b)
			}
		}
	}
	// No result type has a field that could hold one.
	for _, v := range []any{verify.IdentityResult{}, verify.CreditReport{}, address.Result{}, verify.ProviderError{}} {
		if path, ok := findField(reflect.TypeOf(v), reflect.TypeFor[verify.TaxID](), ""); ok {
			t.Errorf("%T has a TaxID at %s", v, path)
		}
	}
}

// errText is err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// findField looks for a field of type want anywhere in t.
func findField(t, want reflect.Type, path string) (string, bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return findField(t.Elem(), want, path+"[]")
	case reflect.Struct:
		for f := range t.Fields() {
			if f.Type == want {
				return path + "." + f.Name, true
			}
			if p, ok := findField(f.Type, want, path+"."+f.Name); ok {
				return p, true
			}
		}
	}
	return "", false
}

// TestTaxIDMasked: a request that reaches a log, a job table or a
// formatted error shows at most the last four digits.
func TestTaxIDMasked(t *testing.T) {
	creq := creditRequest(knownTaxID)
	ireq := identityRequest("Ada")
	ireq.TaxID = knownTaxID
	var log bytes.Buffer
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{ReplaceAttr: noTime}))
	logger.Info("check", "request", creq, "tax_id", creq.TaxID)
	logger.Info("verify", "request", ireq)
	cj, _ := json.Marshal(creq)
	ij, _ := json.Marshal(ireq)
	tj, _ := json.Marshal(map[string]verify.TaxID{"tax_id": creq.TaxID})
	outputs := []string{
		log.String(), string(cj), string(ij), string(tj),
		fmt.Sprint(creq), fmt.Sprintf("%+v", creq), fmt.Sprintf("%#v", creq), fmt.Sprintf("%#v", ireq),
		fmt.Sprintf("%s %q %x %d", creq.TaxID, creq.TaxID, creq.TaxID, creq.TaxID),
	}
	for _, o := range outputs {
		if strings.Contains(o, knownTaxID) || strings.Contains(o, knownTaxID[:5]) {
			t.Errorf("tax id shown: %s", o)
		}
	}
	if !strings.Contains(fmt.Sprint(creq.TaxID), "1450") || creq.TaxID.Last4() != "1450" || string(creq.TaxID) != knownTaxID {
		t.Errorf("masked %s, last4 %s", creq.TaxID, creq.TaxID.Last4())
	}
}
