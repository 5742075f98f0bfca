package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// factTests are the conformance cases of the sweep's reads: the walk over
// the customers and the Facts of a batch of them.
var factTests = []test{
	{"CustomerIDs", testCustomerIDs},
	{"CustomerFacts", testCustomerFacts},
	{"NoFacts", testNoFacts},
}

// factsAsOf is the instant the Facts fixture is read at, and its windows
// as computed by hand from analytics.WindowsOf's documentation: the last
// FactsMonths start a year earlier, the last TicketDays on the 90th day
// before (February 2025 has 28 days), and the usage windows on the dates
// three and six months earlier.
var (
	factsAsOf    = base // 2025-03-14 09:26:53.589793 UTC
	factsSince   = time.Date(2024, time.March, 14, 9, 26, 53, 589793000, time.UTC)
	ticketsSince = time.Date(2024, time.December, 14, 9, 26, 53, 589793000, time.UTC)
	recentFrom   = crm.Date{Year: 2024, Month: time.December, Day: 14}
	priorFrom    = crm.Date{Year: 2024, Month: time.September, Day: 14}
	factsDay     = crm.Date{Year: 2025, Month: time.March, Day: 14}
)

// utc returns the instant of the UTC calendar fields.
func utc(y int, m time.Month, d, h, mi, s, us int) time.Time {
	return time.Date(y, m, d, h, mi, s, us*1000, time.UTC)
}

// date returns the date of the calendar fields.
func date(y int, m time.Month, d int) crm.Date { return crm.Date{Year: y, Month: m, Day: d} }

// testCustomerIDs checks the walk over the customers by id, page after
// page, starting after any id, a deleted one included; deleted customers
// are walked only when asked for.
func testCustomerIDs(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	ids := newIDs(t, 5)
	cs := make([]*customer.Customer, len(ids))
	for i, id := range ids {
		cs[i] = newCustomer(t, "Walked")
		cs[i].ID = id
	}
	create(t, s, cs[3], cs[0], cs[4], cs[2], cs[1]) // the walk is by id, not by creation
	remove(t, s, cs[2])
	live := []string{ids[0], ids[1], ids[3], ids[4]}
	for _, tc := range []struct {
		name    string
		afterID string
		limit   int
		want    []string
	}{
		{"all", "", 0, live},
		{"first page", "", 2, live[:2]},
		{"next page", ids[1], 2, live[2:]},
		{"after a deleted id", ids[2], 0, live[2:]},
		{"past the end", ids[4], 2, nil},
		{"limit beyond the end", ids[0], 10, live[1:]},
	} {
		got, err := s.CustomerIDs(ctx, tc.afterID, tc.limit, false)
		ok(t, "CustomerIDs "+tc.name, err)
		check(t, "CustomerIDs "+tc.name, tc.want, got)
	}
	for _, tc := range []struct {
		name    string
		afterID string
		limit   int
		want    []string
	}{
		{"all, closed too", "", 0, ids},
		{"a page reaching the closed one", ids[1], 2, ids[2:4]},
	} {
		got, err := s.CustomerIDs(ctx, tc.afterID, tc.limit, true)
		ok(t, "CustomerIDs "+tc.name, err)
		check(t, "CustomerIDs "+tc.name, tc.want, got)
	}
}

// testNoFacts checks that no ids, and only unknown ids, give no Facts.
func testNoFacts(t *testing.T, newStore newStoreFunc) {
	s, _ := oneCustomer(t, newStore)
	got, err := s.CustomerFacts(t.Context(), nil, factsAsOf)
	ok(t, "CustomerFacts of no ids", err)
	check(t, "facts of no ids", []analytics.Facts{}, got)
	got, err = s.CustomerFacts(t.Context(), []string{newID(t)}, factsAsOf)
	ok(t, "CustomerFacts of an unknown id", err)
	check(t, "facts of an unknown id", []analytics.Facts{}, got)
}

