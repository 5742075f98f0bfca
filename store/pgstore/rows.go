package pgstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/uptrace/bun"
)

// This file maps domain values to table rows and back. The row structs are
// private: the schema can change without touching the domain types.

// ts is how every time is written: UTC, truncated to the microsecond that
// Postgres keeps (Postgres would round instead, which could move a time
// across a comparison boundary).
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTime is ts for an optional time.
func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: ts(*t), Valid: true}
}

// timePtr reads an optional time back in UTC.
func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullString stores "" as NULL, for columns where absence must not collide
// in a unique index.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// jsonOf marshals an optional value; nil stays NULL.
func jsonOf[T any](v *T) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// jsonTo unmarshals an optional value; NULL gives nil.
func jsonTo[T any](b []byte) (*T, error) {
	if b == nil {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return v, nil
}

// customerColumns are the columns a customer is read from, in the order of
// customerRow.dest.
const customerColumns = `id, account_number, name, email, phone, customer_type, status,
	billing_street, billing_unit, billing_city, billing_state, billing_postal_code, billing_country,
	billing_latitude, billing_longitude, service_address,
	tax_id_ciphertext, tax_id_blind_index, tax_id_last4, company, industry, credit_score, preferred_contact,
	marketing_emails, service_notifications, billing_reminders, outage_alerts, emergency_contact, notes,
	suspension_reason, suspension_notes, suspended_since, suspended_until,
	version, created_at, updated_at, deleted_at`

// customerWriteColumns are customerColumns plus the keys derived in Go, in
// the order of customerRow.args.
const customerWriteColumns = customerColumns + `, name_key, billing_city_key, billing_state_key, search_text`

// customerRow is one row of the customers table.
type customerRow struct {
	ID, AccountNumber, Name          string
	Email, Phone                     sql.NullString
	Type, Status                     string
	Street, Unit, City, State        string
	PostalCode, Country              string
	Latitude, Longitude              sql.NullFloat64
	ServiceAddress                   []byte
	TaxCiphertext                    []byte
	TaxBlindIndex                    sql.NullString
	TaxLast4, Company, Industry      string
	CreditScore                      sql.NullInt64
	PreferredContact                 string
	Marketing, Service, Billing, Out bool
	EmergencyContact                 []byte
	Notes                            string
	SuspensionReason                 sql.NullString
	SuspensionNotes                  string
	SuspendedSince, SuspendedUntil   sql.NullTime
	Version                          int64
	CreatedAt, UpdatedAt             time.Time
	DeletedAt                        sql.NullTime
}

// dest returns scan destinations in customerColumns order.
func (r *customerRow) dest() []any {
	return []any{&r.ID, &r.AccountNumber, &r.Name, &r.Email, &r.Phone, &r.Type, &r.Status,
		&r.Street, &r.Unit, &r.City, &r.State, &r.PostalCode, &r.Country,
		&r.Latitude, &r.Longitude, &r.ServiceAddress,
		&r.TaxCiphertext, &r.TaxBlindIndex, &r.TaxLast4, &r.Company, &r.Industry, &r.CreditScore, &r.PreferredContact,
		&r.Marketing, &r.Service, &r.Billing, &r.Out, &r.EmergencyContact, &r.Notes,
		&r.SuspensionReason, &r.SuspensionNotes, &r.SuspendedSince, &r.SuspendedUntil,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &r.DeletedAt}
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
		r.Version, r.CreatedAt, r.UpdatedAt, r.DeletedAt}
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
		DeletedAt:        nullTime(c.DeletedAt),
	}
	if co := c.BillingAddress.Coordinates; co != nil {
		r.Latitude = sql.NullFloat64{Float64: co.Latitude, Valid: true}
		r.Longitude = sql.NullFloat64{Float64: co.Longitude, Valid: true}
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
		r.TaxBlindIndex = sql.NullString{String: t.BlindIndex, Valid: true}
	}
	if c.CreditScore != nil {
		r.CreditScore = sql.NullInt64{Int64: int64(*c.CreditScore), Valid: true}
	}
	if sp := c.Suspension; sp != nil {
		r.SuspensionReason = sql.NullString{String: string(sp.Reason), Valid: true}
		r.SuspensionNotes = sp.Notes
		r.SuspendedSince = sql.NullTime{Time: ts(sp.Since), Valid: true}
		r.SuspendedUntil = nullTime(sp.Until)
	}
	return r, nil
}

