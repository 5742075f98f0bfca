package customer

import "github.com/ispstack/crm"

// Input holds the writable fields of a customer: what a create takes and what
// a replace (PUT) overwrites. Its JSON form is the customer's writable
// representation, the document a JSON merge patch (PATCH) applies to.
type Input struct {
	Name                     string                    `json:"name"`
	Email                    string                    `json:"email"`
	Phone                    string                    `json:"phone"`
	Type                     Type                      `json:"customer_type"`
	BillingAddress           *Address                  `json:"billing_address"`
	ServiceAddress           *Address                  `json:"service_address"`
	Company                  string                    `json:"company,omitempty"`
	Industry                 string                    `json:"industry,omitempty"`
	CreditScore              *int                      `json:"credit_score"`
	PreferredContact         ContactMethod             `json:"preferred_contact,omitempty"`
	CommunicationPreferences *CommunicationPreferences `json:"communication_preferences,omitempty"`
	EmergencyContact         *EmergencyContact         `json:"emergency_contact"`
	Notes                    string                    `json:"notes,omitempty"`
	// ExternalID is the customer's id in the source system it was imported
	// from, kept to find it again there (the bulk import matches on it):
	// trimmed, at most 255 characters, unique among non-deleted customers.
	// "" (absent, or null in a merge patch) means none.
	ExternalID string `json:"external_id,omitempty"`
	// CustomerSince backdates the start of the relationship, for customers
	// migrated from another system: a date from 1900-01-01 to today (UTC,
	// by the Service's clock). nil means the customer's creation date
	// (UTC). A replace (PUT) sets every writable field, so one without it
	// resets the date to the creation date, as one without
	// communication_preferences resets those to their defaults; a merge
	// patch (PATCH) keeps it unless it names it, and null resets it.
	CustomerSince *crm.Date `json:"customer_since,omitempty"`
	// TaxID is write-only: nil keeps the stored tax id on a replace (none on
	// a create), a pointer to "" clears it, anything else sets it (an SSN for
	// residential customers, an EIN for the others).
	TaxID *string `json:"-"`
}

// InputOf returns the writable fields of c (without the tax id, which is
// never read back), the base a merge patch is applied to.
func InputOf(c *Customer) Input {
	in := Input{
		Name:                     c.Name,
		Email:                    c.Email,
		Phone:                    c.Phone,
		Type:                     c.Type,
		BillingAddress:           cloneAddress(&c.BillingAddress),
		ServiceAddress:           cloneAddress(c.ServiceAddress),
		Company:                  c.Company,
		Industry:                 c.Industry,
		PreferredContact:         c.PreferredContact,
		EmergencyContact:         cloneEmergency(c.EmergencyContact),
		Notes:                    c.Notes,
		ExternalID:               c.ExternalID,
		CommunicationPreferences: new(CommunicationPreferences),
		CustomerSince:            new(crm.Date),
	}
	*in.CommunicationPreferences = c.CommunicationPreferences
	*in.CustomerSince = c.CustomerSince
	if c.CreditScore != nil {
		v := *c.CreditScore
		in.CreditScore = &v
	}
	return in
}

func cloneAddress(a *Address) *Address {
	if a == nil {
		return nil
	}
	b := *a
	if a.Coordinates != nil {
		c := *a.Coordinates
		b.Coordinates = &c
	}
	return &b
}

func cloneEmergency(e *EmergencyContact) *EmergencyContact {
	if e == nil {
		return nil
	}
	f := *e
	return &f
}