// testCustomerFacts checks every figure of the Facts on a fixture that
// puts records on both sides of each window's bounds (factsFixture
// computes the expected figures by hand), the order of the ids kept, a
// deleted customer's Facts kept (closed), unknown ids left out, and the
// same read inside a transaction.
func testCustomerFacts(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	w := analytics.WindowsOf(factsAsOf)
	check(t, "windows", analytics.FactsWindows{AsOf: factsAsOf, Day: factsDay, Since: factsSince,
		TicketsSince: ticketsSince, RecentFrom: recentFrom, PriorFrom: priorFrom}, w)

	a, b, c, d := newCustomer(t, "A"), newFullCustomer(t), newCustomer(t, "C"), newCustomer(t, "D")
	create(t, s, a, b, c, d)
	wantA := factsOfA(t, s, a.ID)
	wantC := factsOfC(t, s, c.ID)
	wantD := factsOfDeleted(t, s, d)
	wantB := analytics.Facts{CustomerID: b.ID, Status: customer.StatusSuspended, Services: []analytics.ServiceFact{}}

	ids := []string{c.ID, b.ID, newID(t), a.ID, d.ID}
	want := []analytics.Facts{wantC, wantB, wantA, wantD}
	got, err := s.CustomerFacts(ctx, ids, factsAsOf)
	ok(t, "CustomerFacts", err)
	check(t, "facts", want, got)

	got, err = s.CustomerFacts(ctx, []string{a.ID, c.ID}, factsAsOf.Add(999*time.Nanosecond))
	ok(t, "CustomerFacts within the microsecond", err)
	check(t, "facts as of a time within asOf's microsecond", []analytics.Facts{wantA, wantC}, got)

	err = s.RunInTx(ctx, func(ctx context.Context, s store.Store) error {
		got, err := s.CustomerFacts(ctx, ids, factsAsOf)
		ok(t, "CustomerFacts in a transaction", err)
		check(t, "facts in a transaction", want, got)
		return nil
	})
	ok(t, "RunInTx", err)
}