// customer converts a scanned row.
func (r *customerRow) customer() (*customer.Customer, error) {
	c := &customer.Customer{
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
		Notes:     r.Notes,
		Version:   r.Version,
		CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(),
		DeletedAt: timePtr(r.DeletedAt),
	}
	if r.Latitude.Valid && r.Longitude.Valid {
		c.BillingAddress.Coordinates = &customer.Coordinates{Latitude: r.Latitude.Float64, Longitude: r.Longitude.Float64}
	}
	var err error
	if c.ServiceAddress, err = jsonTo[customer.Address](r.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: decode service address of %s: %w", r.ID, err)
	}
	if c.EmergencyContact, err = jsonTo[customer.EmergencyContact](r.EmergencyContact); err != nil {
		return nil, fmt.Errorf("pgstore: decode emergency contact of %s: %w", r.ID, err)
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
			Until:  timePtr(r.SuspendedUntil),
		}
	}
	return c, nil
}

// subscriptionColumns are the columns of a service, in the order of
// subscriptionRow.dest and subscriptionRow.values.
const subscriptionColumns = `id, customer_id, plan_name, technology, status, monthly_price, contract_term,
	start_date, end_date, bandwidth_down_mbps, bandwidth_up_mbps, service_address,
	suspended_with_customer, version, created_at, updated_at`

// subscriptionRow is one row of the services table.
type subscriptionRow struct {
	ID, CustomerID, PlanName, Technology, Status string
	MonthlyPrice                                 int64
	ContractTerm                                 string
	StartDate                                    time.Time
	EndDate                                      sql.NullTime
	Down, Up                                     int64
	ServiceAddress                               []byte
	SuspendedWithCustomer                        bool
	Version                                      int64
	CreatedAt, UpdatedAt                         time.Time
}

