package analytics

import (
	"time"

	"github.com/ispstack/crm"
)

// InvoiceStatus is the state of an invoice in the billing system.
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceOpen          InvoiceStatus = "open"
	InvoicePaid          InvoiceStatus = "paid"
	InvoiceVoid          InvoiceStatus = "void"
	InvoiceUncollectible InvoiceStatus = "uncollectible"
)

// InvoiceStatuses lists every valid InvoiceStatus.
var InvoiceStatuses = []InvoiceStatus{InvoiceOpen, InvoicePaid, InvoiceVoid, InvoiceUncollectible}

// Delivery is how an invoice reaches the customer.
type Delivery string

// The deliveries; email is paperless billing.
const (
	DeliveryEmail  Delivery = "email"
	DeliveryPostal Delivery = "postal"
)

// Deliveries lists every valid Delivery.
var Deliveries = []Delivery{DeliveryEmail, DeliveryPostal}

// PaymentMethod is how a payment was made.
type PaymentMethod string

// The payment methods.
const (
	MethodCreditCard      PaymentMethod = "credit_card"
	MethodDebitCard       PaymentMethod = "debit_card"
	MethodBankTransfer    PaymentMethod = "bank_transfer"
	MethodElectronicCheck PaymentMethod = "electronic_check"
	MethodCheck           PaymentMethod = "check"
	MethodCash            PaymentMethod = "cash"
	MethodOther           PaymentMethod = "other"
)

// PaymentMethods lists every valid PaymentMethod.
var PaymentMethods = []PaymentMethod{MethodCreditCard, MethodDebitCard, MethodBankTransfer,
	MethodElectronicCheck, MethodCheck, MethodCash, MethodOther}

// PaymentStatus is the outcome of a payment. A refunded record is a refund:
// a record of its own, with its own transaction id, whose amount went back
// to the customer.
type PaymentStatus string

// The payment statuses.
const (
	PaymentSucceeded PaymentStatus = "succeeded"
	PaymentFailed    PaymentStatus = "failed"
	PaymentRefunded  PaymentStatus = "refunded"
	PaymentPending   PaymentStatus = "pending"
)

// PaymentStatuses lists every valid PaymentStatus.
var PaymentStatuses = []PaymentStatus{PaymentSucceeded, PaymentFailed, PaymentRefunded, PaymentPending}

// TicketCategory is what a support ticket is about.
type TicketCategory string

// The ticket categories.
const (
	CategoryBilling      TicketCategory = "billing"
	CategoryTechnical    TicketCategory = "technical"
	CategoryOutage       TicketCategory = "outage"
	CategoryInstallation TicketCategory = "installation"
	CategoryAccount      TicketCategory = "account"
	CategoryOther        TicketCategory = "other"
)

// TicketCategories lists every valid TicketCategory.
var TicketCategories = []TicketCategory{CategoryBilling, CategoryTechnical, CategoryOutage,
	CategoryInstallation, CategoryAccount, CategoryOther}

// TicketPriority is the urgency of a support ticket.
type TicketPriority string

// The ticket priorities.
const (
	PriorityLow    TicketPriority = "low"
	PriorityNormal TicketPriority = "normal"
	PriorityHigh   TicketPriority = "high"
	PriorityUrgent TicketPriority = "urgent"
)

// TicketPriorities lists every valid TicketPriority.
var TicketPriorities = []TicketPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// TicketStatus is the state of a support ticket.
type TicketStatus string

// The ticket statuses.
const (
	TicketOpen     TicketStatus = "open"
	TicketPending  TicketStatus = "pending"
	TicketResolved TicketStatus = "resolved"
	TicketClosed   TicketStatus = "closed"
)

// TicketStatuses lists every valid TicketStatus.
var TicketStatuses = []TicketStatus{TicketOpen, TicketPending, TicketResolved, TicketClosed}

// Invoice is an invoice of the billing system, keyed by its InvoiceID
// within the customer.
type Invoice struct {
	CustomerID  string        `json:"customer_id"`
	InvoiceID   string        `json:"invoice_id"`
	IssuedAt    crm.Date      `json:"issued_at"`
	DueDate     crm.Date      `json:"due_date"`
	Amount      crm.Money     `json:"amount"`
	Status      InvoiceStatus `json:"status"`
	Delivery    Delivery      `json:"delivery"`
	PeriodStart *crm.Date     `json:"period_start"`
	PeriodEnd   *crm.Date     `json:"period_end"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Payment is a payment (or, with status refunded, a refund) of the billing
// system, keyed by its TransactionID within the customer.
type Payment struct {
	CustomerID    string        `json:"customer_id"`
	TransactionID string        `json:"transaction_id"`
	Amount        crm.Money     `json:"amount"`
	PaidAt        time.Time     `json:"paid_at"`
	PaymentMethod PaymentMethod `json:"payment_method"`
	Autopay       bool          `json:"autopay"`
	Status        PaymentStatus `json:"status"`
	// InvoiceID is the source id of the invoice paid; "" when none.
	InvoiceID     string    `json:"invoice_id"`
	FailureReason string    `json:"failure_reason"`
	Notes         string    `json:"notes"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Usage is one day's traffic of one service of the customer, keyed by
// (ServiceID, Date).
type Usage struct {
	CustomerID    string    `json:"customer_id"`
	ServiceID     string    `json:"service_id"`
	Date          crm.Date  `json:"date"`
	DownloadBytes int64     `json:"download_bytes"`
	UploadBytes   int64     `json:"upload_bytes"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Ticket is a support ticket of the helpdesk, keyed by its TicketID within
// the customer.
type Ticket struct {
	CustomerID string         `json:"customer_id"`
	TicketID   string         `json:"ticket_id"`
	Subject    string         `json:"subject"`
	Category   TicketCategory `json:"category"`
	Priority   TicketPriority `json:"priority"`
	Status     TicketStatus   `json:"status"`
	OpenedAt   time.Time      `json:"opened_at"`
	ResolvedAt *time.Time     `json:"resolved_at"`
	// Satisfaction is the customer's rating, 1 to 5; nil when not rated.
	Satisfaction *int      `json:"satisfaction"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Counts is the result of ingesting a batch: how many records were new,
// how many replaced a stored record with other fields, and how many were
// already stored as they are.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Outcome is what upserting one record did.
type Outcome int8

// The outcomes of an upsert.
const (
	Created Outcome = iota + 1
	Updated
	Unchanged
)
