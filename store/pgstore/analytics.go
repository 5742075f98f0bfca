package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// The analytics feeds are upserted a batch per statement: the batch goes in
// as one jsonb array, unpacked by jsonb_to_recordset, and INSERT … ON
// CONFLICT (customer_id, source id) DO UPDATE … WHERE the row differs
// writes only new and changed records. RETURNING names each written record
// with whether it was inserted (xmax = 0 on a freshly inserted row); a
// record it does not name was unchanged. So the counts come from the one
// statement, with no read before it.

const (
	upsertInvoicesSQL = `INSERT INTO invoices AS t (customer_id, invoice_id, issued_at, due_date, amount, status, delivery,
		period_start, period_end, created_at, updated_at)
	SELECT $1::text, r.invoice_id, r.issued_at, r.due_date, r.amount, r.status, r.delivery,
		r.period_start, r.period_end, r.created_at, r.updated_at
	FROM jsonb_to_recordset($2::jsonb) AS r(invoice_id text, issued_at date, due_date date, amount bigint, status text,
		delivery text, period_start date, period_end date, created_at timestamptz, updated_at timestamptz)
	ON CONFLICT (customer_id, invoice_id) DO UPDATE SET issued_at = EXCLUDED.issued_at, due_date = EXCLUDED.due_date,
		amount = EXCLUDED.amount, status = EXCLUDED.status, delivery = EXCLUDED.delivery,
		period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, updated_at = EXCLUDED.updated_at
	WHERE (t.issued_at, t.due_date, t.amount, t.status, t.delivery, t.period_start, t.period_end)
		IS DISTINCT FROM (EXCLUDED.issued_at, EXCLUDED.due_date, EXCLUDED.amount, EXCLUDED.status, EXCLUDED.delivery,
		EXCLUDED.period_start, EXCLUDED.period_end)
	RETURNING t.invoice_id, t.xmax = 0`
	upsertPaymentsSQL = `INSERT INTO payments AS t (customer_id, transaction_id, amount, paid_at, payment_method, autopay,
		status, invoice_id, failure_reason, notes, created_at, updated_at)
	SELECT $1::text, r.transaction_id, r.amount, r.paid_at, r.payment_method, r.autopay,
		r.status, r.invoice_id, r.failure_reason, r.notes, r.created_at, r.updated_at
	FROM jsonb_to_recordset($2::jsonb) AS r(transaction_id text, amount bigint, paid_at timestamptz, payment_method text,
		autopay boolean, status text, invoice_id text, failure_reason text, notes text, created_at timestamptz, updated_at timestamptz)
	ON CONFLICT (customer_id, transaction_id) DO UPDATE SET amount = EXCLUDED.amount, paid_at = EXCLUDED.paid_at,
		payment_method = EXCLUDED.payment_method, autopay = EXCLUDED.autopay, status = EXCLUDED.status,
		invoice_id = EXCLUDED.invoice_id, failure_reason = EXCLUDED.failure_reason, notes = EXCLUDED.notes,
		updated_at = EXCLUDED.updated_at
	WHERE (t.amount, t.paid_at, t.payment_method, t.autopay, t.status, t.invoice_id, t.failure_reason, t.notes)
		IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.paid_at, EXCLUDED.payment_method, EXCLUDED.autopay, EXCLUDED.status,
		EXCLUDED.invoice_id, EXCLUDED.failure_reason, EXCLUDED.notes)
	RETURNING t.transaction_id, t.xmax = 0`
	upsertUsageSQL = `INSERT INTO usage_days AS t (customer_id, service_id, day, download_bytes, upload_bytes, created_at, updated_at)
	SELECT $1::text, r.service_id, r.day, r.download_bytes, r.upload_bytes, r.created_at, r.updated_at
	FROM jsonb_to_recordset($2::jsonb) AS r(service_id text, day date, download_bytes bigint, upload_bytes bigint,
		created_at timestamptz, updated_at timestamptz)
	ON CONFLICT (customer_id, service_id, day) DO UPDATE SET download_bytes = EXCLUDED.download_bytes,
		upload_bytes = EXCLUDED.upload_bytes, updated_at = EXCLUDED.updated_at
	WHERE (t.download_bytes, t.upload_bytes) IS DISTINCT FROM (EXCLUDED.download_bytes, EXCLUDED.upload_bytes)
	RETURNING t.service_id || ' ' || to_char(t.day, 'YYYY-MM-DD'), t.xmax = 0`
	upsertTicketsSQL = `INSERT INTO tickets AS t (customer_id, ticket_id, subject, category, priority, status, opened_at,
		resolved_at, satisfaction, created_at, updated_at)
	SELECT $1::text, r.ticket_id, r.subject, r.category, r.priority, r.status, r.opened_at,
		r.resolved_at, r.satisfaction, r.created_at, r.updated_at
	FROM jsonb_to_recordset($2::jsonb) AS r(ticket_id text, subject text, category text, priority text, status text,
		opened_at timestamptz, resolved_at timestamptz, satisfaction smallint, created_at timestamptz, updated_at timestamptz)
	ON CONFLICT (customer_id, ticket_id) DO UPDATE SET subject = EXCLUDED.subject, category = EXCLUDED.category,
		priority = EXCLUDED.priority, status = EXCLUDED.status, opened_at = EXCLUDED.opened_at,
		resolved_at = EXCLUDED.resolved_at, satisfaction = EXCLUDED.satisfaction, updated_at = EXCLUDED.updated_at
	WHERE (t.subject, t.category, t.priority, t.status, t.opened_at, t.resolved_at, t.satisfaction)
		IS DISTINCT FROM (EXCLUDED.subject, EXCLUDED.category, EXCLUDED.priority, EXCLUDED.status, EXCLUDED.opened_at,
		EXCLUDED.resolved_at, EXCLUDED.satisfaction)
	RETURNING t.ticket_id, t.xmax = 0`

	invoiceColumns = `customer_id, invoice_id, issued_at, due_date, amount, status, delivery, period_start, period_end,
		created_at, updated_at`
	listInvoicesSQL = `SELECT ` + invoiceColumns + ` FROM invoices WHERE customer_id = $1
		ORDER BY issued_at DESC, invoice_id DESC LIMIT $2`
	listInvoicesAfterSQL = `SELECT ` + invoiceColumns + ` FROM invoices WHERE customer_id = $1
		AND (issued_at, invoice_id) < ($3::date, $4::text)
		ORDER BY issued_at DESC, invoice_id DESC LIMIT $2`
	paymentColumns = `customer_id, transaction_id, amount, paid_at, payment_method, autopay, status, invoice_id,
		failure_reason, notes, created_at, updated_at`
	listPaymentsSQL = `SELECT ` + paymentColumns + ` FROM payments WHERE customer_id = $1
		ORDER BY paid_at DESC, transaction_id DESC`
	usageColumns  = `customer_id, service_id, day, download_bytes, upload_bytes, created_at, updated_at`
	listUsageSQL  = `SELECT ` + usageColumns + ` FROM usage_days WHERE customer_id = $1 ORDER BY day, service_id`
	ticketColumns = `customer_id, ticket_id, subject, category, priority, status, opened_at, resolved_at, satisfaction,
		created_at, updated_at`
	redactTicketSubjectsSQL = `UPDATE tickets SET subject = $2 WHERE customer_id = $1 AND subject <> ''`
	redactPaymentNotesSQL   = `UPDATE payments SET notes = $2 WHERE customer_id = $1 AND notes <> ''`
)

