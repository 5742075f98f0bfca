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

// The instants of the support fixture, from the fixed clock now
// (2026-01-02T03:04:05Z): a year before it the 12-month window starts,
// and 90 days before it (2025-10-04T03:04:05Z) the recent tickets start.
var (
	yearAgo  = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	days90   = time.Date(2025, 10, 4, 3, 4, 5, 0, time.UTC)
	monthAgo = time.Date(2025, 12, 2, 3, 4, 5, 0, time.UTC)
)

// ticketAt is a ticket of the category and status opened at opened,
// resolved after resolvedIn (not resolved when 0) and rated satisfaction
// (not rated when 0).
func ticketAt(id string, opened time.Time, category analytics.TicketCategory, status analytics.TicketStatus,
	resolvedIn time.Duration, satisfaction int) analytics.Ticket {
	t := analytics.Ticket{CustomerID: "c", TicketID: id, Subject: "subject " + id, Category: category,
		Priority: analytics.PriorityNormal, Status: status, OpenedAt: opened}
	if resolvedIn != 0 {
		t.ResolvedAt = ptr(opened.Add(resolvedIn))
	}
	if satisfaction != 0 {
		t.Satisfaction = ptr(satisfaction)
	}
	return t
}

// supportTickets are the fixture's tickets, in no particular order:
//
//	T0  a microsecond before the 12-month window  billing   open     —     rated 1
//	T1  exactly at the window's start             technical resolved 2 h   rated 5
//	T2  2025-06-01                                billing   closed   0.5 h
//	T3  exactly 90 days before now                outage    pending  —     rated 2
//	T4  a microsecond before the 90 days          account   open     —
//	T5  2025-12-31                                technical resolved 1 h   rated 4
var supportTickets = []analytics.Ticket{
	ticketAt("T3", days90, analytics.CategoryOutage, analytics.TicketPending, 0, 2),
	ticketAt("T0", yearAgo.Add(-time.Microsecond), analytics.CategoryBilling, analytics.TicketOpen, 0, 1),
	ticketAt("T5", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), analytics.CategoryTechnical, analytics.TicketResolved, time.Hour, 4),
	ticketAt("T1", yearAgo, analytics.CategoryTechnical, analytics.TicketResolved, 2*time.Hour, 5),
	ticketAt("T4", days90.Add(-time.Microsecond), analytics.CategoryAccount, analytics.TicketOpen, 0, 0),
	ticketAt("T2", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), analytics.CategoryBilling, analytics.TicketClosed, 30*time.Minute, 0),
}

// byID returns the fixture's tickets with the ids, in that order.
func byID(ids ...string) []analytics.Ticket {
	out := []analytics.Ticket{}
	for _, id := range ids {
		for _, t := range supportTickets {
			if t.TicketID == id {
				out = append(out, t)
			}
		}
	}
	return out
}

// categories returns a by_category map with every category at 0 but the
// counts given.
func categories(counts map[analytics.TicketCategory]int) map[analytics.TicketCategory]int {
	out := map[analytics.TicketCategory]int{}
	for _, c := range analytics.TicketCategories {
		out[c] = counts[c]
	}
	return out
}

