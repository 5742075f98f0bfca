package analytics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/store/memstore"
)

// field is the one field error a bad record at index 1 must produce.
type field struct{ name, message string }

// wantInvalid checks that err is invalid naming exactly want.
func wantInvalid(t *testing.T, err error, want ...crm.FieldError) {
	t.Helper()
	if crm.ErrorCode(err) != crm.CodeInvalid {
		t.Fatalf("error = %v, want invalid", err)
	}
	if diff := cmp.Diff(want, crm.ErrorFields(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestInvoiceRules checks every rule of an invoice, named by its index in
// the batch, and that a bad batch writes nothing.
func TestInvoiceRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(v *analytics.InvoiceInput)
		want   field
	}{
		{"no invoice_id", func(v *analytics.InvoiceInput) { v.InvoiceID = "  " }, field{"invoice_id", "is required"}},
		{"long invoice_id", func(v *analytics.InvoiceInput) { v.InvoiceID = strings.Repeat("x", 101) }, field{"invoice_id", "must be between 1 and 100 characters"}},
		{"control character in invoice_id", func(v *analytics.InvoiceInput) { v.InvoiceID = "INV\x00" }, field{"invoice_id", "must not contain control characters"}},
		{"no issued_at", func(v *analytics.InvoiceInput) { v.IssuedAt = crm.Date{} }, field{"issued_at", "is required"}},
		{"issued_at before 1900", func(v *analytics.InvoiceInput) { v.IssuedAt = date(1899, time.December, 31) }, field{"issued_at", "must be between 1900-01-01 and 2100-12-31"}},
		{"no due_date", func(v *analytics.InvoiceInput) { v.DueDate = crm.Date{} }, field{"due_date", "is required"}},
		{"due_date before issued_at", func(v *analytics.InvoiceInput) { v.DueDate = date(2024, time.February, 29) }, field{"due_date", "must not be before issued_at"}},
		{"no amount", func(v *analytics.InvoiceInput) { v.Amount = nil }, field{"amount", "is required"}},
		{"negative amount", func(v *analytics.InvoiceInput) { v.Amount = ptr(crm.Money(-1)) }, field{"amount", "must not be negative"}},
		{"unknown status", func(v *analytics.InvoiceInput) { v.Status = "draft" }, field{"status", "must be one of open, paid, void, uncollectible"}},
		{"unknown delivery", func(v *analytics.InvoiceInput) { v.Delivery = "fax" }, field{"delivery", "must be one of email, postal"}},
		{"period_start after 2100", func(v *analytics.InvoiceInput) { v.PeriodStart = ptr(date(2101, time.January, 1)) }, field{"period_start", "must be between 1900-01-01 and 2100-12-31"}},
		{"period_end before period_start", func(v *analytics.InvoiceInput) { v.PeriodEnd = ptr(date(2024, time.February, 1)) }, field{"period_end", "must not be before period_start"}},
		{"repeated invoice_id", func(v *analytics.InvoiceInput) { v.InvoiceID = "INV-0" }, field{"invoice_id", "repeats invoices[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, memstore.New())
			bad := validInvoice("INV-1")
			tt.change(&bad)
			_, err := f.svc.IngestInvoices(t.Context(), f.c.ID, []analytics.InvoiceInput{validInvoice("INV-0"), bad, validInvoice("INV-2")})
			wantInvalid(t, err, crm.FieldError{Field: "invoices[1]." + tt.want.name, Message: tt.want.message})
			if got, _ := f.st.ListInvoices(t.Context(), f.c.ID, nil, 0); len(got) != 0 {
				t.Errorf("a bad batch stored %d invoices", len(got))
			}
		})
	}
}

// TestPaymentRules checks every rule of a payment as TestInvoiceRules does.
func TestPaymentRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(v *analytics.PaymentInput)
		want   field
	}{
		{"no transaction_id", func(v *analytics.PaymentInput) { v.TransactionID = "" }, field{"transaction_id", "is required"}},
		{"zero amount", func(v *analytics.PaymentInput) { v.Amount = 0 }, field{"amount", "must be greater than 0"}},
		{"negative amount", func(v *analytics.PaymentInput) { v.Amount = -5 }, field{"amount", "must be greater than 0"}},
		{"no paid_at", func(v *analytics.PaymentInput) { v.PaidAt = time.Time{} }, field{"paid_at", "is required"}},
		{"paid_at after 2100", func(v *analytics.PaymentInput) { v.PaidAt = time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC) }, field{"paid_at", "must be between 1900-01-01 and 2100-12-31"}},
		{"no payment_method", func(v *analytics.PaymentInput) { v.PaymentMethod = "" }, field{"payment_method", "is required (one of credit_card, debit_card, bank_transfer, electronic_check, check, cash, other)"}},
		{"unknown payment_method", func(v *analytics.PaymentInput) { v.PaymentMethod = "barter" }, field{"payment_method", "must be one of credit_card, debit_card, bank_transfer, electronic_check, check, cash, other"}},
		{"unknown status", func(v *analytics.PaymentInput) { v.Status = "lost" }, field{"status", "must be one of succeeded, failed, refunded, pending"}},
		{"long invoice_id", func(v *analytics.PaymentInput) { v.InvoiceID = strings.Repeat("x", 101) }, field{"invoice_id", "must be between 0 and 100 characters"}},
		{"bidi control in failure_reason", func(v *analytics.PaymentInput) { v.FailureReason = "card\u202edeclined" }, field{"failure_reason", "must not contain bidirectional control characters"}},
		{"long notes", func(v *analytics.PaymentInput) { v.Notes = strings.Repeat("x", 2001) }, field{"notes", "must be between 0 and 2000 characters"}},
		{"repeated transaction_id", func(v *analytics.PaymentInput) { v.TransactionID = "TX-0" }, field{"transaction_id", "repeats payments[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, memstore.New())
			bad := validPayment("TX-1")
			tt.change(&bad)
			_, err := f.svc.IngestPayments(t.Context(), f.c.ID, []analytics.PaymentInput{validPayment("TX-0"), bad})
			wantInvalid(t, err, crm.FieldError{Field: "payments[1]." + tt.want.name, Message: tt.want.message})
			if got, _ := f.st.ListPayments(t.Context(), f.c.ID); len(got) != 0 {
				t.Errorf("a bad batch stored %d payments", len(got))
			}
		})
	}
}

