package verify_test

import (
	"strings"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
	"github.com/ispstack/crm/verify/address"
)

// TestCheckAddress covers the address cases on real ZIP data: a real
// ZIP/city pair, a ZIP that does not exist, a city the ZIP does not
// serve, a spelling variant, and a non-US address.
func TestCheckAddress(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		us := func(city, zip string) *address.Address {
			return &address.Address{Street: "100 Main Street", City: city, State: "WI", PostalCode: zip, Country: "US"}
		}
		tests := []struct {
			name       string
			in         *address.Address
			valid      bool
			code       string // a message code that must be present ("" for none)
			mention    string // text the messages must contain
			confidence float64
		}{
			{"real pair", us("Whitewater", "53190"), true, "", "", 0.9},
			{"no such zip", us("Whitewater", "53199"), false, address.CodeUnknownPostalCode, "", 0},
			{"city mismatch", us("Madison", "53190"), false, address.CodeCityMismatch, "WHITEWATER", 0},
			{"spelling variant", us("White Water", "53190"), true, "", "", 0.9},
			{"non-US", &address.Address{Street: "10 Downing Street", City: "London", PostalCode: "SW1A 2AA", Country: "GB"},
				true, address.CodeFormatOnly, "", 0.5},
			{"bad non-US format", &address.Address{Street: "1 Rue de Rivoli", City: "Paris", PostalCode: "7500", Country: "FR"},
				false, address.CodeInvalidFormat, "", 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				v, _, err := f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{Address: tc.in}, 0)
				if err != nil {
					t.Fatal(err)
				}
				view := v.AddressView()
				if view.Valid != tc.valid || view.Confidence != tc.confidence || v.Status != verify.StatusCompleted {
					t.Fatalf("valid %v confidence %v, want %v %v; messages %+v", view.Valid, view.Confidence, tc.valid, tc.confidence, view.Messages)
				}
				var codes, texts []string
				for _, m := range view.Messages {
					codes, texts = append(codes, m.Code), append(texts, m.Message)
				}
				if tc.code != "" && !strings.Contains(strings.Join(codes, " "), tc.code) {
					t.Errorf("messages %v lack %s", codes, tc.code)
				}
				if tc.mention != "" && !strings.Contains(strings.ToUpper(strings.Join(texts, " ")), tc.mention) {
					t.Errorf("messages %q do not name %s", texts, tc.mention)
				}
				if tc.valid && tc.in.Country == "US" && (view.Coordinates == nil || view.Coordinates.Precision != address.PrecisionPostalCode ||
					view.Normalized.City != "WHITEWATER" || view.Normalized.Street != "100 MAIN ST") {
					t.Errorf("normalized %+v coordinates %+v", view.Normalized, view.Coordinates)
				}
			})
		}
	})
}

// TestCheckAddressApply: a valid stored address is written back
// normalised with its coordinates, honouring the customer's version;
// a stale version writes nothing at all.
func TestCheckAddressApply(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		c := f.newCustomer(t, "Ada Lovelace", "", "")

		_, _, err := f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{Apply: true}, c.Version+1)
		wantCode(t, err, crm.CodePreconditionFailed)
		if rep, _ := f.svc.Status(ctx(t), c.ID, "", 0); len(rep.History) != 0 {
			t.Fatalf("a refused apply left %d verifications", len(rep.History))
		}
		_, _, err = f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{AddressType: verify.AddressService}, 0)
		wantCode(t, err, crm.CodeUnprocessable, "address_type")
		_, _, err = f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{AddressType: "home"}, 0)
		wantCode(t, err, crm.CodeInvalid, "address_type")

		v, got, err := f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{Apply: true}, c.Version)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Address.Applied || v.Subject != verify.AddressBilling {
			t.Fatalf("not applied: %+v", v.Address)
		}
		a := got.BillingAddress
		if a.Street != "212 N MAIN ST" || a.Unit != "APT 4" || a.City != "WHITEWATER" || a.State != "WI" ||
			a.Coordinates == nil || got.Version != c.Version+1 {
			t.Fatalf("applied address %+v (version %d)", a, got.Version)
		}
		rep, err := f.svc.Status(ctx(t), c.ID, "", 0)
		if err != nil || rep.Address.Billing == nil || rep.Address.Billing.VerificationID != v.ID || rep.Address.Service != nil {
			t.Fatalf("status address %+v (%v)", rep.Address, err)
		}

		// An invalid address is recorded, not applied.
		bad := &address.Address{Street: "1 Nowhere Rd", City: "Madison", State: "WI", PostalCode: "53190", Country: "US"}
		v, after, err := f.svc.CheckAddress(ctx(t), c.ID, verify.AddressInput{Address: bad, Apply: true}, got.Version)
		if err != nil || v.Address.Applied || after.Version != got.Version {
			t.Fatalf("invalid address applied: %+v version %d (%v)", v.Address, after.Version, err)
		}
	})
}