// TestSupportHistoryOf checks every figure on hand-computed fixtures.
func TestSupportHistoryOf(t *testing.T) {
	future := ticketAt("F", now.Add(time.Hour), analytics.CategoryInstallation, analytics.TicketOpen, 0, 3)
	halves := []analytics.Ticket{
		ticketAt("H1", monthAgo.Add(time.Hour), analytics.CategoryOther, analytics.TicketResolved, time.Hour, 3),
		ticketAt("H2", monthAgo.Add(2*time.Hour), analytics.CategoryOther, analytics.TicketResolved, 90*time.Minute, 4),
	}
	tests := []struct {
		name    string
		tickets []analytics.Ticket
		months  int
		want    *analytics.SupportHistory
	}{
		{
			// The window holds T1 (at its start) to T5, not T0. Resolution:
			// (2 + 0.5 + 1) / 3 = 1.1666… h; ratings (5 + 2 + 4) / 3 =
			// 3.666…; open or pending: T3, T4; last 90 days: T3 (at its
			// start) and T5, not T4.
			name: "12 months", tickets: supportTickets, months: 12,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: byID("T5", "T3", "T4", "T2", "T1"),
				Summary: analytics.SupportSummary{TotalTickets: 5, OpenTickets: 2, TicketsLast90Days: 2,
					AverageResolutionHours: ptr(1.2), AverageSatisfaction: ptr(3.7),
					ByCategory: categories(map[analytics.TicketCategory]int{analytics.CategoryTechnical: 2,
						analytics.CategoryBilling: 1, analytics.CategoryOutage: 1, analytics.CategoryAccount: 1})}},
		},
		{
			// 13 months reach T0 too: open 3, ratings (1 + 5 + 2 + 4) / 4 = 3.
			name: "13 months", tickets: supportTickets, months: 13,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: byID("T5", "T3", "T4", "T2", "T1", "T0"),
				Summary: analytics.SupportSummary{TotalTickets: 6, OpenTickets: 3, TicketsLast90Days: 2,
					AverageResolutionHours: ptr(1.2), AverageSatisfaction: ptr(3.0),
					ByCategory: categories(map[analytics.TicketCategory]int{analytics.CategoryTechnical: 2,
						analytics.CategoryBilling: 2, analytics.CategoryOutage: 1, analytics.CategoryAccount: 1})}},
		},
		{
			// One month holds T5 alone; the last 90 days still count T3.
			name: "1 month", tickets: supportTickets, months: 1,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: byID("T5"),
				Summary: analytics.SupportSummary{TotalTickets: 1, TicketsLast90Days: 2,
					AverageResolutionHours: ptr(1.0), AverageSatisfaction: ptr(4.0),
					ByCategory: categories(map[analytics.TicketCategory]int{analytics.CategoryTechnical: 1})}},
		},
		{
			name: "no tickets", tickets: nil, months: 12,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: []analytics.Ticket{},
				Summary: analytics.SupportSummary{ByCategory: categories(nil)}},
		},
		{
			// Nothing in the window: zeros and nulls, though T0 exists.
			name: "empty window", tickets: byID("T0"), months: 12,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: []analytics.Ticket{},
				Summary: analytics.SupportSummary{ByCategory: categories(nil)}},
		},
		{
			// (1 + 1.5) / 2 = 1.25 h and (3 + 4) / 2 = 3.5: halves round up.
			name: "halves", tickets: halves, months: 1,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: []analytics.Ticket{halves[1], halves[0]},
				Summary: analytics.SupportSummary{TotalTickets: 2, TicketsLast90Days: 2,
					AverageResolutionHours: ptr(1.3), AverageSatisfaction: ptr(3.5),
					ByCategory: categories(map[analytics.TicketCategory]int{analytics.CategoryOther: 2})}},
		},
		{
			// A ticket dated after the clock is in no window, as a payment
			// after the clock is not in the payment history.
			name: "after the clock", tickets: []analytics.Ticket{future}, months: 1,
			want: &analytics.SupportHistory{CustomerID: "c", Tickets: []analytics.Ticket{},
				Summary: analytics.SupportSummary{ByCategory: categories(nil)}},
		},
	}
	for _, tt := range tests {
		got := analytics.SupportHistoryOf("c", tt.tickets, now, tt.months)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSupportWindowStart checks the window's start, calendar months back.
func TestSupportWindowStart(t *testing.T) {
	for _, tt := range []struct {
		now    time.Time
		months int
		want   time.Time
	}{
		{now, 12, yearAgo},
		{now, 1, monthAgo},
		{now, 60, time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)},
		{time.Date(2025, 3, 31, 12, 0, 0, 0, time.FixedZone("EST", -5*3600)), 1, time.Date(2025, 3, 3, 17, 0, 0, 0, time.UTC)},
	} {
		if got := analytics.WindowStart(tt.now, tt.months); !got.Equal(tt.want) {
			t.Errorf("WindowStart(%v, %d) = %v, want %v", tt.now, tt.months, got, tt.want)
		}
	}
}

