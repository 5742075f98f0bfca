package pgstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ispstack/crm/customer"
)

// This file maps a customer to its row of the customers table and back;
// the queries are in customers.go and list.go.

// customerColumns are the columns a customer is read from, in the order of
// customerRow.dest.
const customerColumns = `id, account_number, name, email, phone, customer_type, status,
	billing_street, billing_unit, billing_city, billing_state, billing_postal_code, billing_country,
	billing_latitude, billing_longitude, service_address,
	tax_id_ciphertext, tax_id_blind_index, tax_id_last4, company, industry, credit_score, preferred_contact,
	marketing_emails, service_notifications, billing_reminders, outage_alerts, emergency_contact, notes,
	suspension_reason, suspension_notes, suspended_since, suspended_until,
	version, created_at, updated_at, deleted_at, external_id, customer_since`

// customerWriteColumns are customerColumns plus the keys derived in Go, in
// the order of customerRow.args.
const customerWriteColumns = customerColumns + `, name_key, billing_city_key, billing_state_key, search_text`

// customerRow is one row of the customers table. Its nullable columns are
// pgx's own types rather than database/sql's: pgx scans those directly,
// where a sql.Scanner takes a slower, allocating way, and an export scans
// every customer. They are database/sql Scanners and Valuers all the
// same, for the reads and writes in a transaction.
type customerRow struct {
	ID, AccountNumber, Name          string
	Email, Phone                     pgtype.Text
	Type, Status                     string
	Street, Unit, City, State        string
	PostalCode, Country              string
	Latitude, Longitude              pgtype.Float8
	ServiceAddress                   []byte
	TaxCiphertext                    []byte
	TaxBlindIndex                    pgtype.Text
	TaxLast4, Company, Industry      string
	CreditScore                      pgtype.Int8
	PreferredContact                 string
	Marketing, Service, Billing, Out bool
	EmergencyContact                 []byte
	Notes                            string
	SuspensionReason                 pgtype.Text
	SuspensionNotes                  string
	SuspendedSince, SuspendedUntil   pgtype.Timestamptz
	Version                          int64
	CreatedAt, UpdatedAt             time.Time
	DeletedAt                        pgtype.Timestamptz
	ExternalID                       pgtype.Text
	CustomerSince                    time.Time
}

// dest returns scan destinations in customerColumns order.
func (r *customerRow) dest() []any {
	return []any{&r.ID, &r.AccountNumber, &r.Name, &r.Email, &r.Phone, &r.Type, &r.Status,
		&r.Street, &r.Unit, &r.City, &r.State, &r.PostalCode, &r.Country,
		&r.Latitude, &r.Longitude, &r.ServiceAddress,
		&r.TaxCiphertext, &r.TaxBlindIndex, &r.TaxLast4, &r.Company, &r.Industry, &r.CreditScore, &r.PreferredContact,
		&r.Marketing, &r.Service, &r.Billing, &r.Out, &r.EmergencyContact, &r.Notes,
		&r.SuspensionReason, &r.SuspensionNotes, &r.SuspendedSince, &r.SuspendedUntil,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &r.DeletedAt, &r.ExternalID, &r.CustomerSince}
}

// args returns query arguments in customerWriteColumns order.
func (r *customerRow) args(c *customer.Customer) []any {
	return append(r.values(),
		customer.NameKey(c.Name),
		strings.ToLower(c.BillingAddress.City),
		strings.ToLower(c.BillingAddress.State),
		customer.SearchText(c))
}

// values returns the stored values in customerColumns order.
func (r *customerRow) values() []any {
	return []any{r.ID, r.AccountNumber, r.Name, r.Email, r.Phone, r.Type, r.Status,
		r.Street, r.Unit, r.City, r.State, r.PostalCode, r.Country,
		r.Latitude, r.Longitude, r.ServiceAddress,
		r.TaxCiphertext, r.TaxBlindIndex, r.TaxLast4, r.Company, r.Industry, r.CreditScore, r.PreferredContact,
		r.Marketing, r.Service, r.Billing, r.Out, r.EmergencyContact, r.Notes,
		r.SuspensionReason, r.SuspensionNotes, r.SuspendedSince, r.SuspendedUntil,
		r.Version, r.CreatedAt, r.UpdatedAt, r.DeletedAt, r.ExternalID, r.CustomerSince}
}

