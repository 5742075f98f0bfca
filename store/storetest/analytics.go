package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/store"
)

// feedRecords describes one analytics feed (invoices, payments, usage,
// tickets) to the cases they share: an upsert reports and applies each
// record's outcome, keeps created_at on an update, touches no other
// customer's records, needs its customer and rolls back with its
// transaction.
type feedRecords[T any] struct {
	// new returns the i-th record of the customer with every field set,
	// created and updated at base; records with other i have other keys.
	new func(customerID string, i int) T
	// change changes every field an upsert replaces, except the times.
	change func(v *T)
	// stamps points at the record's created and updated times.
	stamps func(v *T) (created, updated *time.Time)
	// compare orders records as the store's list of them does.
	compare func(a, b *T) int
	upsert  func(s store.Store, ctx context.Context, customerID string, v []T) ([]analytics.Outcome, error)
	list    func(s store.Store, ctx context.Context, customerID string) ([]T, error)
}

// tests returns the shared cases for the feed.
func (f feedRecords[T]) tests(name string) []test {
	return []test{
		{name + "Upsert", f.testUpsert},
		{name + "OtherCustomer", f.testOtherCustomer},
		{name + "UnknownCustomer", f.testUnknownCustomer},
		{name + "Rollback", f.testRollback},
	}
}

func (f feedRecords[T]) sorted(v []T) []T {
	v = slices.Clone(v)
	slices.SortFunc(v, func(a, b T) int { return f.compare(&a, &b) })
	return v
}

func (f feedRecords[T]) listOf(t *testing.T, s store.Store, customerID string) []T {
	t.Helper()
	v, err := f.list(s, t.Context(), customerID)
	ok(t, "list", err)
	return v
}

// testUpsert checks the outcomes of new, equal and changed records, that
// an update replaces every field but created_at, and the stored values.
func (f feedRecords[T]) testUpsert(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	first := []T{f.new(c.ID, 0), f.new(c.ID, 1)}
	got, err := f.upsert(s, ctx, c.ID, first)
	ok(t, "first upsert", err)
	check(t, "first outcomes", []analytics.Outcome{analytics.Created, analytics.Created}, got)
	check(t, "after the first upsert", f.sorted(first), f.listOf(t, s, c.ID))

	got, err = f.upsert(s, ctx, c.ID, first)
	ok(t, "replayed upsert", err)
	check(t, "replayed outcomes", []analytics.Outcome{analytics.Unchanged, analytics.Unchanged}, got)

	changed := f.new(c.ID, 1)
	f.change(&changed)
	cr, up := f.stamps(&changed)
	*cr, *up = at(time.Hour), at(time.Hour) // an upsert keeps the stored created_at
	third := []T{f.new(c.ID, 0), changed, f.new(c.ID, 2)}
	for _, i := range []int{0, 2} {
		cr, up := f.stamps(&third[i])
		*cr, *up = at(2*time.Hour), at(2*time.Hour)
	}
	got, err = f.upsert(s, ctx, c.ID, third)
	ok(t, "third upsert", err)
	check(t, "third outcomes", []analytics.Outcome{analytics.Unchanged, analytics.Updated, analytics.Created}, got)
	wantChanged := changed
	cr, _ = f.stamps(&wantChanged)
	*cr = base
	want := []T{first[0], wantChanged, third[2]}
	check(t, "after the third upsert", f.sorted(want), f.listOf(t, s, c.ID))
}

// testOtherCustomer checks that records with the same keys of two
// customers are separate.
func (f feedRecords[T]) testOtherCustomer(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	ofB := []T{f.new(b.ID, 0)}
	_, err := f.upsert(s, ctx, b.ID, ofB)
	ok(t, "upsert B", err)
	changed := f.new(a.ID, 0)
	f.change(&changed)
	got, err := f.upsert(s, ctx, a.ID, []T{changed})
	ok(t, "upsert A", err)
	check(t, "outcomes of A", []analytics.Outcome{analytics.Created}, got)
	check(t, "records of B", ofB, f.listOf(t, s, b.ID))
	check(t, "records of A", []T{changed}, f.listOf(t, s, a.ID))
}

// testUnknownCustomer checks that records need their customer.
func (f feedRecords[T]) testUnknownCustomer(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	id := newID(t)
	_, err := f.upsert(s, t.Context(), id, []T{f.new(id, 0)})
	wantCode(t, "upsert for an unknown customer", err, crm.CodeNotFound)
}