func (r *subscriptionRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.PlanName, &r.Technology, &r.Status, &r.MonthlyPrice, &r.ContractTerm,
		&r.StartDate, &r.EndDate, &r.Down, &r.Up, &r.ServiceAddress,
		&r.SuspendedWithCustomer, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

func (r *subscriptionRow) values() []any {
	return []any{r.ID, r.CustomerID, r.PlanName, r.Technology, r.Status, r.MonthlyPrice, r.ContractTerm,
		r.StartDate, r.EndDate, r.Down, r.Up, r.ServiceAddress,
		r.SuspendedWithCustomer, r.Version, r.CreatedAt, r.UpdatedAt}
}

func subscriptionToRow(s *customer.Subscription) (*subscriptionRow, error) {
	r := &subscriptionRow{
		ID: s.ID, CustomerID: s.CustomerID, PlanName: s.PlanName,
		Technology: string(s.Technology), Status: string(s.Status),
		MonthlyPrice: int64(s.MonthlyPrice), ContractTerm: string(s.ContractTerm),
		StartDate: s.StartDate.Time(),
		Down:      int64(s.BandwidthDownMbps), Up: int64(s.BandwidthUpMbps),
		SuspendedWithCustomer: s.SuspendedWithCustomer,
		Version:               s.Version,
		CreatedAt:             ts(s.CreatedAt),
		UpdatedAt:             ts(s.UpdatedAt),
	}
	if s.EndDate != nil {
		r.EndDate = sql.NullTime{Time: s.EndDate.Time(), Valid: true}
	}
	var err error
	if r.ServiceAddress, err = jsonOf(s.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: encode service address: %w", err)
	}
	return r, nil
}

func (r *subscriptionRow) subscription() (*customer.Subscription, error) {
	s := &customer.Subscription{
		ID: r.ID, CustomerID: r.CustomerID, PlanName: r.PlanName,
		Technology: customer.Technology(r.Technology), Status: customer.SubscriptionStatus(r.Status),
		MonthlyPrice: crm.Money(r.MonthlyPrice), ContractTerm: customer.ContractTerm(r.ContractTerm),
		StartDate:         dateOf(r.StartDate),
		BandwidthDownMbps: int(r.Down), BandwidthUpMbps: int(r.Up),
		SuspendedWithCustomer: r.SuspendedWithCustomer,
		Version:               r.Version,
		CreatedAt:             r.CreatedAt.UTC(),
		UpdatedAt:             r.UpdatedAt.UTC(),
	}
	if r.EndDate.Valid {
		d := dateOf(r.EndDate.Time)
		s.EndDate = &d
	}
	var err error
	if s.ServiceAddress, err = jsonTo[customer.Address](r.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: decode service address of service %s: %w", r.ID, err)
	}
	return s, nil
}

// dateOf reads a date column. pgx returns dates as midnight UTC; the
// calendar fields are taken as they are, without a time-zone shift.
func dateOf(t time.Time) crm.Date {
	y, m, d := t.Date()
	return crm.Date{Year: y, Month: m, Day: d}
}

// statusChangeRow is one row of customer_status_changes, read and written
// with Bun's query builder (status changes are rare).
type statusChangeRow struct {
	bun.BaseModel `bun:"table:customer_status_changes"`

	CustomerID string       `bun:"customer_id,pk"`
	ID         string       `bun:"id,pk"`
	From       string       `bun:"from_status"`
	To         string       `bun:"to_status"`
	Reason     string       `bun:"reason"`
	Notes      string       `bun:"notes"`
	Until      sql.NullTime `bun:"until"`
	ActorID    string       `bun:"actor_id"`
	RequestID  string       `bun:"request_id"`
	At         time.Time    `bun:"at"`
}

func statusChangeToRow(sc *customer.StatusChange) *statusChangeRow {
	return &statusChangeRow{
		CustomerID: sc.CustomerID, ID: sc.ID,
		From: string(sc.From), To: string(sc.To),
		Reason: string(sc.Reason), Notes: sc.Notes, Until: nullTime(sc.Until),
		ActorID: sc.ActorID, RequestID: sc.RequestID, At: ts(sc.At),
	}
}

func (r *statusChangeRow) statusChange() customer.StatusChange {
	return customer.StatusChange{
		ID: r.ID, CustomerID: r.CustomerID,
		From: customer.Status(r.From), To: customer.Status(r.To),
		Reason: customer.SuspensionReason(r.Reason), Notes: r.Notes, Until: timePtr(r.Until),
		ActorID: r.ActorID, RequestID: r.RequestID, At: r.At.UTC(),
	}
}

// auditRow is one row of audit_entries, read with Bun's builder.
type auditRow struct {
	bun.BaseModel `bun:"table:audit_entries"`

	CustomerID string    `bun:"customer_id,pk"`
	ID         string    `bun:"id,pk"`
	Entity     string    `bun:"entity"`
	EntityID   string    `bun:"entity_id"`
	Action     string    `bun:"action"`
	ActorID    string    `bun:"actor_id"`
	RequestID  string    `bun:"request_id"`
	Changes    []byte    `bun:"changes"`
	At         time.Time `bun:"at"`
}

// eventRow is one row of outbox_events, read with Bun's builder.
type eventRow struct {
	bun.BaseModel `bun:"table:outbox_events"`

	ID         string    `bun:"id,pk"`
	CustomerID string    `bun:"customer_id"`
	Type       string    `bun:"type"`
	Payload    []byte    `bun:"payload"`
	OccurredAt time.Time `bun:"occurred_at"`
}

// contactColumns are the columns of a contact, in the order of
// contactRow.dest and contactRow.values.
const contactColumns = `id, customer_id, name, title, email, phone, mobile, contact_type, is_primary,
	can_authorize_changes, preferred_contact_method, notes, version, created_at, updated_at`

// contactRow is one row of the contacts table.
type contactRow struct {
	ID, CustomerID, Name, Title, Email, Phone, Mobile, Type string
	IsPrimary, CanAuthorizeChanges                          bool
	PreferredContactMethod, Notes                           string
	Version                                                 int64
	CreatedAt, UpdatedAt                                    time.Time
}

func (r *contactRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Name, &r.Title, &r.Email, &r.Phone, &r.Mobile, &r.Type, &r.IsPrimary,
		&r.CanAuthorizeChanges, &r.PreferredContactMethod, &r.Notes, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

func (r *contactRow) values() []any {
	return []any{r.ID, r.CustomerID, r.Name, r.Title, r.Email, r.Phone, r.Mobile, r.Type, r.IsPrimary,
		r.CanAuthorizeChanges, r.PreferredContactMethod, r.Notes, r.Version, r.CreatedAt, r.UpdatedAt}
}

func contactToRow(c *contact.Contact) *contactRow {
	return &contactRow{
		ID: c.ID, CustomerID: c.CustomerID, Name: c.Name, Title: c.Title,
		Email: c.Email, Phone: c.Phone, Mobile: c.Mobile, Type: string(c.Type),
		IsPrimary: c.IsPrimary, CanAuthorizeChanges: c.CanAuthorizeChanges,
		PreferredContactMethod: string(c.PreferredContactMethod), Notes: c.Notes,
		Version: c.Version, CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt),
	}
}

func (r *contactRow) contact() contact.Contact {
	return contact.Contact{
		ID: r.ID, CustomerID: r.CustomerID, Name: r.Name, Title: r.Title,
		Email: r.Email, Phone: r.Phone, Mobile: r.Mobile, Type: contact.Type(r.Type),
		IsPrimary: r.IsPrimary, CanAuthorizeChanges: r.CanAuthorizeChanges,
		PreferredContactMethod: customer.ContactMethod(r.PreferredContactMethod), Notes: r.Notes,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// documentColumns are the columns of a document, in the order of
// documentRow.dest and documentRow.values.
const documentColumns = `id, customer_id, name, document_type, object_key, file_size, mime_type, sha256,
	upload_date, uploaded_by, expiration_date, is_active, requires_signature, signature_status, tags,
	scan_status, version, updated_at`

// documentRow is one row of the documents table.
type documentRow struct {
	ID, CustomerID, Name, Type, ObjectKey string
	FileSize                              int64
	MimeType, SHA256                      string
	UploadDate                            time.Time
	UploadedBy                            string
	ExpirationDate                        sql.NullTime
	IsActive, RequiresSignature           bool
	SignatureStatus                       string
	Tags                                  []byte
	ScanStatus                            string
	Version                               int64
	UpdatedAt                             time.Time
}

func (r *documentRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Name, &r.Type, &r.ObjectKey, &r.FileSize, &r.MimeType, &r.SHA256,
		&r.UploadDate, &r.UploadedBy, &r.ExpirationDate, &r.IsActive, &r.RequiresSignature, &r.SignatureStatus, &r.Tags,
		&r.ScanStatus, &r.Version, &r.UpdatedAt}
}

func (r *documentRow) values() []any {
	return []any{r.ID, r.CustomerID, r.Name, r.Type, r.ObjectKey, r.FileSize, r.MimeType, r.SHA256,
		r.UploadDate, r.UploadedBy, r.ExpirationDate, r.IsActive, r.RequiresSignature, r.SignatureStatus, r.Tags,
		r.ScanStatus, r.Version, r.UpdatedAt}
}

func documentToRow(d *document.Document) (*documentRow, error) {
	tags := d.Tags
	if tags == nil {
		tags = []string{}
	}
	raw, err := json.Marshal(tags)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode tags: %w", err)
	}
	r := &documentRow{
		ID: d.ID, CustomerID: d.CustomerID, Name: d.Name, Type: string(d.Type), ObjectKey: d.ObjectKey,
		FileSize: d.FileSize, MimeType: d.MimeType, SHA256: d.SHA256,
		UploadDate: ts(d.UploadDate), UploadedBy: d.UploadedBy,
		IsActive: d.IsActive, RequiresSignature: d.RequiresSignature, SignatureStatus: string(d.SignatureStatus),
		Tags: raw, ScanStatus: string(d.ScanStatus), Version: d.Version, UpdatedAt: ts(d.UpdatedAt),
	}
	if d.ExpirationDate != nil {
		r.ExpirationDate = sql.NullTime{Time: d.ExpirationDate.Time(), Valid: true}
	}
	return r, nil
}

func (r *documentRow) document() (*document.Document, error) {
	d := &document.Document{
		ID: r.ID, CustomerID: r.CustomerID, Name: r.Name, Type: document.Type(r.Type), ObjectKey: r.ObjectKey,
		FileSize: r.FileSize, MimeType: r.MimeType, SHA256: r.SHA256,
		UploadDate: r.UploadDate.UTC(), UploadedBy: r.UploadedBy,
		IsActive: r.IsActive, RequiresSignature: r.RequiresSignature,
		SignatureStatus: document.SignatureStatus(r.SignatureStatus), ScanStatus: document.ScanStatus(r.ScanStatus),
		Version: r.Version, UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.ExpirationDate.Valid {
		e := dateOf(r.ExpirationDate.Time)
		d.ExpirationDate = &e
	}
	if err := json.Unmarshal(r.Tags, &d.Tags); err != nil {
		return nil, fmt.Errorf("pgstore: decode tags of document %s: %w", r.ID, err)
	}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	return d, nil
}
