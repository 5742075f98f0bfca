package customer

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// today is the Service's date the inputs are normalised on.
var today = crm.Date{Year: 2026, Month: time.March, Day: 1}

func validInput() Input {
	return Input{
		Name:  "Ada Lovelace",
		Email: "Ada@Example.COM",
		Phone: "(415) 555-2671",
		Type:  TypeResidential,
		BillingAddress: &Address{
			Street: "1 Market St", City: "San Francisco", State: "ca", PostalCode: "94105", Country: "us",
		},
	}
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range crm.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestNormalizeValid(t *testing.T) {
	got, err := normalize(validInput(), today)
	if err != nil {
		t.Fatalf("normalize: %v", err)
	}
	if got.Email != "Ada@example.com" {
		t.Errorf("Email = %q, want domain lower-cased, local part kept", got.Email)
	}
	if got.Phone != "+14155552671" {
		t.Errorf("Phone = %q, want E.164", got.Phone)
	}
	if got.BillingAddress.Country != "US" || got.BillingAddress.State != "CA" {
		t.Errorf("address = %+v, want upper-case country and state", got.BillingAddress)
	}
	if got.PreferredContact != ContactEmail || *got.CommunicationPreferences != DefaultCommunicationPreferences {
		t.Errorf("defaults not applied: %q %+v", got.PreferredContact, got.CommunicationPreferences)
	}
}

func TestNormalizeInvalid(t *testing.T) {
	score := func(v int) *int { return &v }
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		mutate func(*Input)
		fields []string
	}{
		{"empty name", func(in *Input) { in.Name = "  " }, []string{"name"}},
		{"long name", func(in *Input) { in.Name = strings.Repeat("a", 101) }, []string{"name"}},
		{"control chars", func(in *Input) { in.Name = "Ada\x00" }, []string{"name"}},
		{"bad email", func(in *Input) { in.Email = "not-an-email" }, []string{"email"}},
		{"email with display name", func(in *Input) { in.Email = "Ada <ada@example.com>" }, []string{"email"}},
		{"email without dot domain", func(in *Input) { in.Email = "ada@localhost" }, []string{"email"}},
		{"short phone", func(in *Input) { in.Phone = "555-1234" }, []string{"phone"}},
		{"invalid phone", func(in *Input) { in.Phone = "+1 000 000 0000" }, []string{"phone"}},
		{"bad type", func(in *Input) { in.Type = "alien" }, []string{"customer_type"}},
		{"missing type", func(in *Input) { in.Type = "" }, []string{"customer_type"}},
		{"missing billing", func(in *Input) { in.BillingAddress = nil }, []string{"billing_address"}},
		{"bad address", func(in *Input) {
			in.BillingAddress = &Address{Street: "", City: "", State: "California", PostalCode: "9410", Country: "XX",
				Coordinates: &Coordinates{Latitude: 91, Longitude: -181}}
		}, []string{
			"billing_address.street", "billing_address.city", "billing_address.country",
			"billing_address.coordinates.latitude", "billing_address.coordinates.longitude",
		}},
		{"bad US state and zip", func(in *Input) { in.BillingAddress.State = "California"; in.BillingAddress.PostalCode = "9410" },
			[]string{"billing_address.state", "billing_address.postal_code"}},
		{"bad service address", func(in *Input) { in.ServiceAddress = &Address{Country: "US"} }, []string{
			"service_address.street", "service_address.city", "service_address.state", "service_address.postal_code",
		}},
		{"long company", func(in *Input) { in.Company = strings.Repeat("c", 101) }, []string{"company"}},
		{"long industry", func(in *Input) { in.Industry = strings.Repeat("i", 51) }, []string{"industry"}},
		{"low credit", func(in *Input) { in.CreditScore = score(299) }, []string{"credit_score"}},
		{"high credit", func(in *Input) { in.CreditScore = score(851) }, []string{"credit_score"}},
		{"bad contact", func(in *Input) { in.PreferredContact = "pigeon" }, []string{"preferred_contact"}},
		{"bad emergency", func(in *Input) { in.EmergencyContact = &EmergencyContact{Phone: "12", Email: "x"} },
			[]string{"emergency_contact.name", "emergency_contact.phone", "emergency_contact.email"}},
		{"SSN for residential", func(in *Input) { in.TaxID = str("12-3456789x") }, []string{"tax_id"}},
		{"invalid SSN area", func(in *Input) { in.TaxID = str("666-12-3456") }, []string{"tax_id"}},
		{"EIN bad prefix", func(in *Input) { in.Type = TypeSmallBusiness; in.TaxID = str("07-1234567") }, []string{"tax_id"}},
		{"long external id", func(in *Input) { in.ExternalID = strings.Repeat("x", 256) }, []string{"external_id"}},
		{"external id NUL", func(in *Input) { in.ExternalID = "SF\x00-1" }, []string{"external_id"}},
		{"external id line break", func(in *Input) { in.ExternalID = "SF\n1" }, []string{"external_id"}},
		{"external id RLO", func(in *Input) { in.ExternalID = "\u202e1-FS" }, []string{"external_id"}},
		{"external id invisible", func(in *Input) { in.ExternalID = "\u200b" }, []string{"external_id"}},
		{"customer since tomorrow", func(in *Input) { in.CustomerSince = &crm.Date{Year: 2026, Month: time.March, Day: 2} }, []string{"customer_since"}},
		{"customer since before 1900", func(in *Input) { in.CustomerSince = &crm.Date{Year: 1899, Month: time.December, Day: 31} }, []string{"customer_since"}},
		{"everything", func(in *Input) { *in = Input{} }, []string{"name", "email", "phone", "customer_type", "billing_address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.mutate(&in)
			_, err := normalize(in, today)
			if crm.ErrorCode(err) != crm.CodeInvalid {
				t.Fatalf("code = %q (%v), want invalid", crm.ErrorCode(err), err)
			}
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if strings.Contains(err.Error(), "666-12-3456") {
				t.Error("error repeats the tax id")
			}
		})
	}
}

