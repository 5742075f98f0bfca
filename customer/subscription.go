package customer

import (
	"time"

	"github.com/ispstack/crm"
)

// Technology is the access technology of a service.
type Technology string

// The technologies.
const (
	TechFiber         Technology = "fiber"
	TechDSL           Technology = "dsl"
	TechCable         Technology = "cable"
	TechFixedWireless Technology = "fixed_wireless"
	TechSatellite     Technology = "satellite"
)

// Technologies lists every valid Technology.
var Technologies = []Technology{TechFiber, TechDSL, TechCable, TechFixedWireless, TechSatellite}

// ServiceType is what a service delivers. Only internet access names its
// Technology; for the other types it is optional.
type ServiceType string

// The service types.
const (
	ServiceInternet         ServiceType = "internet"
	ServiceVoice            ServiceType = "voice"
	ServiceTV               ServiceType = "tv"
	ServiceStreaming        ServiceType = "streaming"
	ServiceSecurity         ServiceType = "security"
	ServiceBackup           ServiceType = "backup"
	ServiceDeviceProtection ServiceType = "device_protection"
	ServiceTechSupport      ServiceType = "tech_support"
	ServiceOther            ServiceType = "other"
)

// ServiceTypes lists every valid ServiceType.
var ServiceTypes = []ServiceType{ServiceInternet, ServiceVoice, ServiceTV, ServiceStreaming, ServiceSecurity,
	ServiceBackup, ServiceDeviceProtection, ServiceTechSupport, ServiceOther}

// SubscriptionStatus is the state of one service.
type SubscriptionStatus string

// The service statuses. Only active services count towards monthly recurring
// revenue and block the deletion of their customer.
const (
	SubscriptionPending   SubscriptionStatus = "pending"
	SubscriptionActive    SubscriptionStatus = "active"
	SubscriptionSuspended SubscriptionStatus = "suspended"
	SubscriptionCancelled SubscriptionStatus = "cancelled"
)

// SubscriptionStatuses lists every valid SubscriptionStatus.
var SubscriptionStatuses = []SubscriptionStatus{SubscriptionPending, SubscriptionActive, SubscriptionSuspended, SubscriptionCancelled}

// ContractTerm is the commitment of a service.
type ContractTerm string

// The contract terms.
const (
	TermMonthToMonth ContractTerm = "month_to_month"
	TermOneYear      ContractTerm = "one_year"
	TermTwoYear      ContractTerm = "two_year"
)

// ContractTerms lists every valid ContractTerm.
var ContractTerms = []ContractTerm{TermMonthToMonth, TermOneYear, TermTwoYear}

// Subscription is one service the ISP delivers to a customer (the API calls
// these "services"). It is a read model fed by the provisioning and billing
// systems; start dates may lie in the past so an ISP can load its history.
// Technology is empty, and absent from the JSON, when a service other than
// internet access names none.
type Subscription struct {
	ID                string             `json:"id"`
	CustomerID        string             `json:"customer_id"`
	PlanName          string             `json:"plan_name"`
	ServiceType       ServiceType        `json:"service_type"`
	Technology        Technology         `json:"technology,omitempty"`
	Status            SubscriptionStatus `json:"status"`
	MonthlyPrice      crm.Money          `json:"monthly_price"`
	ContractTerm      ContractTerm       `json:"contract_term"`
	StartDate         crm.Date           `json:"start_date"`
	EndDate           *crm.Date          `json:"end_date"`
	BandwidthDownMbps int                `json:"bandwidth_down_mbps"`
	BandwidthUpMbps   int                `json:"bandwidth_up_mbps"`
	ServiceAddress    *Address           `json:"service_address"`
	// SuspendedWithCustomer marks a service that was suspended because its
	// customer was; reactivating the customer restores exactly these.
	SuspendedWithCustomer bool      `json:"-"`
	Version               int64     `json:"version"`
	CreatedAt             time.Time `json:"created_at"`
	UpdatedAt             time.Time `json:"updated_at"`
}