// testRollback checks that an upsert rolls back with its transaction.
func (f feedRecords[T]) testRollback(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	before := []T{f.new(c.ID, 0)}
	_, err := f.upsert(s, ctx, c.ID, before)
	ok(t, "upsert", err)
	err = s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		changed := f.new(c.ID, 0)
		f.change(&changed)
		got, err := f.upsert(s, ctx, c.ID, []T{changed, f.new(c.ID, 1)})
		ok(t, "upsert in the transaction", err)
		check(t, "outcomes in the transaction", []analytics.Outcome{analytics.Updated, analytics.Created}, got)
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "records after the rollback", before, f.listOf(t, s, c.ID))
}

// day returns the i-th day after 2020-01-01.
func day(i int) crm.Date { return crm.DateOf(time.Date(2020, time.January, 1+i, 0, 0, 0, 0, time.UTC)) }

var invoiceFeed = feedRecords[analytics.Invoice]{
	new: func(customerID string, i int) analytics.Invoice {
		return analytics.Invoice{CustomerID: customerID, InvoiceID: fmt.Sprintf("INV-%d", i), IssuedAt: day(30 * i),
			DueDate: day(30*i + 14), Amount: crm.Money(4999 + i), Status: analytics.InvoicePaid, Delivery: analytics.DeliveryPostal,
			PeriodStart: ptr(day(30 * i)), PeriodEnd: ptr(day(30*i + 29)), CreatedAt: base, UpdatedAt: base}
	},
	change: func(v *analytics.Invoice) {
		v.IssuedAt, v.DueDate, v.Amount = day(1000), day(1014), 1
		v.Status, v.Delivery, v.PeriodStart, v.PeriodEnd = analytics.InvoiceVoid, analytics.DeliveryEmail, nil, nil
	},
	stamps: func(v *analytics.Invoice) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt },
	compare: func(a, b *analytics.Invoice) int {
		if c := b.IssuedAt.Time().Compare(a.IssuedAt.Time()); c != 0 {
			return c
		}
		return strings.Compare(b.InvoiceID, a.InvoiceID)
	},
	upsert: store.Store.UpsertInvoices,
	list: func(s store.Store, ctx context.Context, customerID string) ([]analytics.Invoice, error) {
		return s.ListInvoices(ctx, customerID, nil, 0)
	},
}

var paymentFeed = feedRecords[analytics.Payment]{
	new: func(customerID string, i int) analytics.Payment {
		return analytics.Payment{CustomerID: customerID, TransactionID: fmt.Sprintf("TX-%d", i), Amount: crm.Money(4999 + i),
			PaidAt: at(time.Duration(i) * time.Hour), PaymentMethod: analytics.MethodBankTransfer, Autopay: true,
			Status: analytics.PaymentFailed, InvoiceID: fmt.Sprintf("INV-%d", i), FailureReason: "insufficient funds",
			Notes: "Retried \"twice\".\nCall first.", CreatedAt: base, UpdatedAt: base}
	},
	change: func(v *analytics.Payment) {
		v.Amount, v.PaidAt, v.PaymentMethod, v.Autopay = 1, at(-time.Hour), analytics.MethodCash, false
		v.Status, v.InvoiceID, v.FailureReason, v.Notes = analytics.PaymentSucceeded, "", "", ""
	},
	stamps: func(v *analytics.Payment) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt },
	compare: func(a, b *analytics.Payment) int {
		if c := b.PaidAt.Compare(a.PaidAt); c != 0 {
			return c
		}
		return strings.Compare(b.TransactionID, a.TransactionID)
	},
	upsert: store.Store.UpsertPayments,
	list:   store.Store.ListPayments,
}

// usageService is the service the usage fixtures are of; the store does
// not check it (the Service does).
var usageService = "0190a7e2-0000-7000-8000-000000000001"

var usageFeed = feedRecords[analytics.Usage]{
	new: func(customerID string, i int) analytics.Usage {
		return analytics.Usage{CustomerID: customerID, ServiceID: usageService, Date: day(i),
			DownloadBytes: 5_000_000_000 + int64(i), UploadBytes: 1 << 33, CreatedAt: base, UpdatedAt: base}
	},
	change: func(v *analytics.Usage) { v.DownloadBytes, v.UploadBytes = 0, 1 },
	stamps: func(v *analytics.Usage) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt },
	compare: func(a, b *analytics.Usage) int {
		if c := a.Date.Time().Compare(b.Date.Time()); c != 0 {
			return c
		}
		return strings.Compare(a.ServiceID, b.ServiceID)
	},
	upsert: store.Store.UpsertUsage,
	list:   store.Store.ListUsage,
}