// TestSupportHistoryBound checks that the list keeps the newest
// MaxSupportTickets tickets while the summary counts them all.
func TestSupportHistoryBound(t *testing.T) {
	n := analytics.MaxSupportTickets + 1
	var tickets []analytics.Ticket
	for i := range n {
		tickets = append(tickets, ticketAt(fmt.Sprintf("T%04d", i), monthAgo.Add(time.Duration(i)*time.Minute),
			analytics.CategoryOther, analytics.TicketClosed, 0, 0))
	}
	got := analytics.SupportHistoryOf("c", tickets, now, 1)
	if got.Summary.TotalTickets != n || got.Summary.ByCategory[analytics.CategoryOther] != n {
		t.Errorf("total %d, other %d; want %d", got.Summary.TotalTickets, got.Summary.ByCategory[analytics.CategoryOther], n)
	}
	if len(got.Tickets) != analytics.MaxSupportTickets || got.Tickets[0].TicketID != tickets[n-1].TicketID ||
		got.Tickets[len(got.Tickets)-1].TicketID != tickets[1].TicketID {
		t.Errorf("tickets: %d, from %s to %s; want the newest %d", len(got.Tickets), got.Tickets[0].TicketID,
			got.Tickets[len(got.Tickets)-1].TicketID, analytics.MaxSupportTickets)
	}
}

// TestSupportHistory reads the history through the Service on both
// stores: the figures of the fixture, the months bounds, and not_found for
// an unknown or deleted customer.
func TestSupportHistory(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		var in []analytics.TicketInput
		for _, v := range supportTickets {
			in = append(in, analytics.TicketInput{TicketID: v.TicketID, Subject: v.Subject, Category: v.Category,
				Priority: v.Priority, Status: v.Status, OpenedAt: v.OpenedAt, ResolvedAt: v.ResolvedAt, Satisfaction: v.Satisfaction})
		}
		if _, err := f.svc.IngestTickets(ctx, f.c.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.SupportHistory(ctx, f.c.ID, 12)
		if err != nil {
			t.Fatal(err)
		}
		want := analytics.SupportHistoryOf(f.c.ID, stampTickets(f.c.ID, byID("T5", "T3", "T4", "T2", "T1")), now, 12)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if got.Summary.TotalTickets != 5 || *got.Summary.AverageSatisfaction != 3.7 {
			t.Errorf("summary = %+v, want the fixture's", got.Summary)
		}
		for _, months := range []int{1, analytics.MaxHistoryMonths} {
			if _, err := f.svc.SupportHistory(ctx, f.c.ID, months); err != nil {
				t.Errorf("months %d: %v", months, err)
			}
		}
		for _, months := range []int{-1, 0, analytics.MaxHistoryMonths + 1} {
			_, err := f.svc.SupportHistory(ctx, f.c.ID, months)
			wantInvalid(t, err, crm.FieldError{Field: "months", Message: "must be between 1 and 60"})
		}
		for _, id := range []string{"nope", "0190a7e2-0000-7000-8000-000000000001"} {
			if _, err := f.svc.SupportHistory(ctx, id, 12); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("SupportHistory(%q) = %v, want not_found", id, err)
			}
		}
		if err := f.customers.Delete(ctx, f.c.ID, customer.DeleteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SupportHistory(ctx, f.c.ID, 12); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("SupportHistory of a deleted customer = %v, want not_found", err)
		}
	})
}

// stampTickets returns the tickets as the store returns them after an
// ingest at now: of the customer, created and updated at now.
func stampTickets(customerID string, ts []analytics.Ticket) []analytics.Ticket {
	out := make([]analytics.Ticket, len(ts))
	for i, v := range ts {
		v.CustomerID, v.CreatedAt, v.UpdatedAt = customerID, now, now
		out[i] = v
	}
	return out
}
