package contact

import (
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/valid"
)

// Input holds the writable fields of a contact: what a create takes and
// what a replace (PUT) overwrites. Its JSON form is the document a JSON
// merge patch (PATCH) applies to.
type Input struct {
	Name                string `json:"name"`
	Title               string `json:"title"`
	Email               string `json:"email"`
	Phone               string `json:"phone"`
	Mobile              string `json:"mobile"`
	Type                Type   `json:"contact_type"`
	IsPrimary           bool   `json:"is_primary"`
	CanAuthorizeChanges bool   `json:"can_authorize_changes"`
	// PreferredContactMethod defaults to email when the contact has an
	// email address, else to phone.
	PreferredContactMethod customer.ContactMethod `json:"preferred_contact_method,omitempty"`
	Notes                  string                 `json:"notes"`
}

// InputOf returns the writable fields of c, the base a merge patch is
// applied to.
func InputOf(c *Contact) Input {
	return Input{
		Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone, Mobile: c.Mobile, Type: c.Type,
		IsPrimary: c.IsPrimary, CanAuthorizeChanges: c.CanAuthorizeChanges,
		PreferredContactMethod: c.PreferredContactMethod, Notes: c.Notes,
	}
}

// Field limits, in characters: the same as the customer's fields of the
// same kind.
const (
	maxName  = 100
	maxTitle = 100
	maxNotes = 2000
)

// normalize validates in, collecting every problem, and returns the
// normalised fields: trimmed text, lower-case email domains, E.164 phones
// (numbers without a country code read as numbers of region, the
// customer's billing country) and the default contact method.
func normalize(in Input, region string) (Input, error) {
	var p crm.Problems
	out := in
	out.Name = valid.Text(&p, "name", in.Name, 1, maxName)
	out.Title = valid.Text(&p, "title", in.Title, 0, maxTitle)
	out.Email = valid.Email(&p, "email", in.Email, false)
	out.Phone = valid.Phone(&p, "phone", in.Phone, region, false)
	out.Mobile = valid.Phone(&p, "mobile", in.Mobile, region, false)
	out.Notes = valid.Lines(&p, "notes", in.Notes, 0, maxNotes)
	if !slices.Contains(Types, in.Type) {
		p.Add("contact_type", valid.EnumMessage(in.Type == "", Types))
	}
	if out.Email == "" && out.Phone == "" && out.Mobile == "" {
		// A contact nobody can reach is no contact; email is named as the
		// usual remedy.
		p.Add("email", "is required unless a phone or mobile number is given")
	}
	switch m := in.PreferredContactMethod; {
	case m == "" && out.Email != "":
		out.PreferredContactMethod = customer.ContactEmail
	case m == "":
		out.PreferredContactMethod = customer.ContactPhone
	case !slices.Contains(customer.ContactMethods, m):
		p.Add("preferred_contact_method", valid.EnumMessage(false, customer.ContactMethods))
	case m == customer.ContactEmail && out.Email == "":
		p.Add("preferred_contact_method", "is email but the contact has no email address")
	case m == customer.ContactPhone && out.Phone == "" && out.Mobile == "":
		p.Add("preferred_contact_method", "is phone but the contact has no phone or mobile number")
	case m == customer.ContactSMS && out.Mobile == "":
		p.Add("preferred_contact_method", "is sms but the contact has no mobile number")
	}
	return out, p.Err()
}
