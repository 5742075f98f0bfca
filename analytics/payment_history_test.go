package analytics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// at parses an RFC 3339 time of a fixture.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// pay is a succeeded credit card payment of cents at the time s.
func pay(id, s string, cents int64) analytics.Payment {
	return analytics.Payment{TransactionID: id, Amount: crm.Money(cents), PaidAt: at(s),
		PaymentMethod: analytics.MethodCreditCard, Status: analytics.PaymentSucceeded}
}

// with is p changed by f.
func with(p analytics.Payment, f func(p *analytics.Payment)) analytics.Payment { f(&p); return p }

func status(s analytics.PaymentStatus) func(*analytics.Payment) {
	return func(p *analytics.Payment) { p.Status = s }
}

func method(m analytics.PaymentMethod) func(*analytics.Payment) {
	return func(p *analytics.Payment) { p.PaymentMethod = m }
}

func paying(invoiceID string) func(*analytics.Payment) {
	return func(p *analytics.Payment) { p.InvoiceID = invoiceID }
}

// invoice is an open invoice of cents due on the date due.
func invoice(id, due string, cents int64) analytics.Invoice {
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		panic(err)
	}
	return analytics.Invoice{InvoiceID: id, IssuedAt: crm.DateOf(d.AddDate(0, 0, -14)), DueDate: crm.DateOf(d),
		Amount: crm.Money(cents), Status: analytics.InvoiceOpen, Delivery: analytics.DeliveryEmail}
}

// withStatus is v with status s.
func withStatus(v analytics.Invoice, s analytics.InvoiceStatus) analytics.Invoice {
	v.Status = s
	return v
}

// spaced returns succeeded payments of 10.00, gaps days apart,
// the first at start.
func spaced(start string, gaps ...int) []analytics.Payment {
	t := at(start)
	out := []analytics.Payment{pay("P-0", start, 1000)}
	for i, g := range gaps {
		t = t.AddDate(0, 0, g)
		out = append(out, pay(fmt.Sprintf("P-%d", i+1), t.Format(time.RFC3339), 1000))
	}
	return out
}

