package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// NewAuditEntry builds an audit entry for the actor in ctx; every domain
// package records its mutations through it.
func NewAuditEntry(ctx context.Context, customerID, entity, entityID, action string, changes []FieldChange, at time.Time) *AuditEntry {
	a := ActorFrom(ctx)
	if changes == nil {
		changes = []FieldChange{}
	}
	return &AuditEntry{
		ID: NewID(), CustomerID: customerID, Entity: entity, EntityID: entityID, Action: action,
		ActorID: a.ID, RequestID: a.RequestID, Changes: changes, At: at,
	}
}

// NewEvent builds an outbox event whose payload is the JSON of payload
// ("{}" if it cannot be encoded).
func NewEvent(typ, customerID string, payload any, at time.Time) *Event {
	b, err := json.Marshal(payload)
	if err != nil {
		b = []byte("{}")
	}
	return &Event{ID: NewID(), Type: typ, CustomerID: customerID, Payload: b, OccurredAt: at}
}

// auditIgnored are bookkeeping fields whose change is implied by any entry.
var auditIgnored = map[string]bool{"version": true, "updated_at": true, "created_at": true}

// Diff returns the field-level changes between two values of the same JSON
// shape (nil for "did not exist"), flattened to dotted paths
// ("billing_address.city") with personal data masked by mask. A value that
// is already a map[string]any is taken as flattened.
func Diff(before, after any, mask func(field string, v any) any) []FieldChange {
	b, a := Flatten(before), Flatten(after)
	keys := slices.Sorted(maps.Keys(b))
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []FieldChange
	for _, k := range keys {
		if auditIgnored[k] {
			continue
		}
		bv, av := b[k], a[k]
		if bytes.Equal(RawJSON(bv), RawJSON(av)) {
			continue
		}
		out = append(out, FieldChange{Field: k, Before: RawJSON(mask(k, bv)), After: RawJSON(mask(k, av))})
	}
	return out
}

// Added is the change that records a value set by an action besides the
// fields it changed (a count of services suspended, an override): absent
// before, v after.
func Added(field string, v any) FieldChange {
	return FieldChange{Field: field, Before: RawJSON(nil), After: RawJSON(v)}
}

// RawJSON is the JSON of v; null for nil or a value that cannot be encoded.
func RawJSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// Redacted replaces free text that may hold personal data in the audit
// trail and in erased records.
const Redacted = "[redacted]"

// MaskEmail keeps the first character and the domain: "j***@example.com".
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return "***"
	}
	return string([]rune(s[:at])[:1]) + "***" + s[at:]
}

// MaskPhone keeps the last four digits: "+*******4567".
func MaskPhone(s string) string {
	if len(s) <= 4 {
		return "***"
	}
	return "+" + strings.Repeat("*", len(s)-5) + s[len(s)-4:]
}

// MaskWords keeps the first character of each word: "J*** D***".
func MaskWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = string([]rune(w)[:1]) + "***"
	}
	return strings.Join(words, " ")
}