// factsOfA stores customer a's records and returns its Facts as of
// factsAsOf, computed by hand. One of its payments names X-1, an invoice of
// customer C (factsOfC), not of a.
func factsOfA(t *testing.T, s store.Store, a string) analytics.Facts {
	t.Helper()
	ctx := t.Context()
	want := analytics.Facts{CustomerID: a, Status: customer.StatusActive}

	// Services: every one started on or before asOf's date, whatever its
	// status or end (HeldOn is not the store's concern), by id; S4 starts
	// the day after.
	sid := newIDs(t, 5)
	s1 := newSubscription(t, a, customer.SubscriptionActive, 4999)
	s2 := newSubscription(t, a, customer.SubscriptionCancelled, 2999)
	s2.Technology, s2.ContractTerm = customer.TechDSL, customer.TermMonthToMonth
	s2.StartDate, s2.EndDate = date(2019, time.June, 15), ptr(date(2020, time.January, 1))
	s3 := newSubscription(t, a, customer.SubscriptionPending, 1999)
	s3.StartDate = factsDay
	s4 := newSubscription(t, a, customer.SubscriptionActive, 999)
	s4.StartDate = date(2025, time.March, 15)
	s5 := newFullSubscription(t, a)
	for i, sub := range []*customer.Subscription{s1, s2, s3, s4, s5} {
		sub.ID = sid[i]
	}
	for _, sub := range []*customer.Subscription{s5, s3, s1, s4, s2} {
		ok(t, "CreateSubscription", s.CreateSubscription(ctx, sub))
	}
	for _, sub := range []*customer.Subscription{s1, s2, s3, s5} {
		want.Services = append(want.Services, analytics.ServiceFactOf(sub))
	}

	// Invoices: the latest issued by asOf's date are INV-2 and INV-3, tied
	// on the date, and INV-3 wins by id; INV-9 is issued the day after.
	// All are paid but INV-2 and INV-9 (49.99 each), open: only INV-2 is
	// owed by asOf.
	invoice := func(id string, issued, due crm.Date, d analytics.Delivery) analytics.Invoice {
		v := invoiceFeed.new(a, 0)
		v.InvoiceID, v.IssuedAt, v.DueDate, v.Delivery = id, issued, due, d
		if id == "INV-2" || id == "INV-9" {
			v.Status = analytics.InvoiceOpen
		}
		return v
	}
	_, err := s.UpsertInvoices(ctx, a, []analytics.Invoice{
		invoice("INV-1", date(2025, time.February, 1), date(2025, time.February, 15), analytics.DeliveryPostal),
		invoice("INV-3", factsDay, date(2025, time.March, 28), analytics.DeliveryEmail),
		invoice("INV-2", factsDay, date(2025, time.March, 28), analytics.DeliveryPostal),
		invoice("INV-9", date(2025, time.March, 15), date(2025, time.March, 29), analytics.DeliveryPostal),
		invoice("DUE-1", date(2024, time.December, 27), date(2025, time.January, 10), analytics.DeliveryPostal),
		invoice("DUE-2", date(2024, time.December, 27), date(2025, time.January, 10), analytics.DeliveryPostal),
		invoice("DUE-3", date(2023, time.December, 18), date(2024, time.January, 1), analytics.DeliveryPostal),
	})
	ok(t, "UpsertInvoices A", err)
	want.LatestDelivery = analytics.DeliveryEmail

	// Payments. The revenue is P01..P06 less the refunds P12 and P13:
	// 1000 + 2000 + 3000 + 4000 + 500 + 600 - 800 - 300 = 10000 (P14 is
	// after asOf). Failed within [Since, AsOf]: P07 (at Since), P09, P10
	// (at AsOf); not P08 (a microsecond before Since) nor P15 (after
	// AsOf). Late: P02, paid at the midnight that ends DUE-2's due date,
	// and P04, at Since, of DUE-3; not P01, paid in the last microsecond
	// of its due date, nor P03 (before Since), P05 (no invoice), P06
	// (another customer's invoice), the failed P07 and P09 or the refund
	// P13 of late invoices, nor P14 (after AsOf). The latest payment that
	// is not a refund: P10, P11 and the refund P12 are at AsOf, and P11
	// wins by id (P14 and P15 are after AsOf). The latest succeeded: P06.
	// The balance: INV-2, less the payments and refunds that name no
	// settled invoice of a: P05 (none) and P06 (C's X-1), plus the refund
	// P12 (none): 4999 - 500 - 600 + 800 = 4699.
	payment := func(id string, st analytics.PaymentStatus, amount crm.Money, paid time.Time, invoiceID string) analytics.Payment {
		v := paymentFeed.new(a, 0)
		v.TransactionID, v.Status, v.Amount, v.PaidAt, v.InvoiceID = id, st, amount, paid, invoiceID
		v.PaymentMethod, v.Autopay = analytics.MethodBankTransfer, false
		return v
	}
	paid, failed, refunded := analytics.PaymentSucceeded, analytics.PaymentFailed, analytics.PaymentRefunded
	p10 := payment("P10", failed, 700, factsAsOf, "")
	p10.PaymentMethod = analytics.MethodCreditCard
	p11 := payment("P11", analytics.PaymentPending, 900, factsAsOf, "")
	p11.PaymentMethod, p11.Autopay = analytics.MethodDebitCard, true
	p12 := payment("P12", refunded, 800, factsAsOf, "")
	p12.PaymentMethod = analytics.MethodCash
	p14 := payment("P14", paid, 10000, factsAsOf.Add(time.Microsecond), "DUE-3")
	p15 := payment("P15", failed, 700, factsAsOf.Add(time.Microsecond), "")
	p14.PaymentMethod, p15.PaymentMethod = analytics.MethodOther, analytics.MethodOther
	_, err = s.UpsertPayments(ctx, a, []analytics.Payment{
		payment("P01", paid, 1000, utc(2025, time.January, 10, 23, 59, 59, 999999), "DUE-1"),
		payment("P02", paid, 2000, utc(2025, time.January, 11, 0, 0, 0, 0), "DUE-2"),
		payment("P03", paid, 3000, factsSince.Add(-time.Microsecond), "DUE-3"),
		payment("P04", paid, 4000, factsSince, "DUE-3"),
		payment("P05", paid, 500, utc(2025, time.February, 1, 0, 0, 0, 0), ""),
		payment("P06", paid, 600, utc(2025, time.February, 2, 0, 0, 0, 0), "X-1"),
		payment("P07", failed, 700, factsSince, "DUE-2"),
		payment("P08", failed, 700, factsSince.Add(-time.Microsecond), ""),
		payment("P09", failed, 700, utc(2025, time.February, 3, 0, 0, 0, 0), "DUE-2"),
		p10, p11, p12,
		payment("P13", refunded, 300, utc(2025, time.March, 1, 0, 0, 0, 0), "DUE-3"),
		p14, p15,
	})
	ok(t, "UpsertPayments A", err)
	want.HistoricalRevenue, want.FailedPayments, want.LatePayments = 10000, 3, 2
	want.LatestMethod, want.LatestAutopay = analytics.MethodDebitCard, true
	want.Balance, want.LastPaidAt, want.LastPaidAmount = 4699, ptr(utc(2025, time.February, 2, 0, 0, 0, 0)), 600

	// Tickets. All by AsOf: T01 to T09. Recent (opened in [TicketsSince, AsOf]): T01, T03, T04,
	// T05, T06, T09. Open at AsOf: T01 (open), T02 (resolved after AsOf),
	// T05 (pending), T08 (open, opened before every window), T09; not T03
	// (resolved at AsOf), T04 (resolved without a time), T06 (closed), T07.
	// Rated (opened in [Since, AsOf]): T02 5, T03 2, T04 3, T07 1, T09 5;
	// not T08 (before Since) nor T10 (after AsOf).
	ticket := func(id string, opened time.Time, resolved *time.Time, st analytics.TicketStatus, rating *int) analytics.Ticket {
		v := ticketFeed.new(a, 0)
		v.TicketID, v.OpenedAt, v.ResolvedAt, v.Status, v.Satisfaction = id, opened, resolved, st, rating
		return v
	}
	open, resolved, closed := analytics.TicketOpen, analytics.TicketResolved, analytics.TicketClosed
	_, err = s.UpsertTickets(ctx, a, []analytics.Ticket{
		ticket("T01", ticketsSince, nil, open, nil),
		ticket("T02", ticketsSince.Add(-time.Microsecond), ptr(factsAsOf.Add(time.Microsecond)), resolved, ptr(5)),
		ticket("T03", utc(2025, time.January, 1, 0, 0, 0, 0), ptr(factsAsOf), resolved, ptr(2)),
		ticket("T04", utc(2025, time.January, 2, 0, 0, 0, 0), nil, resolved, ptr(3)),
		ticket("T05", utc(2025, time.January, 3, 0, 0, 0, 0), nil, analytics.TicketPending, nil),
		ticket("T06", utc(2025, time.January, 4, 0, 0, 0, 0), nil, closed, nil),
		ticket("T07", factsSince, ptr(utc(2024, time.April, 1, 0, 0, 0, 0)), closed, ptr(1)),
		ticket("T08", factsSince.Add(-time.Microsecond), nil, open, ptr(4)),
		ticket("T09", factsAsOf, nil, open, ptr(5)),
		ticket("T10", factsAsOf.Add(time.Microsecond), nil, open, ptr(5)),
	})
	ok(t, "UpsertTickets A", err)
	want.Tickets, want.RecentTickets, want.OpenTickets, want.Rated, want.RatingSum = 9, 6, 5, 5, 16

	// Status changes to suspended within [Since, AsOf]: at Since and at
	// AsOf; not a microsecond outside either, nor changes to other statuses.
	change := func(from, to customer.Status, at time.Time) {
		ok(t, "InsertStatusChange", s.InsertStatusChange(ctx, &customer.StatusChange{ID: newID(t), CustomerID: a,
			From: from, To: to, ActorID: "key_1", At: at}))
	}
	active, suspended := customer.StatusActive, customer.StatusSuspended
	change(active, suspended, factsSince.Add(-time.Microsecond))
	change(suspended, active, utc(2024, time.March, 1, 0, 0, 0, 0))
	change(active, suspended, factsSince)
	change(suspended, active, utc(2024, time.June, 1, 0, 0, 0, 0))
	change(active, customer.StatusClosed, utc(2024, time.July, 1, 0, 0, 0, 0))
	change(customer.StatusClosed, active, utc(2024, time.July, 2, 0, 0, 0, 0))
	change(active, suspended, factsAsOf)
	change(suspended, suspended, factsAsOf.Add(time.Microsecond))
	want.Suspensions = 2

	// Usage: prior is [PriorFrom, RecentFrom-1], recent [RecentFrom, Day],
	// both ends included; the days just outside count in neither.
	usage := func(service string, d crm.Date, down, up int64) analytics.Usage {
		v := usageFeed.new(a, 0)
		v.ServiceID, v.Date, v.DownloadBytes, v.UploadBytes = service, d, down, up
		return v
	}
	_, err = s.UpsertUsage(ctx, a, []analytics.Usage{
		usage(s1.ID, date(2024, time.September, 13), 1, 2),
		usage(s1.ID, priorFrom, 10, 20),
		usage(s1.ID, date(2024, time.December, 13), 100, 200),
		usage(s1.ID, recentFrom, 1000, 2000),
		usage(s1.ID, factsDay, 5_000_000_000, 20000),
		usage(s5.ID, factsDay, 100000, 200000),
		usage(s1.ID, date(2025, time.March, 15), 1_000_000, 2_000_000),
	})
	ok(t, "UpsertUsage A", err)
	want.UsagePrior, want.UsageRecent = 330, 3000+5_000_020_000+300000
	return want
}