// TestPaymentHistoryOf checks every figure of the summary, the
// window and the list on hand-computed fixtures. The clock is
// 2026-01-02T03:04:05Z, so a 12-month window starts at
// 2025-01-02T03:04:05Z and the invoices judged are those due from
// 2025-01-02 to 2026-01-01.
func TestPaymentHistoryOf(t *testing.T) {
	clock := at("2026-01-02T03:04:05Z")
	cc, bank, cash := analytics.MethodCreditCard, analytics.MethodBankTransfer, analytics.MethodCash
	tests := []struct {
		name          string
		payments      []analytics.Payment
		invoices      []analytics.Invoice
		months        int
		includeFailed bool
		want          analytics.PaymentSummary
		wantIDs       []string // the listed payments, in order
	}{
		{name: "empty window", payments: []analytics.Payment{pay("OLD", "2024-06-01T00:00:00Z", 5000)}, months: 12, includeFailed: true,
			want: analytics.PaymentSummary{PaymentPattern: analytics.PatternNone}, wantIDs: []string{}},
		{name: "refunds subtract, failed and pending count for nothing", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				pay("A", "2025-03-01T10:00:00Z", 10000),
				pay("B", "2025-04-01T10:00:00Z", 5000),
				pay("C", "2025-05-01T10:00:00Z", 2501),
				with(pay("R", "2025-05-02T10:00:00Z", 3000), status(analytics.PaymentRefunded)),
				with(pay("F", "2025-05-03T10:00:00Z", 7000), status(analytics.PaymentFailed)),
				with(pay("N", "2025-05-04T10:00:00Z", 4000), status(analytics.PaymentPending)),
			},
			// 175.01 - 30.00; 175.01 / 3 = 58.3366… → 58.34; gaps 31 and 30 days.
			want: analytics.PaymentSummary{TotalPayments: 14501, PaymentCount: 3, AveragePayment: 5834, FailedPaymentsCount: 1,
				PreferredPaymentMethod: &cc, PaymentPattern: analytics.PatternMonthly},
			wantIDs: []string{"N", "F", "R", "C", "B", "A"}},
		{name: "average rounds half away from zero", months: 12, includeFailed: true,
			payments: []analytics.Payment{pay("A", "2025-03-01T10:00:00Z", 1), pay("B", "2025-03-01T11:00:00Z", 2)},
			// 0.03 / 2 = 0.015 → 0.02
			want: analytics.PaymentSummary{TotalPayments: 3, PaymentCount: 2, AveragePayment: 2, PreferredPaymentMethod: &cc,
				PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"B", "A"}},
		{name: "refunds beyond the payments make a negative total", months: 12, includeFailed: true,
			payments: []analytics.Payment{pay("A", "2025-03-01T10:00:00Z", 1000),
				with(pay("R", "2025-03-02T10:00:00Z", 2500), status(analytics.PaymentRefunded))},
			want: analytics.PaymentSummary{TotalPayments: -1500, PaymentCount: 1, AveragePayment: 1000, PreferredPaymentMethod: &cc,
				PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"R", "A"}},
		{name: "window bounds: its start and the clock are in, a microsecond before and any time after are out", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				pay("START", "2025-01-02T03:04:05Z", 100),
				pay("BEFORE", "2025-01-02T03:04:04.999999Z", 200),
				pay("NOW", "2026-01-02T03:04:05Z", 400),
				pay("FUTURE", "2026-01-02T03:04:05.000001Z", 800),
			},
			want: analytics.PaymentSummary{TotalPayments: 500, PaymentCount: 2, AveragePayment: 250, PreferredPaymentMethod: &cc,
				PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"NOW", "START"}},
		{name: "one month", months: 1, includeFailed: true,
			payments: []analytics.Payment{pay("IN", "2025-12-02T03:04:05Z", 100), pay("OUT", "2025-12-02T03:04:04Z", 200)},
			want: analytics.PaymentSummary{TotalPayments: 100, PaymentCount: 1, AveragePayment: 100, PreferredPaymentMethod: &cc,
				PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"IN"}},
		{name: "sixty months", months: 60, includeFailed: true,
			payments: []analytics.Payment{pay("IN", "2021-01-02T03:04:05Z", 100), pay("OUT", "2021-01-02T03:04:04Z", 200)},
			want: analytics.PaymentSummary{TotalPayments: 100, PaymentCount: 1, AveragePayment: 100, PreferredPaymentMethod: &cc,
				PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"IN"}},
		{name: "failed left out of the list still count in the summary", months: 12, includeFailed: false,
			payments: []analytics.Payment{
				pay("A", "2025-03-01T10:00:00Z", 1000),
				with(pay("F1", "2025-03-02T10:00:00Z", 1000), status(analytics.PaymentFailed)),
				with(pay("F2", "2025-03-03T10:00:00Z", 1000), status(analytics.PaymentFailed)),
				with(pay("R", "2025-03-04T10:00:00Z", 300), status(analytics.PaymentRefunded)),
			},
			want: analytics.PaymentSummary{TotalPayments: 700, PaymentCount: 1, AveragePayment: 1000, FailedPaymentsCount: 2,
				PreferredPaymentMethod: &cc, PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"R", "A"}},
		{name: "preferred method: the most frequent", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				with(pay("A", "2025-03-01T10:00:00Z", 1000), method(bank)),
				with(pay("B", "2025-04-01T10:00:00Z", 1000), method(bank)),
				with(pay("C", "2025-05-01T10:00:00Z", 1000), method(cash)),
				// failed attempts and refunds are not how the customer paid
				with(with(pay("F1", "2025-05-02T10:00:00Z", 1000), method(cash)), status(analytics.PaymentFailed)),
				with(with(pay("F2", "2025-05-03T10:00:00Z", 1000), method(cash)), status(analytics.PaymentRefunded)),
			},
			want: analytics.PaymentSummary{TotalPayments: 2000, PaymentCount: 3, AveragePayment: 1000, FailedPaymentsCount: 1,
				PreferredPaymentMethod: &bank, PaymentPattern: analytics.PatternMonthly},
			wantIDs: []string{"F2", "F1", "C", "B", "A"}},
		{name: "preferred method: a tie goes to the latest used", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				with(pay("A", "2025-03-01T10:00:00Z", 1000), method(bank)),
				with(pay("B", "2025-04-01T10:00:00Z", 1000), method(cash)),
				with(pay("C", "2025-05-01T10:00:00Z", 1000), method(cash)),
				with(pay("D", "2025-06-01T10:00:00Z", 1000), method(bank)),
			},
			want: analytics.PaymentSummary{TotalPayments: 4000, PaymentCount: 4, AveragePayment: 1000,
				PreferredPaymentMethod: &bank, PaymentPattern: analytics.PatternMonthly},
			wantIDs: []string{"D", "C", "B", "A"}},
		{name: "autopay is the latest payment's, a failed one too", months: 12, includeFailed: false,
			payments: []analytics.Payment{
				with(pay("A", "2025-03-01T10:00:00Z", 1000), func(p *analytics.Payment) { p.Autopay = false }),
				with(pay("F", "2025-03-02T10:00:00Z", 1000), func(p *analytics.Payment) { p.Autopay, p.Status = true, analytics.PaymentFailed }),
			},
			want: analytics.PaymentSummary{TotalPayments: 1000, PaymentCount: 1, AveragePayment: 1000, FailedPaymentsCount: 1,
				PreferredPaymentMethod: &cc, Autopay: true, PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"A"}},
		{name: "autopay skips a refund", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				with(pay("A", "2025-03-01T10:00:00Z", 1000), func(p *analytics.Payment) { p.Autopay = true }),
				with(pay("R", "2025-03-02T10:00:00Z", 100), func(p *analytics.Payment) { p.Status = analytics.PaymentRefunded }),
			},
			want: analytics.PaymentSummary{TotalPayments: 900, PaymentCount: 1, AveragePayment: 1000,
				PreferredPaymentMethod: &cc, Autopay: true, PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"R", "A"}},
		{name: "the same instant orders by transaction_id, descending", months: 12, includeFailed: true,
			payments: []analytics.Payment{
				with(pay("TX-1", "2025-03-01T10:00:00Z", 1000), func(p *analytics.Payment) { p.Autopay = false }),
				with(pay("TX-2", "2025-03-01T10:00:00Z", 1000), func(p *analytics.Payment) { p.Autopay = true }),
			},
			want: analytics.PaymentSummary{TotalPayments: 2000, PaymentCount: 2, AveragePayment: 1000,
				PreferredPaymentMethod: &cc, Autopay: true, PaymentPattern: analytics.PatternNone},
			wantIDs: []string{"TX-2", "TX-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := analytics.PaymentHistoryOf("", tt.payments, tt.invoices, clock, tt.months, tt.includeFailed)
			if diff := cmp.Diff(tt.want, h.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			ids := []string{}
			for _, p := range h.Payments {
				ids = append(ids, p.PaymentID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("listed payments (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPaymentPattern checks the pattern rule on the gaps, in days, between
// succeeded payments.
func TestPaymentPattern(t *testing.T) {
	clock := at("2026-01-02T03:04:05Z")
	failed := with(pay("F", "2025-06-15T10:00:00Z", 1000), status(analytics.PaymentFailed))
	tests := []struct {
		name     string
		payments []analytics.Payment
		want     analytics.PaymentPattern
	}{
		{"two payments", spaced("2025-02-01T10:00:00Z", 31), analytics.PatternNone},
		{"three monthly", spaced("2025-02-01T10:00:00Z", 28, 31), analytics.PatternMonthly},
		{"bounds 25 and 35", spaced("2025-02-01T10:00:00Z", 25, 35), analytics.PatternMonthly},
		{"24 days is off", spaced("2025-02-01T10:00:00Z", 24, 30), analytics.PatternIrregular},
		{"36 days is off", spaced("2025-02-01T10:00:00Z", 30, 36), analytics.PatternIrregular},
		{"4 of 5 gaps is 80 %", spaced("2025-02-01T10:00:00Z", 30, 30, 60, 30, 30), analytics.PatternMonthly},
		{"3 of 4 gaps is 75 %", spaced("2025-02-01T10:00:00Z", 30, 30, 60, 30), analytics.PatternIrregular},
		{"gaps count UTC dates, not hours", []analytics.Payment{pay("A", "2025-02-01T23:59:00Z", 1000),
			pay("B", "2025-02-26T00:01:00Z", 1000), pay("C", "2025-03-23T00:01:00Z", 1000)}, analytics.PatternMonthly},
		{"failed payments are no payments", append(spaced("2025-02-01T10:00:00Z", 31), failed), analytics.PatternNone},
		{"quarterly", spaced("2025-01-15T10:00:00Z", 80, 100, 91), analytics.PatternQuarterly},
		{"101 days is off", spaced("2025-01-15T10:00:00Z", 90, 101), analytics.PatternIrregular},
		{"annual", spaced("2021-01-15T10:00:00Z", 350, 380, 365), analytics.PatternAnnual},
		{"381 days is off", spaced("2021-01-15T10:00:00Z", 365, 381), analytics.PatternIrregular},
		{"two on one day", spaced("2025-02-01T10:00:00Z", 0, 30), analytics.PatternIrregular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analytics.PaymentHistoryOf("", tt.payments, nil, clock, 60, true).Summary.PaymentPattern
			if got != tt.want {
				t.Errorf("pattern = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestOnTimePercentage checks which invoices are judged and which were
// paid on time. The clock is 2026-01-02T03:04:05Z; the 12-month window
// judges invoices due from 2025-01-02 to 2026-01-01.
func TestOnTimePercentage(t *testing.T) {
	clock := at("2026-01-02T03:04:05Z")
	pct := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		invoices []analytics.Invoice
		payments []analytics.Payment
		want     *float64
	}{
		{"no invoice", nil, []analytics.Payment{pay("A", "2025-03-01T10:00:00Z", 1000)}, nil},
		{"only invoices out of the window, due today or void", []analytics.Invoice{
			invoice("BEFORE", "2025-01-01", 1000),
			invoice("TODAY", "2026-01-02", 1000),
			invoice("FUTURE", "2026-02-01", 1000),
			withStatus(invoice("VOID", "2025-06-01", 1000), analytics.InvoiceVoid),
		}, nil, nil},
		{"the window's first day and yesterday are judged", []analytics.Invoice{
			invoice("FIRST", "2025-01-02", 1000), invoice("LAST", "2026-01-01", 1000),
		}, []analytics.Payment{
			with(pay("P1", "2025-01-02T03:00:00Z", 1000), paying("FIRST")), // before the window, still on time
		}, pct(50)},
		{"paid in full by the end of the due date (UTC)", []analytics.Invoice{
			invoice("SPLIT", "2025-03-15", 5000),
			invoice("LASTSECOND", "2025-04-15", 5000),
			invoice("NEXTDAY", "2025-05-15", 5000),
			invoice("PARTIAL", "2025-06-15", 5000),
			invoice("REFUNDED", "2025-07-15", 5000),
			invoice("FAILED", "2025-08-15", 5000),
			invoice("PENDING", "2025-09-15", 5000),
			invoice("UNPAID", "2025-10-15", 5000),
			invoice("ZERO", "2025-11-15", 0),
			withStatus(invoice("PAIDLATE", "2025-12-15", 5000), analytics.InvoicePaid),
		}, []analytics.Payment{
			with(pay("S1", "2025-03-01T10:00:00Z", 2000), paying("SPLIT")),
			with(pay("S2", "2025-03-15T10:00:00Z", 3000), paying("SPLIT")),
			with(pay("L", "2025-04-15T23:59:59.999999Z", 5000), paying("LASTSECOND")),
			with(pay("N", "2025-05-16T00:00:00Z", 5000), paying("NEXTDAY")),
			with(pay("P", "2025-06-10T10:00:00Z", 4999), paying("PARTIAL")),
			with(pay("P2", "2025-06-16T00:00:00Z", 1), paying("PARTIAL")), // completes it a day late
			with(with(pay("R", "2025-07-10T10:00:00Z", 5000), paying("REFUNDED")), status(analytics.PaymentRefunded)),
			with(with(pay("F", "2025-08-10T10:00:00Z", 5000), paying("FAILED")), status(analytics.PaymentFailed)),
			with(with(pay("PE", "2025-09-10T10:00:00Z", 5000), paying("PENDING")), status(analytics.PaymentPending)),
			with(pay("LATE", "2025-12-20T10:00:00Z", 5000), paying("PAIDLATE")),
		}, pct(30)}, // SPLIT, LASTSECOND and ZERO: 3 of 10
		{"one decimal, half away from zero", []analytics.Invoice{
			invoice("A", "2025-03-15", 1000), invoice("B", "2025-04-15", 1000), invoice("C", "2025-05-15", 1000),
		}, []analytics.Payment{
			with(pay("PA", "2025-03-01T10:00:00Z", 1000), paying("A")),
			with(pay("PB", "2025-04-01T10:00:00Z", 1000), paying("B")),
		}, pct(66.7)},
		{"a third", []analytics.Invoice{
			invoice("A", "2025-03-15", 1000), invoice("B", "2025-04-15", 1000), invoice("C", "2025-05-15", 1000),
		}, []analytics.Payment{with(pay("PA", "2025-03-01T10:00:00Z", 1000), paying("A"))}, pct(33.3)},
		{"all", []analytics.Invoice{invoice("A", "2025-03-15", 1000)},
			[]analytics.Payment{with(pay("PA", "2025-03-01T10:00:00Z", 1000), paying("A"))}, pct(100)},
		{"none", []analytics.Invoice{invoice("A", "2025-03-15", 1000)}, nil, pct(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analytics.PaymentHistoryOf("", tt.payments, tt.invoices, clock, 12, true).Summary.OnTimePercentage
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("on_time_percentage (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPaymentEntries checks the fields of a listed payment.
func TestPaymentEntries(t *testing.T) {
	p := analytics.Payment{CustomerID: "c", TransactionID: "TX-9", Amount: 4999, PaidAt: at("2025-03-01T10:00:00Z"),
		PaymentMethod: analytics.MethodDebitCard, Autopay: true, Status: analytics.PaymentSucceeded, InvoiceID: "INV-9",
		FailureReason: "", Notes: "thanks"}
	bare := p
	bare.TransactionID, bare.InvoiceID, bare.Notes = "TX-8", "", ""
	h := analytics.PaymentHistoryOf("c", []analytics.Payment{bare, p}, nil, at("2026-01-02T03:04:05Z"), 12, true)
	want := []analytics.PaymentEntry{
		{PaymentID: "TX-9", Amount: 4999, PaymentDate: p.PaidAt, PaymentMethod: analytics.MethodDebitCard, Autopay: true,
			Status: analytics.PaymentSucceeded, InvoiceID: ptr("INV-9"), TransactionID: "TX-9", Notes: "thanks"},
		{PaymentID: "TX-8", Amount: 4999, PaymentDate: p.PaidAt, PaymentMethod: analytics.MethodDebitCard, Autopay: true,
			Status: analytics.PaymentSucceeded, TransactionID: "TX-8"},
	}
	if diff := cmp.Diff(want, h.Payments); diff != "" {
		t.Errorf("payments (-want +got):\n%s", diff)
	}
}

// TestPaymentHistoryService reads a history through the Service on both
// stores, and checks the months bounds and the customer lookup.
func TestPaymentHistoryService(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st) // the clock is 2026-01-02T03:04:05Z
		ctx := t.Context()
		inv := validInvoice("INV-1")
		inv.IssuedAt, inv.DueDate, inv.Status = date(2025, time.June, 1), date(2025, time.June, 15), analytics.InvoiceOpen
		// INV-0 is due in the window and was paid before it: on time.
		inv0 := validInvoice("INV-0")
		inv0.IssuedAt, inv0.DueDate, inv0.Status = date(2024, time.December, 27), date(2025, time.January, 10), analytics.InvoiceOpen
		if _, err := f.svc.IngestInvoices(ctx, f.c.ID, []analytics.InvoiceInput{inv, inv0}); err != nil {
			t.Fatal(err)
		}
		p1 := validPayment("TX-1")
		p1.PaidAt, p1.InvoiceID = at("2025-06-10T10:00:00Z"), "INV-1"
		p2 := validPayment("TX-2")
		p2.PaidAt, p2.Status, p2.Amount, p2.InvoiceID, p2.Notes = at("2025-07-10T10:00:00Z"), analytics.PaymentFailed, 1000, "", ""
		old := validPayment("TX-0")
		old.PaidAt = at("2024-06-10T10:00:00Z")
		pre := validPayment("TX-PRE")
		pre.PaidAt, pre.InvoiceID = at("2024-12-28T10:00:00Z"), "INV-0"
		if _, err := f.svc.IngestPayments(ctx, f.c.ID, []analytics.PaymentInput{p1, p2, old, pre}); err != nil {
			t.Fatal(err)
		}
		cc := analytics.MethodCreditCard
		want := &analytics.PaymentHistory{CustomerID: f.c.ID,
			Summary: analytics.PaymentSummary{TotalPayments: 4999, PaymentCount: 1, AveragePayment: 4999, OnTimePercentage: ptr(100.0),
				FailedPaymentsCount: 1, PreferredPaymentMethod: &cc, Autopay: true, PaymentPattern: analytics.PatternNone},
			Payments: []analytics.PaymentEntry{{PaymentID: "TX-1", Amount: 4999, PaymentDate: p1.PaidAt, PaymentMethod: cc, Autopay: true,
				Status: analytics.PaymentSucceeded, InvoiceID: ptr("INV-1"), TransactionID: "TX-1", Notes: "first payment"}}}
		got, err := f.svc.PaymentHistory(ctx, f.c.ID, 12, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		got, err = f.svc.PaymentHistory(ctx, f.c.ID, 60, true)
		if err != nil {
			t.Fatal(err)
		}
		if n, total := len(got.Payments), got.Summary.TotalPayments; n != 4 || total != 3*4999 {
			t.Errorf("60 months: %d payments, total %v; want 4 and 149.97", n, total)
		}
		for _, months := range []int{0, -1, 61} {
			_, err := f.svc.PaymentHistory(ctx, f.c.ID, months, true)
			wantInvalid(t, err, crm.FieldError{Field: "months", Message: "must be between 1 and 60"})
		}
		if err := f.customers.Delete(ctx, f.c.ID, customer.DeleteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{f.c.ID, "nope", "0190a7e2-0000-7000-8000-000000000001"} {
			if _, err := f.svc.PaymentHistory(ctx, id, 12, true); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("PaymentHistory(%q) = %v, want not_found", id, err)
			}
		}
	})
}