// TestUsageRules checks every rule of a usage record as TestInvoiceRules
// does, the service of another customer included.
func TestUsageRules(t *testing.T) {
	other := newFixture(t, memstore.New()).sub.ID // a service id, not of this store's customer
	tests := []struct {
		name   string
		change func(v *analytics.UsageInput)
		want   field
	}{
		{"no service_id", func(v *analytics.UsageInput) { v.ServiceID = "" }, field{"service_id", "is required"}},
		{"service_id not an id", func(v *analytics.UsageInput) { v.ServiceID = "svc-1" }, field{"service_id", "is not a service of this customer"}},
		{"another customer's service", func(v *analytics.UsageInput) { v.ServiceID = other }, field{"service_id", "is not a service of this customer"}},
		{"no date", func(v *analytics.UsageInput) { v.Date = crm.Date{} }, field{"date", "is required"}},
		{"date before 1900", func(v *analytics.UsageInput) { v.Date = date(1800, time.January, 1) }, field{"date", "must be between 1900-01-01 and 2100-12-31"}},
		{"no download_bytes", func(v *analytics.UsageInput) { v.DownloadBytes = nil }, field{"download_bytes", "is required"}},
		{"negative download_bytes", func(v *analytics.UsageInput) { v.DownloadBytes = ptr(int64(-1)) }, field{"download_bytes", "must not be negative"}},
		{"no upload_bytes", func(v *analytics.UsageInput) { v.UploadBytes = nil }, field{"upload_bytes", "is required"}},
		{"negative upload_bytes", func(v *analytics.UsageInput) { v.UploadBytes = ptr(int64(-1)) }, field{"upload_bytes", "must not be negative"}},
		{"repeated service and date", func(v *analytics.UsageInput) { v.Date = date(2024, time.March, 1) }, field{"date", "repeats usage[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, memstore.New())
			bad := validUsage(f.sub.ID, date(2024, time.March, 2))
			tt.change(&bad)
			_, err := f.svc.IngestUsage(t.Context(), f.c.ID, []analytics.UsageInput{validUsage(f.sub.ID, date(2024, time.March, 1)), bad})
			wantInvalid(t, err, crm.FieldError{Field: "usage[1]." + tt.want.name, Message: tt.want.message})
			if got, _ := f.st.ListUsage(t.Context(), f.c.ID); len(got) != 0 {
				t.Errorf("a bad batch stored %d usage records", len(got))
			}
		})
	}
}