// customerToRow converts c for writing.
func customerToRow(c *customer.Customer) (*customerRow, error) {
	r := &customerRow{
		ID: c.ID, AccountNumber: c.AccountNumber, Name: c.Name,
		Email: nullString(c.Email), Phone: nullString(c.Phone),
		Type: string(c.Type), Status: string(c.Status),
		Street: c.BillingAddress.Street, Unit: c.BillingAddress.Unit, City: c.BillingAddress.City,
		State: c.BillingAddress.State, PostalCode: c.BillingAddress.PostalCode, Country: c.BillingAddress.Country,
		TaxLast4: c.TaxIDLast4, Company: c.Company, Industry: c.Industry,
		PreferredContact: string(c.PreferredContact),
		Marketing:        c.CommunicationPreferences.MarketingEmails,
		Service:          c.CommunicationPreferences.ServiceNotifications,
		Billing:          c.CommunicationPreferences.BillingReminders,
		Out:              c.CommunicationPreferences.OutageAlerts,
		Notes:            c.Notes,
		Version:          c.Version,
		CreatedAt:        ts(c.CreatedAt),
		UpdatedAt:        ts(c.UpdatedAt),
		DeletedAt:        pgTime(c.DeletedAt),
		ExternalID:       nullString(c.ExternalID),
		CustomerSince:    c.CustomerSince.Time(),
	}
	if co := c.BillingAddress.Coordinates; co != nil {
		r.Latitude = pgtype.Float8{Float64: co.Latitude, Valid: true}
		r.Longitude = pgtype.Float8{Float64: co.Longitude, Valid: true}
	}
	var err error
	if r.ServiceAddress, err = jsonOf(c.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: encode service address: %w", err)
	}
	if r.EmergencyContact, err = jsonOf(c.EmergencyContact); err != nil {
		return nil, fmt.Errorf("pgstore: encode emergency contact: %w", err)
	}
	if t := c.TaxID; t != nil {
		// The blind index column marks presence: it is never NULL for a
		// stored tax id, even an empty one.
		r.TaxCiphertext = append([]byte{}, t.Ciphertext...)
		r.TaxBlindIndex = pgtype.Text{String: t.BlindIndex, Valid: true}
	}
	if c.CreditScore != nil {
		r.CreditScore = pgtype.Int8{Int64: int64(*c.CreditScore), Valid: true}
	}
	if sp := c.Suspension; sp != nil {
		r.SuspensionReason = pgtype.Text{String: string(sp.Reason), Valid: true}
		r.SuspensionNotes = sp.Notes
		r.SuspendedSince = pgtype.Timestamptz{Time: ts(sp.Since), Valid: true}
		r.SuspendedUntil = pgTime(sp.Until)
	}
	return r, nil
}

// decode converts a scanned row.
func (r *customerRow) decode() (*customer.Customer, error) {
	c := new(customer.Customer)
	if err := r.decodeTo(c); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeTo converts a scanned row into c, which it overwrites whole.
func (r *customerRow) decodeTo(c *customer.Customer) error {
	*c = customer.Customer{
		ID: r.ID, AccountNumber: r.AccountNumber, Name: r.Name,
		Email: r.Email.String, Phone: r.Phone.String,
		Type: customer.Type(r.Type), Status: customer.Status(r.Status),
		BillingAddress: customer.Address{
			Street: r.Street, Unit: r.Unit, City: r.City, State: r.State,
			PostalCode: r.PostalCode, Country: r.Country,
		},
		TaxIDLast4: r.TaxLast4, Company: r.Company, Industry: r.Industry,
		PreferredContact: customer.ContactMethod(r.PreferredContact),
		CommunicationPreferences: customer.CommunicationPreferences{
			MarketingEmails: r.Marketing, ServiceNotifications: r.Service,
			BillingReminders: r.Billing, OutageAlerts: r.Out,
		},
		Notes:         r.Notes,
		Version:       r.Version,
		CreatedAt:     r.CreatedAt.UTC(),
		UpdatedAt:     r.UpdatedAt.UTC(),
		DeletedAt:     pgTimePtr(r.DeletedAt),
		ExternalID:    r.ExternalID.String,
		CustomerSince: dateOf(r.CustomerSince),
	}
	if r.Latitude.Valid && r.Longitude.Valid {
		c.BillingAddress.Coordinates = &customer.Coordinates{Latitude: r.Latitude.Float64, Longitude: r.Longitude.Float64}
	}
	var err error
	if c.ServiceAddress, err = jsonTo[customer.Address](r.ServiceAddress); err != nil {
		return fmt.Errorf("pgstore: decode service address of %s: %w", r.ID, err)
	}
	if c.EmergencyContact, err = jsonTo[customer.EmergencyContact](r.EmergencyContact); err != nil {
		return fmt.Errorf("pgstore: decode emergency contact of %s: %w", r.ID, err)
	}
	if r.TaxBlindIndex.Valid {
		c.TaxID = &customer.TaxID{Ciphertext: r.TaxCiphertext, BlindIndex: r.TaxBlindIndex.String}
	}
	if r.CreditScore.Valid {
		v := int(r.CreditScore.Int64)
		c.CreditScore = &v
	}
	if r.SuspensionReason.Valid {
		c.Suspension = &customer.Suspension{
			Reason: customer.SuspensionReason(r.SuspensionReason.String),
			Notes:  r.SuspensionNotes,
			Since:  r.SuspendedSince.Time.UTC(),
			Until:  pgTimePtr(r.SuspendedUntil),
		}
	}
	return nil
}
