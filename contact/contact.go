package contact

import (
	"time"

	"github.com/ispstack/crm/customer"
)

// Type is the role a contact plays for the customer.
type Type string

// The contact types.
const (
	TypePrimary   Type = "primary"
	TypeBilling   Type = "billing"
	TypeTechnical Type = "technical"
	TypeEmergency Type = "emergency"
)

// Types lists every valid Type.
var Types = []Type{TypePrimary, TypeBilling, TypeTechnical, TypeEmergency}

// Contact is a person to reach about a customer account.
type Contact struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	Mobile     string `json:"mobile"`
	Type       Type   `json:"contact_type"`
	// IsPrimary marks the one contact of its Type the ISP reaches first;
	// at most one contact per customer and Type has it.
	IsPrimary bool `json:"is_primary"`
	// CanAuthorizeChanges says whether the ISP may act on this person's
	// instructions about the account (plan changes, cancellations).
	CanAuthorizeChanges    bool                   `json:"can_authorize_changes"`
	PreferredContactMethod customer.ContactMethod `json:"preferred_contact_method"`
	Notes                  string                 `json:"notes"`
	Version                int64                  `json:"version"`
	CreatedAt              time.Time              `json:"created_at"`
	UpdatedAt              time.Time              `json:"updated_at"`
}
