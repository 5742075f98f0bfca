package memstore

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// feed is a table of one kind of analytics record: by customer, then by the
// record's source key within the customer.
type feed[T any] struct {
	// key returns the record's source key within its customer.
	key func(v *T) string
	// clone deep-copies a record at the store's boundary, normalising its
	// times as Postgres does.
	clone func(v *T) *T
	// stamps points at the record's created and updated times.
	stamps func(v *T) (created, updated *time.Time)
	rows   map[string]map[string]*T
}

// newFeed returns an empty feed table.
func newFeed[T any](key func(*T) string, clone func(*T) *T, stamps func(*T) (*time.Time, *time.Time)) *feed[T] {
	return &feed[T]{key: key, clone: clone, stamps: stamps, rows: map[string]map[string]*T{}}
}

// upsert writes copies of vs for the customer, as analytics.Repository's
// Upsert methods document: not_found when the customer does not exist
// (deleted or not, as Postgres' foreign key).
func (f *feed[T]) upsert(ctx context.Context, s *Store, customerID string, vs []T) ([]analytics.Outcome, error) {
	out := make([]analytics.Outcome, len(vs))
	err := s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.customers[customerID]; !ok {
			return crm.NotFound("customer")
		}
		m := f.rows[customerID]
		if m == nil {
			m = map[string]*T{}
			set(tx, f.rows, customerID, m)
		}
		for i := range vs {
			v := f.clone(&vs[i])
			k := f.key(v)
			old, ok := m[k]
			switch {
			case !ok:
				out[i] = analytics.Created
			case f.same(old, v):
				out[i] = analytics.Unchanged
				continue
			default:
				out[i] = analytics.Updated
				created, _ := f.stamps(v)
				oldCreated, _ := f.stamps(old)
				*created = *oldCreated
			}
			set(tx, m, k, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// same reports whether a and b are equal but for their stored times.
func (f *feed[T]) same(a, b *T) bool {
	x, y := f.clone(a), f.clone(b)
	for _, v := range []*T{x, y} {
		c, u := f.stamps(v)
		*c, *u = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(x, y)
}

// list returns copies of the customer's records sorted by compare.
func (f *feed[T]) list(ctx context.Context, s *Store, customerID string, compare func(a, b *T) int) ([]T, error) {
	out := []T{}
	err := s.read(ctx, func(*database) error {
		for _, v := range f.rows[customerID] {
			out = append(out, *f.clone(v))
		}
		return nil
	})
	slices.SortFunc(out, func(a, b T) int { return compare(&a, &b) })
	return out, err
}

// newInvoices returns an empty table of invoice records.
func newInvoices() *feed[analytics.Invoice] {
	return newFeed(func(v *analytics.Invoice) string { return v.InvoiceID },
		func(v *analytics.Invoice) *analytics.Invoice {
			c := *v
			c.PeriodStart, c.PeriodEnd = cloneDate(v.PeriodStart), cloneDate(v.PeriodEnd)
			c.CreatedAt, c.UpdatedAt = normTime(v.CreatedAt), normTime(v.UpdatedAt)
			return &c
		},
		func(v *analytics.Invoice) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt })
}

// newPayments returns an empty table of payment records.
func newPayments() *feed[analytics.Payment] {
	return newFeed(func(v *analytics.Payment) string { return v.TransactionID },
		func(v *analytics.Payment) *analytics.Payment {
			c := *v
			c.PaidAt, c.CreatedAt, c.UpdatedAt = normTime(v.PaidAt), normTime(v.CreatedAt), normTime(v.UpdatedAt)
			return &c
		},
		func(v *analytics.Payment) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt })
}

// newUsage returns an empty table of usage records.
func newUsage() *feed[analytics.Usage] {
	return newFeed(func(v *analytics.Usage) string { return v.ServiceID + " " + v.Date.String() },
		func(v *analytics.Usage) *analytics.Usage {
			c := *v
			c.CreatedAt, c.UpdatedAt = normTime(v.CreatedAt), normTime(v.UpdatedAt)
			return &c
		},
		func(v *analytics.Usage) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt })
}

// newTickets returns an empty table of ticket records.
func newTickets() *feed[analytics.Ticket] {
	return newFeed(func(v *analytics.Ticket) string { return v.TicketID }, cloneTicket,
		func(v *analytics.Ticket) (*time.Time, *time.Time) { return &v.CreatedAt, &v.UpdatedAt })
}

func cloneTicket(v *analytics.Ticket) *analytics.Ticket {
	c := *v
	c.OpenedAt, c.ResolvedAt = normTime(v.OpenedAt), cloneTime(v.ResolvedAt)
	if v.Satisfaction != nil {
		n := *v.Satisfaction
		c.Satisfaction = &n
	}
	c.CreatedAt, c.UpdatedAt = normTime(v.CreatedAt), normTime(v.UpdatedAt)
	return &c
}

// UpsertInvoices upserts copies of the customer's invoices by InvoiceID.
func (s *Store) UpsertInvoices(ctx context.Context, customerID string, v []analytics.Invoice) ([]analytics.Outcome, error) {
	return s.db.invoices.upsert(ctx, s, customerID, v)
}

// UpsertPayments upserts copies of the customer's payments by
// TransactionID.
func (s *Store) UpsertPayments(ctx context.Context, customerID string, v []analytics.Payment) ([]analytics.Outcome, error) {
	return s.db.payments.upsert(ctx, s, customerID, v)
}

// UpsertUsage upserts copies of the customer's usage by service and date.
func (s *Store) UpsertUsage(ctx context.Context, customerID string, v []analytics.Usage) ([]analytics.Outcome, error) {
	return s.db.usage.upsert(ctx, s, customerID, v)
}

// UpsertTickets upserts copies of the customer's tickets by TicketID.
func (s *Store) UpsertTickets(ctx context.Context, customerID string, v []analytics.Ticket) ([]analytics.Outcome, error) {
	return s.db.tickets.upsert(ctx, s, customerID, v)
}

// ListInvoices returns copies of up to limit invoices of the customer,
// newest first, strictly after the invoice at after.
func (s *Store) ListInvoices(ctx context.Context, customerID string, after *analytics.InvoiceKey, limit int) ([]analytics.Invoice, error) {
	all, err := s.db.invoices.list(ctx, s, customerID, func(a, b *analytics.Invoice) int {
		return cmp.Or(b.IssuedAt.Time().Compare(a.IssuedAt.Time()), cmp.Compare(b.InvoiceID, a.InvoiceID))
	})
	if err != nil {
		return nil, err
	}
	if after != nil {
		all = slices.DeleteFunc(all, func(v analytics.Invoice) bool {
			return cmp.Or(after.IssuedAt.Time().Compare(v.IssuedAt.Time()), cmp.Compare(after.InvoiceID, v.InvoiceID)) <= 0
		})
	}
	return all[:limitOf(limit, len(all))], nil
}

// ListPayments returns copies of the customer's payments, newest first.
func (s *Store) ListPayments(ctx context.Context, customerID string) ([]analytics.Payment, error) {
	return s.db.payments.list(ctx, s, customerID, func(a, b *analytics.Payment) int {
		return cmp.Or(b.PaidAt.Compare(a.PaidAt), cmp.Compare(b.TransactionID, a.TransactionID))
	})
}

// ListUsage returns copies of the customer's usage by date, then service.
func (s *Store) ListUsage(ctx context.Context, customerID string) ([]analytics.Usage, error) {
	return s.db.usage.list(ctx, s, customerID, func(a, b *analytics.Usage) int {
		return cmp.Or(a.Date.Time().Compare(b.Date.Time()), cmp.Compare(a.ServiceID, b.ServiceID))
	})
}

// ListTickets returns copies of the customer's tickets, newest first.
func (s *Store) ListTickets(ctx context.Context, customerID string) ([]analytics.Ticket, error) {
	return s.db.tickets.list(ctx, s, customerID, func(a, b *analytics.Ticket) int {
		return cmp.Or(b.OpenedAt.Compare(a.OpenedAt), cmp.Compare(b.TicketID, a.TicketID))
	})
}

// RedactTicketSubjects replaces the non-empty subjects of the customer's
// tickets with crm.Redacted.
func (s *Store) RedactTicketSubjects(ctx context.Context, customerID string) error {
	return s.db.tickets.redact(ctx, s, customerID, func(v *analytics.Ticket) *string { return &v.Subject })
}

// RedactPaymentNotes replaces the non-empty notes of the customer's
// payments with crm.Redacted.
func (s *Store) RedactPaymentNotes(ctx context.Context, customerID string) error {
	return s.db.payments.redact(ctx, s, customerID, func(v *analytics.Payment) *string { return &v.Notes })
}

// redact replaces the non-empty text that field points at in each of the
// customer's records with crm.Redacted. Stored values are replaced, never
// modified.
func (f *feed[T]) redact(ctx context.Context, s *Store, customerID string, field func(*T) *string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		m := f.rows[customerID]
		for k, v := range m {
			if *field(v) != "" {
				r := f.clone(v)
				*field(r) = crm.Redacted
				set(tx, m, k, r)
			}
		}
		return nil
	})
}