// factsOfC stores the records of customer c (whose invoice X-1 a payment
// of customer A names) and returns its Facts: one late payment of the paid
// X-1 (so nothing owed) and one day of usage, no services.
func factsOfC(t *testing.T, s store.Store, c string) analytics.Facts {
	t.Helper()
	ctx := t.Context()
	inv := invoiceFeed.new(c, 0)
	inv.InvoiceID, inv.IssuedAt, inv.DueDate, inv.Delivery = "X-1", date(2019, time.December, 1),
		date(2020, time.January, 1), analytics.DeliveryEmail
	_, err := s.UpsertInvoices(ctx, c, []analytics.Invoice{inv})
	ok(t, "UpsertInvoices C", err)
	p := paymentFeed.new(c, 0)
	p.TransactionID, p.Status, p.Amount, p.PaidAt, p.InvoiceID = "P01", analytics.PaymentSucceeded, 5000,
		utc(2025, time.January, 1, 0, 0, 0, 0), "X-1"
	_, err = s.UpsertPayments(ctx, c, []analytics.Payment{p})
	ok(t, "UpsertPayments C", err)
	u := usageFeed.new(c, 0)
	u.Date, u.DownloadBytes, u.UploadBytes = date(2025, time.January, 1), 3, 4
	_, err = s.UpsertUsage(ctx, c, []analytics.Usage{u})
	ok(t, "UpsertUsage C", err)
	return analytics.Facts{CustomerID: c, Status: customer.StatusActive, Services: []analytics.ServiceFact{},
		HistoricalRevenue: 5000, LastPaidAt: ptr(p.PaidAt), LastPaidAmount: 5000,
		LatestDelivery: analytics.DeliveryEmail, LatestMethod: p.PaymentMethod,
		LatestAutopay: p.Autopay, LatePayments: 1, UsageRecent: 7}
}

