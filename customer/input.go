package customer

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
		CommunicationPreferences: new(CommunicationPreferences),
	}
	*in.CommunicationPreferences = c.CommunicationPreferences
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
