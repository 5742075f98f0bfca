package customer

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm"
)

// NewAuditEntry builds an audit entry for the actor in ctx; every domain
// package records its mutations through it.
func NewAuditEntry(ctx context.Context, customerID, entity, entityID, action string, changes []crm.FieldChange, at time.Time) *crm.AuditEntry {
	a := crm.ActorFrom(ctx)
	if changes == nil {
		changes = []crm.FieldChange{}
	}
	return &crm.AuditEntry{
		ID: NewID(), CustomerID: customerID, Entity: entity, EntityID: entityID, Action: action,
		ActorID: a.ID, RequestID: a.RequestID, Changes: changes, At: at,
	}
}

// auditIgnored are bookkeeping fields whose change is implied by any entry.
var auditIgnored = map[string]bool{"version": true, "updated_at": true, "created_at": true}

// Diff returns the field-level changes between two values of the same JSON
// shape (nil for "did not exist"), flattened to dotted paths
// ("billing_address.city") with personal data masked by mask. Other domain
// packages audit through it too.
func Diff(before, after any, mask func(field string, v any) any) []crm.FieldChange {
	b, a := flatten(before), flatten(after)
	keys := slices.Sorted(maps.Keys(b))
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []crm.FieldChange
	for _, k := range keys {
		if auditIgnored[k] {
			continue
		}
		bv, av := b[k], a[k]
		bj, aj := marshal(bv), marshal(av)
		if bytes.Equal(bj, aj) {
			continue
		}
		out = append(out, crm.FieldChange{Field: k, Before: marshal(mask(k, bv)), After: marshal(mask(k, av))})
	}
	return out
}

// diffCustomers is Diff for customers, with the tax id represented by its
// blind index (to see a change) and shown only as its last four digits.
func diffCustomers(before, after *Customer) []crm.FieldChange {
	view := func(c *Customer) any {
		if c == nil {
			return nil
		}
		m := flatten(c)
		if c.TaxID != nil {
			m["tax_id"] = c.TaxID.BlindIndex + ":" + c.TaxIDLast4
		}
		delete(m, "tax_id_last4")
		return m
	}
	return Diff(view(before), view(after), maskCustomerField)
}

// maskCustomerField masks the personal data among a customer's fields.
func maskCustomerField(field string, v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		if strings.Contains(field, "coordinates") && v != nil {
			return "***"
		}
		return v
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	switch {
	case field == "tax_id":
		_, last4, _ := strings.Cut(s, ":")
		return "***-**-" + last4
	case last == "email":
		return MaskEmail(s)
	case last == "phone":
		return MaskPhone(s)
	case last == "name" || last == "street" || last == "unit":
		return MaskWords(s)
	case last == "notes":
		return "[redacted]"
	}
	return v
}

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

// flatten turns v's JSON form into a map from dotted paths to leaf values.
func flatten(v any) map[string]any {
	out := map[string]any{}
	if v == nil {
		return out
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return out
	}
	var walk func(prefix string, t any)
	walk = func(prefix string, t any) {
		if m, ok := t.(map[string]any); ok && len(m) > 0 {
			for k, sub := range m {
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, sub)
			}
			return
		}
		if t != nil {
			out[prefix] = t
		}
	}
	walk("", tree)
	return out
}

func marshal(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}
