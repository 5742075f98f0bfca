package analytics

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
)

// PaymentPattern is the rhythm of a customer's succeeded payments.
type PaymentPattern string

// The payment patterns.
const (
	PatternMonthly   PaymentPattern = "monthly"
	PatternQuarterly PaymentPattern = "quarterly"
	PatternAnnual    PaymentPattern = "annual"
	PatternIrregular PaymentPattern = "irregular"
	PatternNone      PaymentPattern = "none"
)

// PaymentPatterns lists every PaymentPattern.
var PaymentPatterns = []PaymentPattern{PatternMonthly, PatternQuarterly, PatternAnnual, PatternIrregular, PatternNone}

// PatternMinPayments is the fewest succeeded payments that have a
// pattern; below it the pattern is none.
const PatternMinPayments = 3

// patternGaps are the gaps, in days between the UTC dates of successive
// succeeded payments, of each regular pattern (bounds included).
var patternGaps = []struct {
	pattern  PaymentPattern
	min, max int
}{
	{PatternMonthly, 25, 35},
	{PatternQuarterly, 80, 100},
	{PatternAnnual, 350, 380},
}

// PaymentHistory is a customer's payments of a window and their summary.
type PaymentHistory struct {
	CustomerID string         `json:"customer_id"`
	Summary    PaymentSummary `json:"summary"`
	// Payments are the window's payments, newest first (by paid_at, then
	// transaction_id, both descending); without the failed ones when they
	// are left out.
	Payments []PaymentEntry `json:"payments"`
}

// PaymentSummary sums up the payments of a window: those with PaidAt at
// or after the window's start and at or before its end (the clock).
// Every figure covers all of them, failed ones included, whether or not
// the history lists the failed payments.
type PaymentSummary struct {
	// TotalPayments is the sum of the succeeded payments minus the sum of
	// the refunds; failed and pending payments count for nothing.
	TotalPayments crm.Money `json:"total_payments"`
	// PaymentCount is the number of succeeded payments.
	PaymentCount int `json:"payment_count"`
	// AveragePayment is the sum of the succeeded payments divided by
	// PaymentCount, rounded to the cent half away from zero; 0 when there
	// is none.
	AveragePayment crm.Money `json:"average_payment"`
	// OnTimePercentage is the share, 0 to 100 rounded to one decimal (half
	// away from zero), of the qualifying invoices that were paid on time;
	// nil when no invoice qualifies. An invoice qualifies when it is not
	// void and its due date is on or after the UTC date of the window's
	// start and before the UTC date of its end: an invoice due today can
	// still be paid on time, so it is not yet judged. It was paid on time
	// when the succeeded payments naming it (of any date, in the window or
	// before it) with PaidAt before the end of its due date (UTC) add up
	// to at least its amount; refunds are not subtracted.
	OnTimePercentage *float64 `json:"on_time_percentage"`
	// FailedPaymentsCount is the number of failed payments.
	FailedPaymentsCount int `json:"failed_payments_count"`
	// PreferredPaymentMethod is the most frequent method of the succeeded
	// payments; of methods used equally often, the one used by the latest
	// of them. Nil when there is no succeeded payment.
	PreferredPaymentMethod *PaymentMethod `json:"preferred_payment_method"`
	// Autopay is that of the latest payment that is not a refund (a
	// refund's says nothing of how the customer pays); false when there is
	// none.
	Autopay bool `json:"autopay"`
	// PaymentPattern is monthly, quarterly or annual when at least 80 % of
	// the gaps between successive succeeded payments (in days between
	// their UTC dates) are within 25–35, 80–100 or 350–380 days, irregular
	// otherwise, and none below PatternMinPayments succeeded payments.
	PaymentPattern PaymentPattern `json:"payment_pattern"`
}

// PaymentEntry is one payment of a PaymentHistory.
type PaymentEntry struct {
	// PaymentID identifies the payment within the customer: it is its
	// TransactionID, the key the billing feed upserts it by.
	PaymentID     string        `json:"payment_id"`
	Amount        crm.Money     `json:"amount"`
	PaymentDate   time.Time     `json:"payment_date"`
	PaymentMethod PaymentMethod `json:"payment_method"`
	Autopay       bool          `json:"autopay"`
	Status        PaymentStatus `json:"status"`
	// InvoiceID is the invoice_id of the invoice paid; nil when none.
	InvoiceID     *string `json:"invoice_id"`
	TransactionID string  `json:"transaction_id"`
	Notes         string  `json:"notes"`
}

// PaymentHistory returns the customer's payments of the last months
// months before the clock and their summary (see PaymentSummary);
// includeFailed false leaves the failed payments out of the list, not out
// of the summary. Errors: invalid naming months (outside
// MinHistoryMonths..MaxHistoryMonths), not_found for an unknown or deleted
// customer.
func (s *Service) PaymentHistory(ctx context.Context, customerID string, months int, includeFailed bool) (*PaymentHistory, error) {
	if err := checkHistoryMonths(months); err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	now := s.clock()
	since := WindowStart(now, months)
	invoices, payments, err := s.repo.PaymentHistoryRecords(ctx, customerID, since, crm.DateOf(since), crm.DateOf(now))
	if err != nil {
		return nil, err
	}
	return PaymentHistoryOf(customerID, payments, invoices, now, months, includeFailed), nil
}

