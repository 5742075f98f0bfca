package contact

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ispstack/crm"
)

// The outbox event types.
const (
	EventCreated = "contact.created"
	EventUpdated = "contact.updated"
	EventDeleted = "contact.deleted"
)

// record writes the audit entry and the outbox event of one change of a
// contact: before is nil for a create, after nil for a delete. Nothing is
// written when an update changed no field.
func record(ctx context.Context, r Repository, action string, before, after *Contact, at time.Time) error {
	var b, a any // typed nil pointers would flatten to "null", not "absent"
	if before != nil {
		b = before
	}
	if after != nil {
		a = after
	}
	c, typ := after, EventUpdated
	switch action {
	case "create":
		typ = EventCreated
	case "delete":
		c, typ = before, EventDeleted
	}
	entry := crm.NewAuditEntry(ctx, c.CustomerID, "contact", c.ID, action, crm.Diff(b, a, maskField), at)
	if err := r.InsertAudit(ctx, entry); err != nil {
		return err
	}
	return r.InsertEvent(ctx, newEvent(typ, c, at))
}

// newEvent builds an outbox event. Its payload is the contact as the API
// shows it, except for a deletion, which carries only what identifies the
// removed contact: the outbox must not keep personal data the customer
// asked to have removed.
func newEvent(typ string, c *Contact, at time.Time) *crm.Event {
	var v any = c
	if typ == EventDeleted {
		v = struct {
			ID         string `json:"id"`
			CustomerID string `json:"customer_id"`
			Type       Type   `json:"contact_type"`
		}{c.ID, c.CustomerID, c.Type}
	}
	payload, err := json.Marshal(v)
	if err != nil {
		payload = []byte("{}")
	}
	return &crm.Event{ID: crm.NewID(), Type: typ, CustomerID: c.CustomerID, Payload: payload, OccurredAt: at}
}

// maskField masks the personal data among a contact's fields, so the audit
// trail can be kept after the contact or its customer is erased.
func maskField(field string, v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	switch field {
	case "email":
		return crm.MaskEmail(s)
	case "phone", "mobile":
		return crm.MaskPhone(s)
	case "name":
		return crm.MaskWords(s)
	case "notes":
		return "[redacted]"
	}
	return v
}