// TestTicketRules checks every rule of a ticket as TestInvoiceRules does.
func TestTicketRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(v *analytics.TicketInput)
		want   field
	}{
		{"no ticket_id", func(v *analytics.TicketInput) { v.TicketID = "" }, field{"ticket_id", "is required"}},
		{"long subject", func(v *analytics.TicketInput) { v.Subject = strings.Repeat("x", 201) }, field{"subject", "must be between 0 and 200 characters"}},
		{"line break in subject", func(v *analytics.TicketInput) { v.Subject = "a\nb" }, field{"subject", "must not contain control characters"}},
		{"unknown category", func(v *analytics.TicketInput) { v.Category = "sales" }, field{"category", "must be one of billing, technical, outage, installation, account, other"}},
		{"unknown priority", func(v *analytics.TicketInput) { v.Priority = "critical" }, field{"priority", "must be one of low, normal, high, urgent"}},
		{"unknown status", func(v *analytics.TicketInput) { v.Status = "new" }, field{"status", "must be one of open, pending, resolved, closed"}},
		{"no opened_at", func(v *analytics.TicketInput) { v.OpenedAt = time.Time{} }, field{"opened_at", "is required"}},
		{"resolved_at before opened_at", func(v *analytics.TicketInput) { v.ResolvedAt = ptr(v.OpenedAt.Add(-time.Second)) }, field{"resolved_at", "must not be before opened_at"}},
		{"resolved_at after 2100", func(v *analytics.TicketInput) { v.ResolvedAt = ptr(time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC)) }, field{"resolved_at", "must be between 1900-01-01 and 2100-12-31"}},
		{"satisfaction 0", func(v *analytics.TicketInput) { v.Satisfaction = ptr(0) }, field{"satisfaction", "must be between 1 and 5"}},
		{"satisfaction 6", func(v *analytics.TicketInput) { v.Satisfaction = ptr(6) }, field{"satisfaction", "must be between 1 and 5"}},
		{"repeated ticket_id", func(v *analytics.TicketInput) { v.TicketID = "T-0" }, field{"ticket_id", "repeats tickets[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, memstore.New())
			bad := validTicket("T-1")
			tt.change(&bad)
			_, err := f.svc.IngestTickets(t.Context(), f.c.ID, []analytics.TicketInput{validTicket("T-0"), bad})
			wantInvalid(t, err, crm.FieldError{Field: "tickets[1]." + tt.want.name, Message: tt.want.message})
			if got, _ := f.st.ListTickets(t.Context(), f.c.ID); len(got) != 0 {
				t.Errorf("a bad batch stored %d tickets", len(got))
			}
		})
	}
}

// TestBatchSize checks the 1 to 1,000 records of a batch.
func TestBatchSize(t *testing.T) {
	f := newFixture(t, memstore.New())
	_, err := f.svc.IngestInvoices(t.Context(), f.c.ID, nil)
	wantInvalid(t, err, crm.FieldError{Field: "invoices", Message: "must hold 1 to 1000 records"})
	_, err = f.svc.IngestTickets(t.Context(), f.c.ID, make([]analytics.TicketInput, analytics.MaxBatch+1))
	wantInvalid(t, err, crm.FieldError{Field: "tickets", Message: "must hold 1 to 1000 records"})
}

// TestDefaults checks the defaults of the enums a feed may leave out and
// the normalisation of text and times.
func TestDefaults(t *testing.T) {
	f := newFixture(t, memstore.New())
	ctx := t.Context()
	east := time.FixedZone("EST", -5*3600)
	in := validInvoice(" INV-1 ")
	in.Status, in.Delivery, in.PeriodStart, in.PeriodEnd = "", "", nil, nil
	p := analytics.PaymentInput{TransactionID: "TX-1", Amount: 1, PaidAt: time.Date(2024, 3, 8, 5, 0, 0, 1500, east), PaymentMethod: analytics.MethodCash}
	tk := analytics.TicketInput{TicketID: "T-1", OpenedAt: time.Date(2024, 3, 8, 5, 0, 0, 0, east)}
	if _, err := f.svc.IngestInvoices(ctx, f.c.ID, []analytics.InvoiceInput{in}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.IngestPayments(ctx, f.c.ID, []analytics.PaymentInput{p}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.IngestTickets(ctx, f.c.ID, []analytics.TicketInput{tk}); err != nil {
		t.Fatal(err)
	}
	invoices, _ := f.st.ListInvoices(ctx, f.c.ID, nil, 0)
	payments, _ := f.st.ListPayments(ctx, f.c.ID)
	tickets, _ := f.st.ListTickets(ctx, f.c.ID)
	wantInvoices := []analytics.Invoice{{CustomerID: f.c.ID, InvoiceID: "INV-1", IssuedAt: in.IssuedAt, DueDate: in.DueDate,
		Amount: 4999, Status: analytics.InvoiceOpen, Delivery: analytics.DeliveryEmail, CreatedAt: now, UpdatedAt: now}}
	wantPayments := []analytics.Payment{{CustomerID: f.c.ID, TransactionID: "TX-1", Amount: 1,
		PaidAt: time.Date(2024, 3, 8, 10, 0, 0, 1000, time.UTC), PaymentMethod: analytics.MethodCash,
		Status: analytics.PaymentSucceeded, CreatedAt: now, UpdatedAt: now}}
	wantTickets := []analytics.Ticket{{CustomerID: f.c.ID, TicketID: "T-1", Category: analytics.CategoryOther,
		Priority: analytics.PriorityNormal, Status: analytics.TicketOpen, OpenedAt: time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC),
		CreatedAt: now, UpdatedAt: now}}
	if diff := cmp.Diff(wantInvoices, invoices); diff != "" {
		t.Errorf("invoices (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantPayments, payments); diff != "" {
		t.Errorf("payments (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantTickets, tickets); diff != "" {
		t.Errorf("tickets (-want +got):\n%s", diff)
	}
}