var ticketFeed = feedRecords[analytics.Ticket]{
	new: func(customerID string, i int) analytics.Ticket {
		return analytics.Ticket{CustomerID: customerID, TicketID: fmt.Sprintf("T-%d", i), Subject: "Zoë's router drops",
			Category: analytics.CategoryTechnical, Priority: analytics.PriorityHigh, Status: analytics.TicketResolved,
			OpenedAt: at(time.Duration(i) * time.Hour), ResolvedAt: ptr(at(time.Duration(i)*time.Hour + time.Minute)),
			Satisfaction: ptr(4), CreatedAt: base, UpdatedAt: base}
	},
	change: func(v *analytics.Ticket) {
		v.Subject, v.Category, v.Priority, v.Status = "", analytics.CategoryBilling, analytics.PriorityLow, analytics.TicketOpen
		v.OpenedAt, v.ResolvedAt, v.Satisfaction = at(-time.Hour), nil, nil
	},
	stamps: func(v *analytics.Ticket) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt },
	compare: func(a, b *analytics.Ticket) int {
		if c := b.OpenedAt.Compare(a.OpenedAt); c != 0 {
			return c
		}
		return strings.Compare(b.TicketID, a.TicketID)
	},
	upsert: store.Store.UpsertTickets,
	list:   store.Store.ListTickets,
}

// analyticsTests are the conformance cases of the analytics feeds.
var analyticsTests = slices.Concat(
	invoiceFeed.tests("Invoices"), paymentFeed.tests("Payments"), usageFeed.tests("Usage"), ticketFeed.tests("Tickets"),
	[]test{
		{"InvoicePaging", testInvoicePaging},
		{"RedactTicketSubjects", testRedactTicketSubjects},
		{"RedactPaymentNotes", testRedactPaymentNotes},
		{"PaymentHistoryRecords", testPaymentHistoryRecords},
	},
)

// testInvoicePaging checks that pages of invoices, newest first by issue
// date then id, neither skip nor repeat invoices, ties on the date
// included.
func testInvoicePaging(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	var all []analytics.Invoice
	for i := range 8 {
		v := invoiceFeed.new(c.ID, i)
		v.IssuedAt = day(i / 3) // three invoices a day: ties broken by id
		all = append(all, v)
	}
	_, err := s.UpsertInvoices(ctx, c.ID, all)
	ok(t, "UpsertInvoices", err)
	want := invoiceFeed.sorted(all)
	var got []analytics.Invoice
	var after *analytics.InvoiceKey
	for range 10 {
		page, err := s.ListInvoices(ctx, c.ID, after, 3)
		ok(t, "ListInvoices", err)
		got = append(got, page...)
		if len(page) < 3 {
			break
		}
		last := page[len(page)-1]
		after = &analytics.InvoiceKey{IssuedAt: last.IssuedAt, InvoiceID: last.InvoiceID}
	}
	check(t, "invoices paged by 3", want, got)
}

// testRedactTicketSubjects and testRedactPaymentNotes pin the erasure of the
// feeds' free text.
func testRedactTicketSubjects(t *testing.T, newStore newStoreFunc) {
	ticketFeed.testRedact(t, newStore, store.Store.RedactTicketSubjects, func(v *analytics.Ticket) *string { return &v.Subject })
}

func testRedactPaymentNotes(t *testing.T, newStore newStoreFunc) {
	paymentFeed.testRedact(t, newStore, store.Store.RedactPaymentNotes, func(v *analytics.Payment) *string { return &v.Notes })
}

// testRedact checks that redact replaces the text at field in one
// customer's records, leaves empty text, the rest of each record and other
// customers' records alone, and rolls back with its transaction.
func (f feedRecords[T]) testRedact(t *testing.T, newStore newStoreFunc, redact func(store.Store, context.Context, string) error, field func(*T) *string) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	ofA := []T{f.new(a.ID, 0), f.new(a.ID, 1)}
	*field(&ofA[1]) = ""
	ofB := []T{f.new(b.ID, 0)}
	_, err := f.upsert(s, ctx, a.ID, ofA)
	ok(t, "upsert A", err)
	_, err = f.upsert(s, ctx, b.ID, ofB)
	ok(t, "upsert B", err)

	err = s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		ok(t, "redact", redact(s, ctx, a.ID))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("RunInTx = %v, want errRollback", err)
	}
	check(t, "records after a rolled-back erasure", f.sorted(ofA), f.listOf(t, s, a.ID))

	ok(t, "redact", redact(s, ctx, a.ID))
	want := slices.Clone(ofA)
	*field(&want[0]) = crm.Redacted
	check(t, "records after erasure", f.sorted(want), f.listOf(t, s, a.ID))
	check(t, "other customer's records", ofB, f.listOf(t, s, b.ID))
}