// factsOfDeleted gives customer d records of every kind, then deletes it,
// and returns its Facts as of factsAsOf, computed by hand: a deleted
// customer's records stay for the books, and so do its Facts, closed.
// The payment (failed, at asOf) and the ticket (opened at asOf, resolved
// a minute after, rated 4) lie at the windows' end.
func factsOfDeleted(t *testing.T, s store.Store, d *customer.Customer) analytics.Facts {
	t.Helper()
	ctx := t.Context()
	sub := newSubscription(t, d.ID, customer.SubscriptionActive, 4999)
	ok(t, "CreateSubscription D", s.CreateSubscription(ctx, sub))
	_, err := s.UpsertInvoices(ctx, d.ID, []analytics.Invoice{invoiceFeed.new(d.ID, 0)})
	ok(t, "UpsertInvoices D", err)
	_, err = s.UpsertPayments(ctx, d.ID, []analytics.Payment{paymentFeed.new(d.ID, 0)})
	ok(t, "UpsertPayments D", err)
	_, err = s.UpsertTickets(ctx, d.ID, []analytics.Ticket{ticketFeed.new(d.ID, 0)})
	ok(t, "UpsertTickets D", err)
	remove(t, s, d)
	return analytics.Facts{CustomerID: d.ID, Status: customer.StatusClosed, Services: []analytics.ServiceFact{analytics.ServiceFactOf(sub)},
		LatestDelivery: analytics.DeliveryPostal, LatestMethod: analytics.MethodBankTransfer, LatestAutopay: true,
		FailedPayments: 1, Tickets: 1, RecentTickets: 1, OpenTickets: 1, Rated: 1, RatingSum: 4}
}
