package customer

import (
	"time"

	"github.com/ispstack/crm"
)

// Type is the kind of customer.
type Type string

// The customer types.
const (
	TypeResidential   Type = "residential"
	TypeSmallBusiness Type = "small_business"
	TypeEnterprise    Type = "enterprise"
	TypeGovernment    Type = "government"
	TypeNonProfit     Type = "non_profit"
)

// Types lists every valid Type.
var Types = []Type{TypeResidential, TypeSmallBusiness, TypeEnterprise, TypeGovernment, TypeNonProfit}

// Status is where a customer is in its lifecycle.
type Status string

// The statuses. Closed customers are erased and invisible to reads.
const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusClosed    Status = "closed"
)

// Statuses lists every valid Status.
var Statuses = []Status{StatusActive, StatusSuspended, StatusClosed}

// ContactMethod is how a customer prefers to be reached.
type ContactMethod string

// The contact methods.
const (
	ContactPhone  ContactMethod = "phone"
	ContactEmail  ContactMethod = "email"
	ContactSMS    ContactMethod = "sms"
	ContactPostal ContactMethod = "postal"
)

// ContactMethods lists every valid ContactMethod.
var ContactMethods = []ContactMethod{ContactPhone, ContactEmail, ContactSMS, ContactPostal}

// Customer is the customer record.
type Customer struct {
	ID                       string                   `json:"id"`
	AccountNumber            string                   `json:"account_number"`
	Name                     string                   `json:"name"`
	Email                    string                   `json:"email"`
	Phone                    string                   `json:"phone"`
	Type                     Type                     `json:"customer_type"`
	Status                   Status                   `json:"status"`
	BillingAddress           Address                  `json:"billing_address"`
	ServiceAddress           *Address                 `json:"service_address"`
	TaxID                    *TaxID                   `json:"-"`
	TaxIDLast4               string                   `json:"tax_id_last4,omitempty"`
	Company                  string                   `json:"company,omitempty"`
	Industry                 string                   `json:"industry,omitempty"`
	CreditScore              *int                     `json:"credit_score"`
	PreferredContact         ContactMethod            `json:"preferred_contact"`
	CommunicationPreferences CommunicationPreferences `json:"communication_preferences"`
	EmergencyContact         *EmergencyContact        `json:"emergency_contact"`
	Notes                    string                   `json:"notes,omitempty"`
	Suspension               *Suspension              `json:"suspension"`
	Version                  int64                    `json:"version"`
	CreatedAt                time.Time                `json:"created_at"`
	UpdatedAt                time.Time                `json:"updated_at"`
	// ExternalID is the customer's id in the system it was imported from
	// (see Input.ExternalID); "" for none, and then absent from the JSON,
	// as Company is. Unique among non-deleted customers; erased on delete.
	ExternalID string `json:"external_id,omitempty"`
	// CustomerSince is the date the relationship started (see
	// Input.CustomerSince): the creation date (UTC) unless it was
	// backdated. Every stored customer has one; it outlives the delete (it
	// is no personal data).
	CustomerSince crm.Date `json:"customer_since"`
	// DeletedAt is set when the customer was closed and erased; such a
	// customer is not found by reads.
	DeletedAt *time.Time `json:"-"`
}

// TaxID is a tax id as kept at rest: AES-256-GCM ciphertext plus an HMAC
// blind index, so equal numbers can be found without decrypting. The clear
// number never reaches a Repository.
type TaxID struct {
	Ciphertext []byte
	BlindIndex string
}

// Address is a postal address.
type Address struct {
	Street      string       `json:"street"`
	Unit        string       `json:"unit,omitempty"`
	City        string       `json:"city"`
	State       string       `json:"state"`
	PostalCode  string       `json:"postal_code"`
	Country     string       `json:"country"`
	Coordinates *Coordinates `json:"coordinates,omitempty"`
}

// Coordinates is a WGS84 position.
type Coordinates struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// CommunicationPreferences says which messages the customer accepts.
type CommunicationPreferences struct {
	MarketingEmails      bool `json:"marketing_emails"`
	ServiceNotifications bool `json:"service_notifications"`
	BillingReminders     bool `json:"billing_reminders"`
	OutageAlerts         bool `json:"outage_alerts"`
}

// DefaultCommunicationPreferences is what a new customer gets when the
// request does not say: operational messages on, marketing off (opt-in).
var DefaultCommunicationPreferences = CommunicationPreferences{
	ServiceNotifications: true, BillingReminders: true, OutageAlerts: true,
}

// EmergencyContact is a person to call when the customer cannot be reached.
type EmergencyContact struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship,omitempty"`
	Phone        string `json:"phone"`
	Email        string `json:"email,omitempty"`
}

// Suspension describes the current suspension of a suspended customer.
type Suspension struct {
	Reason SuspensionReason `json:"reason"`
	Notes  string           `json:"notes,omitempty"`
	Since  time.Time        `json:"since"`
	// Until, when set, is when the customer is reactivated automatically.
	Until *time.Time `json:"until,omitempty"`
}

// SuspensionReason says why a customer was suspended.
type SuspensionReason string

// The suspension reasons.
const (
	ReasonNonPayment      SuspensionReason = "non_payment"
	ReasonFraud           SuspensionReason = "fraud"
	ReasonAbuse           SuspensionReason = "abuse"
	ReasonCustomerRequest SuspensionReason = "customer_request"
	ReasonCompliance      SuspensionReason = "compliance"
	ReasonOther           SuspensionReason = "other"
)

// SuspensionReasons lists every valid SuspensionReason.
var SuspensionReasons = []SuspensionReason{ReasonNonPayment, ReasonFraud, ReasonAbuse, ReasonCustomerRequest, ReasonCompliance, ReasonOther}

// StatusChange is one entry of a customer's status history.
type StatusChange struct {
	ID         string           `json:"id"`
	CustomerID string           `json:"customer_id"`
	From       Status           `json:"from"`
	To         Status           `json:"to"`
	Reason     SuspensionReason `json:"reason,omitempty"`
	Notes      string           `json:"notes,omitempty"`
	Until      *time.Time       `json:"until,omitempty"`
	ActorID    string           `json:"actor_id"`
	RequestID  string           `json:"request_id,omitempty"`
	At         time.Time        `json:"at"`
}
