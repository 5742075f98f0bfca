package analytics

import (
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// InvoiceInput is an invoice as the billing feed sends it. Status defaults
// to open and Delivery to email.
type InvoiceInput struct {
	InvoiceID   string        `json:"invoice_id"`
	IssuedAt    crm.Date      `json:"issued_at"`
	DueDate     crm.Date      `json:"due_date"`
	Amount      *crm.Money    `json:"amount"`
	Status      InvoiceStatus `json:"status,omitempty"`
	Delivery    Delivery      `json:"delivery,omitempty"`
	PeriodStart *crm.Date     `json:"period_start,omitempty"`
	PeriodEnd   *crm.Date     `json:"period_end,omitempty"`
}

// PaymentInput is a payment as the billing feed sends it. Status defaults
// to succeeded.
type PaymentInput struct {
	TransactionID string        `json:"transaction_id"`
	Amount        crm.Money     `json:"amount"`
	PaidAt        time.Time     `json:"paid_at"`
	PaymentMethod PaymentMethod `json:"payment_method"`
	Autopay       bool          `json:"autopay"`
	Status        PaymentStatus `json:"status,omitempty"`
	InvoiceID     string        `json:"invoice_id,omitempty"`
	FailureReason string        `json:"failure_reason,omitempty"`
	Notes         string        `json:"notes,omitempty"`
}

// UsageInput is a day's usage of a service as the network feed sends it.
type UsageInput struct {
	ServiceID     string   `json:"service_id"`
	Date          crm.Date `json:"date"`
	DownloadBytes *int64   `json:"download_bytes"`
	UploadBytes   *int64   `json:"upload_bytes"`
}

// TicketInput is a support ticket as the helpdesk feed sends it. Category
// defaults to other, Priority to normal and Status to open.
type TicketInput struct {
	TicketID     string         `json:"ticket_id"`
	Subject      string         `json:"subject,omitempty"`
	Category     TicketCategory `json:"category,omitempty"`
	Priority     TicketPriority `json:"priority,omitempty"`
	Status       TicketStatus   `json:"status,omitempty"`
	OpenedAt     time.Time      `json:"opened_at"`
	ResolvedAt   *time.Time     `json:"resolved_at,omitempty"`
	Satisfaction *int           `json:"satisfaction,omitempty"`
}

// Field limits, in characters.
const (
	maxSourceID      = 100
	maxSubject       = 200
	maxFailureReason = 200
	maxNotes         = 2000
)

// invoice validates in, recording problems under prefix ("invoices[3]"),
// and returns the normalised record of the customer, created and updated
// at now.
func invoice(p *crm.Problems, prefix, customerID string, now time.Time, in InvoiceInput) Invoice {
	f := fields(prefix)
	v := Invoice{CustomerID: customerID, CreatedAt: now, UpdatedAt: now, IssuedAt: in.IssuedAt, DueDate: in.DueDate,
		Status: orDefault(in.Status, InvoiceOpen), Delivery: orDefault(in.Delivery, DeliveryEmail)}
	v.InvoiceID = valid.Text(p, f("invoice_id"), in.InvoiceID, 1, maxSourceID)
	issued := requiredDate(p, f("issued_at"), in.IssuedAt)
	if requiredDate(p, f("due_date"), in.DueDate) && issued && in.DueDate.Before(in.IssuedAt) {
		p.Add(f("due_date"), "must not be before issued_at")
	}
	switch {
	case in.Amount == nil:
		p.Add(f("amount"), "is required")
	case *in.Amount < 0:
		p.Add(f("amount"), "must not be negative")
	default:
		v.Amount = *in.Amount
	}
	enumOf(p, f("status"), v.Status, InvoiceStatuses)
	enumOf(p, f("delivery"), v.Delivery, Deliveries)
	v.PeriodStart, v.PeriodEnd = optionalDate(p, f("period_start"), in.PeriodStart), optionalDate(p, f("period_end"), in.PeriodEnd)
	if v.PeriodStart != nil && v.PeriodEnd != nil && v.PeriodStart.CheckRange() == nil && v.PeriodEnd.Before(*v.PeriodStart) {
		p.Add(f("period_end"), "must not be before period_start")
	}
	return v
}

// payment validates in as invoice does.
func payment(p *crm.Problems, prefix, customerID string, now time.Time, in PaymentInput) Payment {
	f := fields(prefix)
	v := Payment{CustomerID: customerID, CreatedAt: now, UpdatedAt: now, Amount: in.Amount, PaidAt: crm.StoredTime(in.PaidAt), PaymentMethod: in.PaymentMethod,
		Autopay: in.Autopay, Status: orDefault(in.Status, PaymentSucceeded)}
	v.TransactionID = valid.Text(p, f("transaction_id"), in.TransactionID, 1, maxSourceID)
	if in.Amount <= 0 {
		p.Add(f("amount"), "must be greater than 0")
	}
	requiredTime(p, f("paid_at"), in.PaidAt)
	if !slices.Contains(PaymentMethods, in.PaymentMethod) {
		p.Add(f("payment_method"), valid.EnumMessage(in.PaymentMethod == "", PaymentMethods))
	}
	enumOf(p, f("status"), v.Status, PaymentStatuses)
	v.InvoiceID = valid.Text(p, f("invoice_id"), in.InvoiceID, 0, maxSourceID)
	v.FailureReason = valid.Text(p, f("failure_reason"), in.FailureReason, 0, maxFailureReason)
	v.Notes = valid.Lines(p, f("notes"), in.Notes, 0, maxNotes)
	return v
}

// usage validates in as invoice does, except that whether ServiceID is a
// service of the customer is checked against the store (checkServices).
func usage(p *crm.Problems, prefix, customerID string, now time.Time, in UsageInput) Usage {
	f := fields(prefix)
	v := Usage{CustomerID: customerID, CreatedAt: now, UpdatedAt: now, ServiceID: in.ServiceID, Date: in.Date}
	if in.ServiceID == "" {
		p.Add(f("service_id"), "is required")
	} else if !crm.ValidID(in.ServiceID) {
		p.Add(f("service_id"), "is not a service of this customer")
	}
	requiredDate(p, f("date"), in.Date)
	for _, c := range []struct {
		name string
		in   *int64
		out  *int64
	}{{"download_bytes", in.DownloadBytes, &v.DownloadBytes}, {"upload_bytes", in.UploadBytes, &v.UploadBytes}} {
		switch {
		case c.in == nil:
			p.Add(f(c.name), "is required")
		case *c.in < 0:
			p.Add(f(c.name), "must not be negative")
		default:
			*c.out = *c.in
		}
	}
	return v
}

// ticket validates in as invoice does.
func ticket(p *crm.Problems, prefix, customerID string, now time.Time, in TicketInput) Ticket {
	f := fields(prefix)
	v := Ticket{CustomerID: customerID, CreatedAt: now, UpdatedAt: now, Category: orDefault(in.Category, CategoryOther),
		Priority: orDefault(in.Priority, PriorityNormal), Status: orDefault(in.Status, TicketOpen),
		OpenedAt: crm.StoredTime(in.OpenedAt), Satisfaction: in.Satisfaction}
	v.TicketID = valid.Text(p, f("ticket_id"), in.TicketID, 1, maxSourceID)
	v.Subject = valid.Text(p, f("subject"), in.Subject, 0, maxSubject)
	enumOf(p, f("category"), v.Category, TicketCategories)
	enumOf(p, f("priority"), v.Priority, TicketPriorities)
	enumOf(p, f("status"), v.Status, TicketStatuses)
	opened := requiredTime(p, f("opened_at"), in.OpenedAt)
	if in.ResolvedAt != nil {
		r := crm.StoredTime(*in.ResolvedAt)
		v.ResolvedAt = &r
		if valid.Time(p, f("resolved_at"), r) && opened && r.Before(v.OpenedAt) {
			p.Add(f("resolved_at"), "must not be before opened_at")
		}
	}
	if s := in.Satisfaction; s != nil && (*s < 1 || *s > 5) {
		p.Add(f("satisfaction"), "must be between 1 and 5")
	}
	return v
}

// fields returns the function that names a field of the record at prefix.
func fields(prefix string) func(string) string {
	return func(name string) string { return prefix + "." + name }
}

// orDefault is v, or def when v is empty.
func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

// enumOf checks that v is one of values.
func enumOf[T ~string](p *crm.Problems, field string, v T, values []T) {
	if !slices.Contains(values, v) {
		p.Add(field, valid.EnumMessage(false, values))
	}
}

// requiredDate checks a required date and reports whether it is valid.
func requiredDate(p *crm.Problems, field string, d crm.Date) bool {
	if d.IsZero() {
		p.Add(field, "is required")
		return false
	}
	return valid.Date(p, field, d)
}

// optionalDate checks an optional date and returns a copy of it.
func optionalDate(p *crm.Problems, field string, d *crm.Date) *crm.Date {
	if d == nil {
		return nil
	}
	valid.Date(p, field, *d)
	v := *d
	return &v
}

// requiredTime checks a required time and reports whether it is valid.
func requiredTime(p *crm.Problems, field string, t time.Time) bool {
	if t.IsZero() {
		p.Add(field, "is required")
		return false
	}
	return valid.Time(p, field, t)
}
