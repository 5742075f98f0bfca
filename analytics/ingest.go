package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/ispstack/crm"
)

// The outbox event types, one per feed. The payload names the source ids
// of the created and updated records.
const (
	EventInvoicesIngested = "invoices.ingested"
	EventPaymentsIngested = "payments.ingested"
	EventUsageIngested    = "usage.ingested"
	EventTicketsIngested  = "tickets.ingested"
)

// IngestInvoices upserts a batch of the customer's invoices by invoice_id.
// Errors: invalid (naming "invoices[i].field"), not_found.
func (s *Service) IngestInvoices(ctx context.Context, customerID string, in []InvoiceInput) (Counts, error) {
	return ingest(ctx, s, feed[InvoiceInput, Invoice]{
		plural: "invoices", event: EventInvoicesIngested, normalize: invoice,
		key:    func(v *Invoice) (string, any) { return "invoice_id", v.InvoiceID },
		upsert: Repository.UpsertInvoices,
	}, customerID, in)
}

// IngestPayments upserts a batch of the customer's payments by
// transaction_id. Errors: invalid (naming "payments[i].field"), not_found.
func (s *Service) IngestPayments(ctx context.Context, customerID string, in []PaymentInput) (Counts, error) {
	return ingest(ctx, s, feed[PaymentInput, Payment]{
		plural: "payments", event: EventPaymentsIngested, normalize: payment,
		key:    func(v *Payment) (string, any) { return "transaction_id", v.TransactionID },
		upsert: Repository.UpsertPayments,
	}, customerID, in)
}

// IngestUsage upserts a batch of daily usage of the customer's services by
// (service_id, date). Errors: invalid (naming "usage[i].field", also when
// service_id is not a service of the customer), not_found.
func (s *Service) IngestUsage(ctx context.Context, customerID string, in []UsageInput) (Counts, error) {
	return ingest(ctx, s, feed[UsageInput, Usage]{
		plural: "usage", event: EventUsageIngested, normalize: usage,
		key:    func(v *Usage) (string, any) { return "date", UsageKey{v.ServiceID, v.Date} },
		check:  checkServices,
		upsert: Repository.UpsertUsage,
	}, customerID, in)
}

// IngestTickets upserts a batch of the customer's support tickets by
// ticket_id. Errors: invalid (naming "tickets[i].field"), not_found.
func (s *Service) IngestTickets(ctx context.Context, customerID string, in []TicketInput) (Counts, error) {
	return ingest(ctx, s, feed[TicketInput, Ticket]{
		plural: "tickets", event: EventTicketsIngested, normalize: ticket,
		key:    func(v *Ticket) (string, any) { return "ticket_id", v.TicketID },
		upsert: Repository.UpsertTickets,
	}, customerID, in)
}

// UsageKey identifies a usage record within its customer.
type UsageKey struct {
	ServiceID string   `json:"service_id"`
	Date      crm.Date `json:"date"`
}

// feed describes one feed to ingest: input records In stored as T.
type feed[In, T any] struct {
	// plural names the batch in field paths, the audit entity and the
	// event.
	plural string
	event  string
	// normalize validates one input record (problems named under prefix)
	// and returns it as stored for the customer.
	normalize func(p *crm.Problems, prefix, customerID string, now time.Time, in In) T
	// key returns the field that names a record's source id when it repeats
	// (the last of the key's fields), and the key itself.
	key func(v *T) (string, any)
	// check, when set, validates the batch against the store, inside the
	// transaction.
	check func(ctx context.Context, r Repository, customerID, plural string, v []T) error
	// upsert writes the batch.
	upsert func(r Repository, ctx context.Context, customerID string, v []T) ([]Outcome, error)
}

// ingested is the payload of an ingest event.
type ingested struct {
	// ID identifies the batch; its audit entry has it as entity_id.
	ID string `json:"id"`
	Counts
	// Changed lists the keys of the created and updated records.
	Changed []any `json:"changed"`
}

// ingest validates a whole batch, then, in one transaction with the
// customer locked, upserts it, records the batch and, when it changed
// something, refreshes the customer's profile.
func ingest[In, T any](ctx context.Context, s *Service, f feed[In, T], customerID string, in []In) (Counts, error) {
	if !crm.ValidID(customerID) {
		return Counts{}, crm.NotFound("customer")
	}
	var p crm.Problems
	if len(in) == 0 || len(in) > MaxBatch {
		p.Addf(f.plural, "must hold 1 to %d records", MaxBatch)
		return Counts{}, p.Err()
	}
	now := s.clock()
	rows := make([]T, len(in))
	seen := make(map[any]int, len(in))
	for i, r := range in {
		prefix := fmt.Sprintf("%s[%d]", f.plural, i)
		rows[i] = f.normalize(&p, prefix, customerID, now, r)
		field, k := f.key(&rows[i])
		if j, dup := seen[k]; dup {
			p.Addf(prefix+"."+field, "repeats %s[%d]", f.plural, j)
		} else {
			seen[k] = i
		}
	}
	if err := p.Err(); err != nil {
		return Counts{}, err
	}
	var counts Counts
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		if _, err := r.LockCustomer(ctx, customerID); err != nil {
			return err
		}
		if f.check != nil {
			if err := f.check(ctx, r, customerID, f.plural, rows); err != nil {
				return err
			}
		}
		outcomes, err := f.upsert(r, ctx, customerID, rows)
		if err != nil {
			return err
		}
		payload := ingested{ID: crm.NewID(), Changed: []any{}}
		for i, o := range outcomes {
			switch o {
			case Created:
				payload.Created++
			case Updated:
				payload.Updated++
			default:
				payload.Unchanged++
				continue
			}
			_, k := f.key(&rows[i])
			payload.Changed = append(payload.Changed, k)
		}
		counts = payload.Counts
		if counts.Created+counts.Updated == 0 {
			return nil
		}
		if err := record(ctx, r, customerID, f.plural, f.event, payload, now); err != nil {
			return err
		}
		// The batch moved the customer's facts: its profile follows in the
		// same transaction.
		_, err = s.refresh(ctx, r, []string{customerID})
		return err
	})
	if err != nil {
		return Counts{}, err
	}
	return counts, nil
}

// record writes the audit entry and the outbox event of an ingested batch.
func record(ctx context.Context, r Repository, customerID, plural, event string, payload ingested, at time.Time) error {
	changes := []crm.FieldChange{
		crm.Added("created", payload.Created), crm.Added("updated", payload.Updated), crm.Added("unchanged", payload.Unchanged),
	}
	entry := crm.NewAuditEntry(ctx, customerID, plural, payload.ID, "ingest", changes, at)
	return crm.Record(ctx, r, entry, event, payload)
}

// checkServices checks that every usage record names a service of the
// customer.
func checkServices(ctx context.Context, r Repository, customerID, plural string, v []Usage) error {
	subs, err := r.ListSubscriptions(ctx, customerID, "", 0)
	if err != nil {
		return err
	}
	ids := make(map[string]bool, len(subs))
	for _, s := range subs {
		ids[s.ID] = true
	}
	var p crm.Problems
	for i, u := range v {
		if !ids[u.ServiceID] {
			p.Add(fmt.Sprintf("%s[%d].service_id", plural, i), "is not a service of this customer")
		}
	}
	return p.Err()
}
