package analytics_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestIngestRecords ingests, replays and corrects a batch of each feed on
// both stores and checks the counts, and that each batch that changed
// something wrote one audit entry and one event naming the changed
// records, while a replay wrote neither.
func TestIngestRecords(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_billing"})
		type step struct {
			entity string
			ingest func() (analytics.Counts, error)
			want   analytics.Counts
			// changed are the keys the batch's event names; nil when the
			// batch writes no event.
			changed []any
		}
		invoices := []analytics.InvoiceInput{validInvoice("INV-1"), validInvoice("INV-2")}
		corrected := append([]analytics.InvoiceInput(nil), invoices...)
		corrected[1].Amount = ptr(crm.Money(5999))
		corrected = append(corrected, validInvoice("INV-3"))
		payments := []analytics.PaymentInput{validPayment("TX-1")}
		usage := []analytics.UsageInput{validUsage(f.sub.ID, date(2024, time.March, 1)), validUsage(f.sub.ID, date(2024, time.March, 2))}
		usageFixed := append([]analytics.UsageInput(nil), usage...)
		usageFixed[0].UploadBytes = ptr(int64(7))
		tickets := []analytics.TicketInput{validTicket("T-1")}
		key := func(d crm.Date) any { return map[string]any{"service_id": f.sub.ID, "date": d.String()} }
		steps := []step{
			{"invoices", func() (analytics.Counts, error) { return f.svc.IngestInvoices(ctx, f.c.ID, invoices) },
				analytics.Counts{Created: 2}, []any{"INV-1", "INV-2"}},
			{"invoices", func() (analytics.Counts, error) { return f.svc.IngestInvoices(ctx, f.c.ID, invoices) },
				analytics.Counts{Unchanged: 2}, nil},
			{"invoices", func() (analytics.Counts, error) { return f.svc.IngestInvoices(ctx, f.c.ID, corrected) },
				analytics.Counts{Created: 1, Updated: 1, Unchanged: 1}, []any{"INV-2", "INV-3"}},
			{"payments", func() (analytics.Counts, error) { return f.svc.IngestPayments(ctx, f.c.ID, payments) },
				analytics.Counts{Created: 1}, []any{"TX-1"}},
			{"payments", func() (analytics.Counts, error) { return f.svc.IngestPayments(ctx, f.c.ID, payments) },
				analytics.Counts{Unchanged: 1}, nil},
			{"usage", func() (analytics.Counts, error) { return f.svc.IngestUsage(ctx, f.c.ID, usage) },
				analytics.Counts{Created: 2}, []any{key(usage[0].Date), key(usage[1].Date)}},
			{"usage", func() (analytics.Counts, error) { return f.svc.IngestUsage(ctx, f.c.ID, usageFixed) },
				analytics.Counts{Updated: 1, Unchanged: 1}, []any{key(usage[0].Date)}},
			{"tickets", func() (analytics.Counts, error) { return f.svc.IngestTickets(ctx, f.c.ID, tickets) },
				analytics.Counts{Created: 1}, []any{"T-1"}},
			{"tickets", func() (analytics.Counts, error) { return f.svc.IngestTickets(ctx, f.c.ID, tickets) },
				analytics.Counts{Unchanged: 1}, nil},
		}
		type recorded struct {
			Entity, Action, Actor string
			Changes               map[string]string
			Event                 string
			Payload               map[string]any
		}
		var want []recorded
		for i, s := range steps {
			got, err := s.ingest()
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if diff := cmp.Diff(s.want, got); diff != "" {
				t.Errorf("step %d counts (-want +got):\n%s", i, diff)
			}
			if s.changed != nil {
				want = append(want, recorded{s.entity, "ingest", "key_billing",
					map[string]string{"created": fmt.Sprint(s.want.Created), "updated": fmt.Sprint(s.want.Updated), "unchanged": fmt.Sprint(s.want.Unchanged)},
					s.entity + ".ingested",
					map[string]any{"created": float64(s.want.Created), "updated": float64(s.want.Updated),
						"unchanged": float64(s.want.Unchanged), "changed": s.changed}})
			}
		}
		audit, err := st.ListAudit(ctx, f.c.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		events, err := st.ListEvents(ctx, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []recorded
		var ingestEvents []crm.Event
		for _, e := range events {
			if strings.HasSuffix(e.Type, ".ingested") {
				ingestEvents = append(ingestEvents, e)
			}
		}
		var entries []crm.AuditEntry
		for i := len(audit) - 1; i >= 0; i-- { // oldest first
			if audit[i].Action == "ingest" {
				entries = append(entries, audit[i])
			}
		}
		if len(entries) != len(ingestEvents) {
			t.Fatalf("%d ingest audit entries, %d ingest events", len(entries), len(ingestEvents))
		}
		for i, a := range entries {
			r := recorded{Entity: a.Entity, Action: a.Action, Actor: a.ActorID, Changes: map[string]string{},
				Event: ingestEvents[i].Type}
			for _, c := range a.Changes {
				r.Changes[c.Field] = string(c.After)
			}
			if err := json.Unmarshal(ingestEvents[i].Payload, &r.Payload); err != nil {
				t.Fatal(err)
			}
			if r.Payload["id"] != a.EntityID {
				t.Errorf("event %d id %v, audit entity_id %s: want the batch id in both", i, r.Payload["id"], a.EntityID)
			}
			delete(r.Payload, "id")
			got = append(got, r)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("audit entries and events (-want +got):\n%s", diff)
		}

		stored, err := st.ListInvoices(ctx, f.c.ID, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != 3 || stored[1].InvoiceID != "INV-2" || stored[1].Amount != 5999 {
			t.Errorf("invoices after the correction = %+v", stored)
		}
	})
}

// TestIngestNotFound checks that feeds need a live customer.
func TestIngestNotFound(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		for _, id := range []string{"nope", "0190a7e2-0000-7000-8000-000000000001"} {
			_, err := f.svc.IngestInvoices(ctx, id, []analytics.InvoiceInput{validInvoice("INV-1")})
			if crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("IngestInvoices(%q) = %v, want not_found", id, err)
			}
			_, err = f.svc.ListInvoices(ctx, id, "", 0)
			if crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("ListInvoices(%q) = %v, want not_found", id, err)
			}
		}
	})
}

// TestListInvoices pages a customer's invoices newest first on both
// stores, and refuses a limit or cursor it did not make.
func TestListInvoices(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		var in []analytics.InvoiceInput
		var want []string
		for i := range 7 {
			v := validInvoice(fmt.Sprintf("INV-%d", i))
			v.IssuedAt = date(2024, time.January, 1+i/2) // pairs share a date
			v.DueDate = v.IssuedAt
			in = append(in, v)
		}
		for i := 6; i >= 0; i-- {
			want = append(want, fmt.Sprintf("INV-%d", i))
		}
		if _, err := f.svc.IngestInvoices(ctx, f.c.ID, in); err != nil {
			t.Fatal(err)
		}
		var got []string
		cursor := ""
		for range 10 {
			page, err := f.svc.ListInvoices(ctx, f.c.ID, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range page.Items {
				got = append(got, v.InvoiceID)
			}
			if !page.HasMore {
				break
			}
			cursor = page.NextCursor
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("invoice ids paged by 3 (-want +got):\n%s", diff)
		}
		_, err := f.svc.ListInvoices(ctx, f.c.ID, "not-a-cursor", 201)
		wantInvalid(t, err, crm.FieldError{Field: "limit", Message: "must be between 1 and 200"},
			crm.FieldError{Field: "cursor", Message: "is not a cursor returned by this API"})
	})
}