// PaymentHistoryOf is the payment history of the last months months
// before now over the customer's payments and invoices, in any order: all
// of them, or at least those Repository.PaymentHistoryRecords returns (see
// PaymentSummary for each figure); includeFailed false leaves the failed
// payments out of the list. The window starts at now.AddDate(0, -months,
// 0), so a month past the end of a shorter one rolls over as AddDate does
// (March 31 minus one month is March 3 in a year that is not a leap year).
func PaymentHistoryOf(customerID string, payments []Payment, invoices []Invoice, now time.Time, months int, includeFailed bool) *PaymentHistory {
	now = now.UTC()
	since := WindowStart(now, months)
	var window []Payment
	for _, p := range payments {
		if !p.PaidAt.Before(since) && !p.PaidAt.After(now) {
			window = append(window, p)
		}
	}
	slices.SortFunc(window, func(a, b Payment) int { // newest first
		return cmp.Or(b.PaidAt.Compare(a.PaidAt), cmp.Compare(b.TransactionID, a.TransactionID))
	})

	h := &PaymentHistory{CustomerID: customerID, Payments: []PaymentEntry{}}
	sum := &h.Summary
	var succeeded crm.Money
	autopaySet := false
	for _, p := range window {
		switch p.Status {
		case PaymentSucceeded:
			succeeded += p.Amount
			sum.PaymentCount++
		case PaymentRefunded:
			sum.TotalPayments -= p.Amount
		case PaymentFailed:
			sum.FailedPaymentsCount++
		}
		if p.Status != PaymentRefunded && !autopaySet {
			sum.Autopay, autopaySet = p.Autopay, true
		}
		if p.Status != PaymentFailed || includeFailed {
			h.Payments = append(h.Payments, entryOf(p))
		}
	}
	sum.TotalPayments += succeeded
	if sum.PaymentCount > 0 {
		sum.AveragePayment = crm.Money(divRound(int64(succeeded), int64(sum.PaymentCount)))
	}
	sum.PreferredPaymentMethod = preferredMethod(window)
	sum.PaymentPattern = paymentPattern(window)
	sum.OnTimePercentage = onTimePercentage(payments, invoices, crm.DateOf(since), crm.DateOf(now))
	return h
}

// entryOf is p as a PaymentEntry.
func entryOf(p Payment) PaymentEntry {
	e := PaymentEntry{PaymentID: p.TransactionID, Amount: p.Amount, PaymentDate: p.PaidAt, PaymentMethod: p.PaymentMethod,
		Autopay: p.Autopay, Status: p.Status, TransactionID: p.TransactionID, Notes: p.Notes}
	if p.InvoiceID != "" {
		id := p.InvoiceID
		e.InvoiceID = &id
	}
	return e
}

// preferredMethod is the most frequent method of the succeeded payments
// of newestFirst, ties going to the method of the latest of them; nil
// when there is none.
func preferredMethod(newestFirst []Payment) *PaymentMethod {
	counts := map[PaymentMethod]int{}
	var order []PaymentMethod // by each method's latest use, latest first
	for _, p := range newestFirst {
		if p.Status != PaymentSucceeded {
			continue
		}
		if counts[p.PaymentMethod] == 0 {
			order = append(order, p.PaymentMethod)
		}
		counts[p.PaymentMethod]++
	}
	var best *PaymentMethod
	for _, m := range order {
		if best == nil || counts[m] > counts[*best] {
			best = &m
		}
	}
	return best
}

// paymentPattern is the PaymentPattern of the succeeded payments of
// newestFirst.
func paymentPattern(newestFirst []Payment) PaymentPattern {
	var days []int // the UTC dates of the succeeded payments, as day numbers, newest first
	for _, p := range newestFirst {
		if p.Status == PaymentSucceeded {
			days = append(days, dayNumber(crm.DateOf(p.PaidAt)))
		}
	}
	if len(days) < PatternMinPayments {
		return PatternNone
	}
	gaps := len(days) - 1
	for _, g := range patternGaps {
		within := 0
		for i := range gaps {
			if d := days[i] - days[i+1]; d >= g.min && d <= g.max {
				within++
			}
		}
		if within*5 >= gaps*4 { // at least 80 %
			return g.pattern
		}
	}
	return PatternIrregular
}

// onTimePercentage is PaymentSummary.OnTimePercentage for the window of
// UTC dates from first to today.
func onTimePercentage(payments []Payment, invoices []Invoice, first, today crm.Date) *float64 {
	paid := map[string]crm.Money{} // by invoice_id: succeeded payments before the end of its due date
	due := map[string]time.Time{}  // by invoice_id: the end of its due date, for the qualifying invoices
	for _, v := range invoices {
		d := dayNumber(v.DueDate)
		if v.Status != InvoiceVoid && d >= dayNumber(first) && d < dayNumber(today) {
			due[v.InvoiceID] = v.DueDate.Time().AddDate(0, 0, 1)
		}
	}
	if len(due) == 0 {
		return nil
	}
	for _, p := range payments {
		if end, ok := due[p.InvoiceID]; ok && p.Status == PaymentSucceeded && p.PaidAt.Before(end) {
			paid[p.InvoiceID] += p.Amount
		}
	}
	onTime := 0
	for _, v := range invoices {
		if _, ok := due[v.InvoiceID]; ok && paid[v.InvoiceID] >= v.Amount {
			onTime++
		}
	}
	pct := float64(divRound(int64(onTime)*1000, int64(len(due)))) / 10
	return &pct
}

// dayNumber is the number of days from 1970-01-01 to d.
func dayNumber(d crm.Date) int { return int(d.Time().Unix() / 86400) }

// divRound is a / b rounded half away from zero; b > 0.
func divRound(a, b int64) int64 {
	if a < 0 {
		return -divRound(-a, b)
	}
	return (2*a + b) / (2 * b)
}
