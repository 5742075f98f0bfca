package memstore

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
)

// The clone functions deep-copy values at the store's boundary, so neither
// what a caller passed in nor what it got back shares memory with storage.
// On the way in they also normalise times as Postgres does (UTC, truncated to
// microseconds), so code tested on this store sees what pgstore returns.

// normTime is t as Postgres keeps it: UTC with microsecond precision and no
// monotonic reading.
func normTime(t time.Time) time.Time { return crm.StoredTime(t) }

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := normTime(*t)
	return &v
}

func cloneDate(d *crm.Date) *crm.Date {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}

// clonePtr copies the value p points to; nil stays nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return slices.Clone(b)
}

func cloneJSON(b json.RawMessage) json.RawMessage {
	if b == nil {
		return nil
	}
	return slices.Clone(b)
}

func cloneAddress(a *customer.Address) *customer.Address {
	if a == nil {
		return nil
	}
	v := *a
	if a.Coordinates != nil {
		c := *a.Coordinates
		v.Coordinates = &c
	}
	return &v
}

func cloneCustomer(c *customer.Customer) *customer.Customer {
	v := *c
	v.BillingAddress = *cloneAddress(&c.BillingAddress)
	v.ServiceAddress = cloneAddress(c.ServiceAddress)
	if c.TaxID != nil {
		v.TaxID = &customer.TaxID{Ciphertext: cloneBytes(c.TaxID.Ciphertext), BlindIndex: c.TaxID.BlindIndex}
	}
	if c.CreditScore != nil {
		n := *c.CreditScore
		v.CreditScore = &n
	}
	if c.EmergencyContact != nil {
		e := *c.EmergencyContact
		v.EmergencyContact = &e
	}
	if c.Suspension != nil {
		sp := *c.Suspension
		sp.Since = normTime(sp.Since)
		sp.Until = cloneTime(sp.Until)
		v.Suspension = &sp
	}
	v.CreatedAt = normTime(c.CreatedAt)
	v.UpdatedAt = normTime(c.UpdatedAt)
	v.DeletedAt = cloneTime(c.DeletedAt)
	return &v
}

func cloneStatusChange(sc *customer.StatusChange) *customer.StatusChange {
	v := *sc
	v.Until = cloneTime(sc.Until)
	v.At = normTime(sc.At)
	return &v
}

func cloneSubscription(s *customer.Subscription) *customer.Subscription {
	v := *s
	v.EndDate = cloneDate(s.EndDate)
	v.ServiceAddress = cloneAddress(s.ServiceAddress)
	v.CreatedAt = normTime(s.CreatedAt)
	v.UpdatedAt = normTime(s.UpdatedAt)
	return &v
}

// cloneContact copies c, which holds no pointers or slices.
func cloneContact(c *contact.Contact) *contact.Contact {
	v := *c // no pointers or slices to share
	v.CreatedAt = normTime(c.CreatedAt)
	v.UpdatedAt = normTime(c.UpdatedAt)
	return &v
}

// cloneDocument copies d; tags come out as [] rather than nil, as from
// Postgres.
func cloneDocument(d *document.Document) *document.Document {
	v := *d
	v.ExpirationDate = cloneDate(d.ExpirationDate)
	v.Tags = append([]string{}, d.Tags...)
	v.UploadDate = normTime(d.UploadDate)
	v.UpdatedAt = normTime(d.UpdatedAt)
	return &v
}

func cloneAudit(e *crm.AuditEntry) *crm.AuditEntry {
	v := *e
	if e.Changes != nil {
		v.Changes = make([]crm.FieldChange, len(e.Changes))
		for i, c := range e.Changes {
			v.Changes[i] = crm.FieldChange{Field: c.Field, Before: cloneJSON(c.Before), After: cloneJSON(c.After)}
		}
	}
	v.At = normTime(e.At)
	return &v
}

func cloneEvent(e *crm.Event) *crm.Event {
	v := *e
	v.Payload = cloneJSON(e.Payload)
	v.OccurredAt = normTime(e.OccurredAt)
	return &v
}

func cloneIdempotency(r *crm.IdempotencyRecord) *crm.IdempotencyRecord {
	v := *r
	v.Header = cloneBytes(r.Header)
	v.Body = cloneBytes(r.Body)
	v.CreatedAt = normTime(r.CreatedAt)
	return &v
}

// values copies stored records out as a slice of values.
func values[T any](rows []*T, clone func(*T) *T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = *clone(r)
	}
	return out
}
