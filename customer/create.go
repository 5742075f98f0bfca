package customer

import (
	"context"

	"github.com/ispstack/crm"
)

// accountNumberAttempts bounds retries when a random account number is
// already taken (vanishingly rare: 900 million numbers).
const accountNumberAttempts = 5

// Create validates in and stores a new active customer. Errors: invalid
// (naming every bad field), conflict (email, phone or external id in use).
func (s *Service) Create(ctx context.Context, in Input) (*Customer, error) {
	now := s.clock()
	in, err := normalize(in, crm.DateOf(now))
	if err != nil {
		return nil, err
	}
	c := &Customer{ID: crm.NewID(), Status: StatusActive, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.apply(c, in); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if c.AccountNumber, err = newAccountNumber(); err != nil {
			return nil, err
		}
		err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
			if err := r.CreateCustomer(ctx, c); err != nil {
				return err
			}
			if err := r.InsertStatusChange(ctx, s.statusChange(ctx, c, "", StatusActive, now)); err != nil {
				return err
			}
			if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, c.ID, "customer", c.ID, "create", diffCustomers(nil, c), now)); err != nil {
				return err
			}
			return r.InsertEvent(ctx, newEvent(EventCreated, c, now))
		})
		if err == nil || attempt == accountNumberAttempts || !conflictOn(err, "account_number") {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// apply copies normalised input onto c, sealing a new tax id. A nil in.TaxID
// keeps c's tax id; "" clears it. A nil in.CustomerSince is c's creation
// date (UTC).
func (s *Service) apply(c *Customer, in Input) error {
	c.Name, c.Email, c.Phone, c.Type = in.Name, in.Email, in.Phone, in.Type
	c.ExternalID = in.ExternalID
	c.CustomerSince = crm.DateOf(c.CreatedAt)
	if in.CustomerSince != nil {
		c.CustomerSince = *in.CustomerSince
	}
	c.BillingAddress = *in.BillingAddress
	c.ServiceAddress = in.ServiceAddress
	c.Company, c.Industry, c.Notes = in.Company, in.Industry, in.Notes
	c.CreditScore = in.CreditScore
	c.PreferredContact = in.PreferredContact
	c.CommunicationPreferences = *in.CommunicationPreferences
	c.EmergencyContact = in.EmergencyContact
	if in.TaxID == nil {
		return nil
	}
	if *in.TaxID == "" {
		c.TaxID, c.TaxIDLast4 = nil, ""
		return nil
	}
	if s.taxIDs == nil {
		return &crm.Error{Code: crm.CodeInvalid, Message: "tax ids are not accepted: no encryption key is configured",
			Fields: []crm.FieldError{{Field: "tax_id", Message: "cannot be stored without an encryption key"}}}
	}
	digits := *in.TaxID // normalised by normalize
	sealed, err := s.taxIDs.Seal(digits)
	if err != nil {
		return err
	}
	c.TaxID, c.TaxIDLast4 = sealed, digits[5:]
	return nil
}

// conflictOn reports whether err is a conflict naming field.
func conflictOn(err error, field string) bool {
	if !isCode(err, crm.CodeConflict) {
		return false
	}
	for _, f := range crm.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
