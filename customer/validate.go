package customer

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// Field limits, in characters.
const (
	maxName     = 100
	maxCompany  = 100
	maxIndustry = 50
	maxNotes    = 2000
	maxStreet   = 200
	maxUnit     = 50
	maxCity     = 100
	maxState    = 100
	maxPostal   = 20
	maxRelation = 50
	maxExternal = 255
	minCredit   = 300
	maxCredit   = 850
)

// normalize validates in, collecting every problem, and returns the
// normalised fields: trimmed text, E.164 phones, lower-case email domains,
// upper-case country and US state codes, defaults applied. today is the
// Service's date (UTC), which CustomerSince must not be after; a nil
// CustomerSince is left for apply, which knows the creation date.
func normalize(in Input, today crm.Date) (Input, error) {
	var p crm.Problems
	out := in
	out.Name = valid.Text(&p, "name", in.Name, 1, maxName)
	out.Email = valid.Email(&p, "email", in.Email, true)
	region := "US"
	if in.BillingAddress != nil && isCountry(strings.ToUpper(in.BillingAddress.Country)) {
		// Numbers without a country code are read as local to the billing
		// country.
		region = strings.ToUpper(in.BillingAddress.Country)
	}
	out.Phone = valid.Phone(&p, "phone", in.Phone, region, true)
	if !slices.Contains(Types, in.Type) {
		p.Add("customer_type", valid.EnumMessage(in.Type == "", Types))
	}
	if in.BillingAddress == nil {
		p.Add("billing_address", "is required")
	} else {
		out.BillingAddress = address(&p, "billing_address", in.BillingAddress)
	}
	if in.ServiceAddress != nil {
		out.ServiceAddress = address(&p, "service_address", in.ServiceAddress)
	}
	out.Company = valid.Text(&p, "company", in.Company, 0, maxCompany)
	out.Industry = valid.Text(&p, "industry", in.Industry, 0, maxIndustry)
	out.Notes = valid.Lines(&p, "notes", in.Notes, 0, maxNotes)
	out.ExternalID = valid.Text(&p, "external_id", in.ExternalID, 0, maxExternal)
	if d := in.CustomerSince; d != nil && valid.Date(&p, "customer_since", *d) && today.Before(*d) {
		p.Add("customer_since", "must not be in the future")
	}
	if in.CreditScore != nil && (*in.CreditScore < minCredit || *in.CreditScore > maxCredit) {
		p.Addf("credit_score", "must be between %d and %d", minCredit, maxCredit)
	}
	if in.PreferredContact == "" {
		out.PreferredContact = ContactEmail
	} else if !slices.Contains(ContactMethods, in.PreferredContact) {
		p.Add("preferred_contact", valid.EnumMessage(false, ContactMethods))
	}
	if in.CommunicationPreferences == nil {
		prefs := DefaultCommunicationPreferences
		out.CommunicationPreferences = &prefs
	}
	if e := in.EmergencyContact; e != nil {
		out.EmergencyContact = &EmergencyContact{
			Name:         valid.Text(&p, "emergency_contact.name", e.Name, 1, maxName),
			Relationship: valid.Text(&p, "emergency_contact.relationship", e.Relationship, 0, maxRelation),
			Phone:        valid.Phone(&p, "emergency_contact.phone", e.Phone, region, true),
			Email:        valid.Email(&p, "emergency_contact.email", e.Email, false),
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

var (
	usZIP   = regexp.MustCompile(`^\d{5}(-\d{4})?$`)
	usState = regexp.MustCompile(`^[A-Z]{2}$`)
)

// address validates a postal address; US addresses get ZIP and state-code
// checks.
func address(p *crm.Problems, field string, a *Address) *Address {
	out := &Address{
		Street:     valid.Text(p, field+".street", a.Street, 1, maxStreet),
		Unit:       valid.Text(p, field+".unit", a.Unit, 0, maxUnit),
		City:       valid.Text(p, field+".city", a.City, 1, maxCity),
		State:      valid.Text(p, field+".state", a.State, 1, maxState),
		PostalCode: valid.Text(p, field+".postal_code", a.PostalCode, 1, maxPostal),
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