// TestNormalizeImportFields pins what normalize keeps of the fields the
// bulk import brings: the external id trimmed (up to 255 characters), the
// customer_since date from 1900-01-01 up to today, and nil left nil (apply
// puts the creation date there).
func TestNormalizeImportFields(t *testing.T) {
	day := func(y int, m time.Month, d int) *crm.Date { return &crm.Date{Year: y, Month: m, Day: d} }
	long := strings.Repeat("é", 255)
	tests := []struct {
		name         string
		externalID   string
		since        *crm.Date
		wantExternal string
		wantSince    *crm.Date
	}{
		{"none", "", nil, "", nil},
		{"trimmed", "  SF-0042\t", nil, "SF-0042", nil},
		{"255 characters", long, nil, long, nil},
		{"today", "", day(2026, time.March, 1), "", day(2026, time.March, 1)},
		{"first accepted day", "", day(1900, time.January, 1), "", day(1900, time.January, 1)},
		{"backdated", "crm-7", day(2001, time.May, 2), "crm-7", day(2001, time.May, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			in.ExternalID, in.CustomerSince = tt.externalID, tt.since
			got, err := normalize(in, today)
			if err != nil {
				t.Fatalf("normalize: %v", err)
			}
			if diff := cmp.Diff([]any{tt.wantExternal, tt.wantSince}, []any{got.ExternalID, got.CustomerSince}); diff != "" {
				t.Errorf("external_id, customer_since (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalizeTaxID(t *testing.T) {
	if got, err := NormalizeTaxID("123-45-6789", TypeResidential); err != nil || got != "123456789" {
		t.Errorf("SSN = %q, %v", got, err)
	}
	if got, err := NormalizeTaxID("12-3456789", TypeEnterprise); err != nil || got != "123456789" {
		t.Errorf("EIN = %q, %v", got, err)
	}
	for _, bad := range []string{"000-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "1234567890", "abc"} {
		if _, err := NormalizeTaxID(bad, TypeResidential); err == nil {
			t.Errorf("NormalizeTaxID(%q) accepted", bad)
		}
	}
}

func TestTaxIDCipher(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	c, err := NewTaxIDCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Seal("123456789")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Seal("123456789")
	if string(a.Ciphertext) == string(b.Ciphertext) {
		t.Error("two seals of one number are equal: nonce reused")
	}
	if a.BlindIndex != b.BlindIndex {
		t.Error("blind index differs for equal numbers")
	}
	if strings.Contains(string(a.Ciphertext), "123456789") || strings.Contains(a.BlindIndex, "123456789") {
		t.Error("clear number visible at rest")
	}
	if got, err := c.Open(a); err != nil || got != "123456789" {
		t.Errorf("Open = %q, %v", got, err)
	}
	other, _ := NewTaxIDCipher([]byte(strings.Repeat("x", 32)))
	if _, err := other.Open(a); err == nil {
		t.Error("Open with another key succeeded")
	}
	if other.BlindIndex("123456789") == a.BlindIndex {
		t.Error("blind index does not depend on the key")
	}
	if _, err := NewTaxIDCipher([]byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func TestAccountNumber(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n, err := newAccountNumber()
		if err != nil {
			t.Fatal(err)
		}
		if !ValidAccountNumber(n) || n[0] == '0' {
			t.Fatalf("newAccountNumber() = %q is not valid", n)
		}
		seen[n] = true
		// A single changed digit must be caught by the check digit.
		wrong := []byte(n)
		wrong[3] = '0' + (wrong[3]-'0'+1)%10
		if ValidAccountNumber(string(wrong)) {
			t.Fatalf("%q with one digit changed still validates", n)
		}
	}
	if len(seen) < 990 {
		t.Errorf("only %d distinct numbers in 1000", len(seen))
	}
	for _, bad := range []string{"", "123", "12345678901", "abcdefghij"} {
		if ValidAccountNumber(bad) {
			t.Errorf("ValidAccountNumber(%q) = true", bad)
		}
	}
}

func TestDiffMasksPersonalData(t *testing.T) {
	in := validInput()
	in.ExternalID, in.CustomerSince = "SF-0042", &crm.Date{Year: 2001, Month: time.May, Day: 2}
	in, err := normalize(in, today)
	if err != nil {
		t.Fatal(err)
	}
	c := &Customer{ID: "x"}
	s := &Service{}
	if err := s.apply(c, in); err != nil {
		t.Fatal(err)
	}
	changes := diffCustomers(nil, c)
	got := map[string]string{}
	for _, ch := range changes {
		got[ch.Field] = string(ch.After)
	}
	want := map[string]string{
		"name":                   `"A*** L***"`,
		"email":                  `"A***@example.com"`,
		"phone":                  `"+*******2671"`,
		"billing_address.street": `"1*** M*** S***"`,
		"billing_address.city":   `"San Francisco"`,
		"external_id":            `"SF-0042"`, // another system's key, not personal data
		"customer_since":         `"2001-05-02"`,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s, want %s", k, got[k], v)
		}
	}
	for _, ch := range changes {
		if strings.Contains(string(ch.After), "Lovelace") || strings.Contains(string(ch.After), "5552671") {
			t.Errorf("%s leaks personal data: %s", ch.Field, ch.After)
		}
	}
}
