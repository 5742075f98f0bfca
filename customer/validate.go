package customer

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"

	"github.com/ispstack/crm"
)

// Field limits, in characters.
const (
	maxName     = 100
	maxCompany  = 100
	maxIndustry = 50
	maxNotes    = 2000
	maxEmail    = 254
	maxStreet   = 200
	maxUnit     = 50
	maxCity     = 100
	maxState    = 100
	maxPostal   = 20
	maxRelation = 50
	minCredit   = 300
	maxCredit   = 850
)

// normalize validates in, collecting every problem, and returns the
// normalised fields: trimmed text, E.164 phones, lower-case email domains,
// upper-case country and US state codes, defaults applied.
func normalize(in Input) (Input, error) {
	var p crm.Problems
	out := in
	out.Name = text(&p, "name", in.Name, 1, maxName)
	out.Email = email(&p, "email", in.Email, true)
	region := "US"
	if in.BillingAddress != nil && isCountry(strings.ToUpper(in.BillingAddress.Country)) {
		// Numbers without a country code are read as local to the billing
		// country.
		region = strings.ToUpper(in.BillingAddress.Country)
	}
	out.Phone = phone(&p, "phone", in.Phone, region, true)
	if !slices.Contains(Types, in.Type) {
		p.Add("customer_type", enumMessage(in.Type == "", Types))
	}
	if in.BillingAddress == nil {
		p.Add("billing_address", "is required")
	} else {
		out.BillingAddress = address(&p, "billing_address", in.BillingAddress)
	}
	if in.ServiceAddress != nil {
		out.ServiceAddress = address(&p, "service_address", in.ServiceAddress)
	}
	out.Company = text(&p, "company", in.Company, 0, maxCompany)
	out.Industry = text(&p, "industry", in.Industry, 0, maxIndustry)
	out.Notes = text(&p, "notes", in.Notes, 0, maxNotes)
	if in.CreditScore != nil && (*in.CreditScore < minCredit || *in.CreditScore > maxCredit) {
		p.Addf("credit_score", "must be between %d and %d", minCredit, maxCredit)
	}
	if in.PreferredContact == "" {
		out.PreferredContact = ContactEmail
	} else if !slices.Contains(ContactMethods, in.PreferredContact) {
		p.Add("preferred_contact", enumMessage(false, ContactMethods))
	}
	if in.CommunicationPreferences == nil {
		prefs := DefaultCommunicationPreferences
		out.CommunicationPreferences = &prefs
	}
	if e := in.EmergencyContact; e != nil {
		out.EmergencyContact = &EmergencyContact{
			Name:         text(&p, "emergency_contact.name", e.Name, 1, maxName),
			Relationship: text(&p, "emergency_contact.relationship", e.Relationship, 0, maxRelation),
			Phone:        phone(&p, "emergency_contact.phone", e.Phone, region, true),
			Email:        email(&p, "emergency_contact.email", e.Email, false),
		}
	}
	if in.TaxID != nil && *in.TaxID != "" {
		if digits, err := NormalizeTaxID(*in.TaxID, in.Type); err != nil {
			p.Add("tax_id", err.Error())
		} else {
			out.TaxID = &digits
		}
	}
	return out, p.Err()
}

// text trims s and checks its length in characters and that it is printable.
func text(p *crm.Problems, field, s string, min, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n < min && min == 1:
		p.Add(field, "is required")
	case n < min || n > max:
		p.Addf(field, "must be between %d and %d characters", min, max)
	case strings.ContainsFunc(s, isControl):
		p.Add(field, "must not contain control characters")
	}
	return s
}

func isControl(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }

// email validates a bare address (no display name) and lower-cases its domain;
// the local part is kept as given, since mail servers may treat case in it.
func email(p *crm.Problems, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "is required")
		}
		return s
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Address != s || len(s) > maxEmail || at < 1 || !strings.Contains(s[at:], ".") {
		p.Add(field, "must be a valid email address")
		return s
	}
	return s[:at] + strings.ToLower(s[at:])
}

// phone validates a 10–20 character phone number and returns it in E.164,
// reading numbers without a country code as numbers of region.
func phone(p *crm.Problems, field, s, region string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "is required")
		}
		return s
	}
	if n := utf8.RuneCountInString(s); n < 10 || n > 20 {
		p.Add(field, "must be between 10 and 20 characters")
		return s
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		p.Add(field, "must be a valid phone number")
		return s
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

var (
	usZIP   = regexp.MustCompile(`^\d{5}(-\d{4})?$`)
	usState = regexp.MustCompile(`^[A-Z]{2}$`)
)

// address validates a postal address; US addresses get ZIP and state-code
// checks.
func address(p *crm.Problems, field string, a *Address) *Address {
	out := &Address{
		Street:     text(p, field+".street", a.Street, 1, maxStreet),
		Unit:       text(p, field+".unit", a.Unit, 0, maxUnit),
		City:       text(p, field+".city", a.City, 1, maxCity),
		State:      text(p, field+".state", a.State, 1, maxState),
		PostalCode: text(p, field+".postal_code", a.PostalCode, 1, maxPostal),
		Country:    strings.ToUpper(strings.TrimSpace(a.Country)),
	}
	if out.Country == "" {
		p.Add(field+".country", "is required")
	} else if !isCountry(out.Country) {
		p.Add(field+".country", "must be an ISO 3166-1 alpha-2 country code")
	}
	if out.Country == "US" {
		out.State = strings.ToUpper(out.State)
		if out.State != "" && !usState.MatchString(out.State) {
			p.Add(field+".state", "must be a two-letter US state code")
		}
		if out.PostalCode != "" && !usZIP.MatchString(out.PostalCode) {
			p.Add(field+".postal_code", "must be a US ZIP code (12345 or 12345-6789)")
		}
	}
	if c := a.Coordinates; c != nil {
		if c.Latitude < -90 || c.Latitude > 90 {
			p.Add(field+".coordinates.latitude", "must be between -90 and 90")
		}
		if c.Longitude < -180 || c.Longitude > 180 {
			p.Add(field+".coordinates.longitude", "must be between -180 and 180")
		}
		cc := *c
		out.Coordinates = &cc
	}
	return out
}

// isCountry reports whether code is an assigned ISO 3166-1 alpha-2 code.
func isCountry(code string) bool {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code && r.ISO3() != "ZZZ"
}

// enumMessage says which values an enum field accepts.
func enumMessage[T ~string](missing bool, values []T) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	if missing {
		return "is required (one of " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf("must be one of %s", strings.Join(names, ", "))
}