// upsertFeed runs an upsert statement over the JSON of rows for the
// customer and returns the outcome of each record, whose keys, in order,
// are keys (as the statement's RETURNING writes them).
func (s *Store) upsertFeed(ctx context.Context, op, query, customerID string, rows any, keys []string) ([]analytics.Outcome, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, crm.Wrap(err, crm.CodeInternal, op)
	}
	h := s.use(ctx)
	defer h.release()
	r, err := h.q.QueryContext(ctx, query, customerID, string(b))
	if err != nil {
		return nil, s.mapErr(err, op)
	}
	defer r.Close()
	written := make(map[string]bool, len(keys))
	for r.Next() {
		var k string
		var inserted bool
		if err := r.Scan(&k, &inserted); err != nil {
			return nil, s.mapErr(err, op)
		}
		written[k] = inserted
	}
	if err := r.Err(); err != nil {
		return nil, s.mapErr(err, op)
	}
	out := make([]analytics.Outcome, len(keys))
	for i, k := range keys {
		switch inserted, ok := written[k]; {
		case !ok:
			out[i] = analytics.Unchanged
		case inserted:
			out[i] = analytics.Created
		default:
			out[i] = analytics.Updated
		}
	}
	return out, nil
}

// invoiceJSON is an invoice as upsertInvoicesSQL reads it.
type invoiceJSON struct {
	InvoiceID   string    `json:"invoice_id"`
	IssuedAt    crm.Date  `json:"issued_at"`
	DueDate     crm.Date  `json:"due_date"`
	Amount      int64     `json:"amount"`
	Status      string    `json:"status"`
	Delivery    string    `json:"delivery"`
	PeriodStart *crm.Date `json:"period_start"`
	PeriodEnd   *crm.Date `json:"period_end"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// UpsertInvoices upserts the customer's invoices by InvoiceID.
func (s *Store) UpsertInvoices(ctx context.Context, customerID string, v []analytics.Invoice) ([]analytics.Outcome, error) {
	rows, keys := make([]invoiceJSON, len(v)), make([]string, len(v))
	for i, x := range v {
		rows[i] = invoiceJSON{x.InvoiceID, x.IssuedAt, x.DueDate, int64(x.Amount), string(x.Status), string(x.Delivery),
			x.PeriodStart, x.PeriodEnd, ts(x.CreatedAt), ts(x.UpdatedAt)}
		keys[i] = x.InvoiceID
	}
	return s.upsertFeed(ctx, "upsert invoices", upsertInvoicesSQL, customerID, rows, keys)
}

// paymentJSON is a payment as upsertPaymentsSQL reads it.
type paymentJSON struct {
	TransactionID string    `json:"transaction_id"`
	Amount        int64     `json:"amount"`
	PaidAt        time.Time `json:"paid_at"`
	PaymentMethod string    `json:"payment_method"`
	Autopay       bool      `json:"autopay"`
	Status        string    `json:"status"`
	InvoiceID     string    `json:"invoice_id"`
	FailureReason string    `json:"failure_reason"`
	Notes         string    `json:"notes"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// UpsertPayments upserts the customer's payments by TransactionID.
func (s *Store) UpsertPayments(ctx context.Context, customerID string, v []analytics.Payment) ([]analytics.Outcome, error) {
	rows, keys := make([]paymentJSON, len(v)), make([]string, len(v))
	for i, x := range v {
		rows[i] = paymentJSON{x.TransactionID, int64(x.Amount), ts(x.PaidAt), string(x.PaymentMethod), x.Autopay,
			string(x.Status), x.InvoiceID, x.FailureReason, x.Notes, ts(x.CreatedAt), ts(x.UpdatedAt)}
		keys[i] = x.TransactionID
	}
	return s.upsertFeed(ctx, "upsert payments", upsertPaymentsSQL, customerID, rows, keys)
}

// usageJSON is a usage record as upsertUsageSQL reads it.
type usageJSON struct {
	ServiceID     string    `json:"service_id"`
	Day           crm.Date  `json:"day"`
	DownloadBytes int64     `json:"download_bytes"`
	UploadBytes   int64     `json:"upload_bytes"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// UpsertUsage upserts the customer's usage by service and date.
func (s *Store) UpsertUsage(ctx context.Context, customerID string, v []analytics.Usage) ([]analytics.Outcome, error) {
	rows, keys := make([]usageJSON, len(v)), make([]string, len(v))
	for i, x := range v {
		rows[i] = usageJSON{x.ServiceID, x.Date, x.DownloadBytes, x.UploadBytes, ts(x.CreatedAt), ts(x.UpdatedAt)}
		keys[i] = x.ServiceID + " " + x.Date.String()
	}
	return s.upsertFeed(ctx, "upsert usage", upsertUsageSQL, customerID, rows, keys)
}

// ticketJSON is a ticket as upsertTicketsSQL reads it.
type ticketJSON struct {
	TicketID     string     `json:"ticket_id"`
	Subject      string     `json:"subject"`
	Category     string     `json:"category"`
	Priority     string     `json:"priority"`
	Status       string     `json:"status"`
	OpenedAt     time.Time  `json:"opened_at"`
	ResolvedAt   *time.Time `json:"resolved_at"`
	Satisfaction *int       `json:"satisfaction"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// UpsertTickets upserts the customer's tickets by TicketID.
func (s *Store) UpsertTickets(ctx context.Context, customerID string, v []analytics.Ticket) ([]analytics.Outcome, error) {
	rows, keys := make([]ticketJSON, len(v)), make([]string, len(v))
	for i, x := range v {
		var resolved *time.Time
		if x.ResolvedAt != nil {
			r := ts(*x.ResolvedAt)
			resolved = &r
		}
		rows[i] = ticketJSON{x.TicketID, x.Subject, string(x.Category), string(x.Priority), string(x.Status),
			ts(x.OpenedAt), resolved, x.Satisfaction, ts(x.CreatedAt), ts(x.UpdatedAt)}
		keys[i] = x.TicketID
	}
	return s.upsertFeed(ctx, "upsert tickets", upsertTicketsSQL, customerID, rows, keys)
}

// ListInvoices returns up to limit invoices of the customer, newest first,
// strictly after the invoice at after.
func (s *Store) ListInvoices(ctx context.Context, customerID string, after *analytics.InvoiceKey, limit int) ([]analytics.Invoice, error) {
	if after == nil {
		return listRecords[analytics.Invoice, invoiceRow](ctx, s, "list invoices", listInvoicesSQL, customerID, limitArg(limit))
	}
	return listRecords[analytics.Invoice, invoiceRow](ctx, s, "list invoices", listInvoicesAfterSQL,
		customerID, limitArg(limit), after.IssuedAt.Time(), after.InvoiceID)
}

// ListPayments returns the customer's payments, newest first.
func (s *Store) ListPayments(ctx context.Context, customerID string) ([]analytics.Payment, error) {
	return listRecords[analytics.Payment, paymentRow](ctx, s, "list payments", listPaymentsSQL, customerID)
}

// ListUsage returns the customer's usage by date, then service.
func (s *Store) ListUsage(ctx context.Context, customerID string) ([]analytics.Usage, error) {
	return listRecords[analytics.Usage, usageRow](ctx, s, "list usage", listUsageSQL, customerID)
}

// ListTickets returns the customer's tickets, newest first.
func (s *Store) ListTickets(ctx context.Context, customerID string) ([]analytics.Ticket, error) {
	return s.LatestTickets(ctx, customerID, 0)
}

// RedactTicketSubjects replaces the non-empty subjects of the customer's
// tickets with crm.Redacted.
func (s *Store) RedactTicketSubjects(ctx context.Context, customerID string) error {
	return s.exec(ctx, "redact ticket subjects", redactTicketSubjectsSQL, customerID, crm.Redacted)
}

// RedactPaymentNotes replaces the non-empty notes of the customer's
// payments with crm.Redacted.
func (s *Store) RedactPaymentNotes(ctx context.Context, customerID string) error {
	return s.exec(ctx, "redact payment notes", redactPaymentNotesSQL, customerID, crm.Redacted)
}

// invoiceRow is one row of the invoices table.
type invoiceRow struct {
	CustomerID, InvoiceID  string
	IssuedAt, DueDate      time.Time
	Amount                 int64
	Status, Delivery       string
	PeriodStart, PeriodEnd sql.NullTime
	CreatedAt, UpdatedAt   time.Time
}

func (r *invoiceRow) dest() []any {
	return []any{&r.CustomerID, &r.InvoiceID, &r.IssuedAt, &r.DueDate, &r.Amount, &r.Status, &r.Delivery,
		&r.PeriodStart, &r.PeriodEnd, &r.CreatedAt, &r.UpdatedAt}
}

func (r *invoiceRow) decode() (*analytics.Invoice, error) {
	return &analytics.Invoice{CustomerID: r.CustomerID, InvoiceID: r.InvoiceID, IssuedAt: dateOf(r.IssuedAt),
		DueDate: dateOf(r.DueDate), Amount: crm.Money(r.Amount), Status: analytics.InvoiceStatus(r.Status),
		Delivery: analytics.Delivery(r.Delivery), PeriodStart: datePtr(r.PeriodStart), PeriodEnd: datePtr(r.PeriodEnd),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// paymentRow is one row of the payments table.
type paymentRow struct {
	CustomerID, TransactionID string
	Amount                    int64
	PaidAt                    time.Time
	PaymentMethod             string
	Autopay                   bool
	Status, InvoiceID         string
	FailureReason, Notes      string
	CreatedAt, UpdatedAt      time.Time
}

func (r *paymentRow) dest() []any {
	return []any{&r.CustomerID, &r.TransactionID, &r.Amount, &r.PaidAt, &r.PaymentMethod, &r.Autopay, &r.Status,
		&r.InvoiceID, &r.FailureReason, &r.Notes, &r.CreatedAt, &r.UpdatedAt}
}

func (r *paymentRow) decode() (*analytics.Payment, error) {
	return &analytics.Payment{CustomerID: r.CustomerID, TransactionID: r.TransactionID, Amount: crm.Money(r.Amount),
		PaidAt: r.PaidAt.UTC(), PaymentMethod: analytics.PaymentMethod(r.PaymentMethod), Autopay: r.Autopay,
		Status: analytics.PaymentStatus(r.Status), InvoiceID: r.InvoiceID, FailureReason: r.FailureReason,
		Notes: r.Notes, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// usageRow is one row of the usage_days table.
type usageRow struct {
	CustomerID, ServiceID      string
	Day                        time.Time
	DownloadBytes, UploadBytes int64
	CreatedAt, UpdatedAt       time.Time
}

func (r *usageRow) dest() []any {
	return []any{&r.CustomerID, &r.ServiceID, &r.Day, &r.DownloadBytes, &r.UploadBytes, &r.CreatedAt, &r.UpdatedAt}
}

func (r *usageRow) decode() (*analytics.Usage, error) {
	return &analytics.Usage{CustomerID: r.CustomerID, ServiceID: r.ServiceID, Date: dateOf(r.Day),
		DownloadBytes: r.DownloadBytes, UploadBytes: r.UploadBytes,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// ticketRow is one row of the tickets table.
type ticketRow struct {
	CustomerID, TicketID, Subject string
	Category, Priority, Status    string
	OpenedAt                      time.Time
	ResolvedAt                    sql.NullTime
	Satisfaction                  sql.NullInt16
	CreatedAt, UpdatedAt          time.Time
}

func (r *ticketRow) dest() []any {
	return []any{&r.CustomerID, &r.TicketID, &r.Subject, &r.Category, &r.Priority, &r.Status, &r.OpenedAt,
		&r.ResolvedAt, &r.Satisfaction, &r.CreatedAt, &r.UpdatedAt}
}

func (r *ticketRow) decode() (*analytics.Ticket, error) {
	t := &analytics.Ticket{CustomerID: r.CustomerID, TicketID: r.TicketID, Subject: r.Subject,
		Category: analytics.TicketCategory(r.Category), Priority: analytics.TicketPriority(r.Priority),
		Status: analytics.TicketStatus(r.Status), OpenedAt: r.OpenedAt.UTC(), ResolvedAt: timePtr(r.ResolvedAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Satisfaction.Valid {
		n := int(r.Satisfaction.Int16)
		t.Satisfaction = &n
	}
	return t, nil
}
