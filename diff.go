package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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
	var changed []string
	for k, bv := range b {
		if !auditIgnored[k] && !sameJSON(bv, a[k]) {
			changed = append(changed, k)
		}
	}
	for k, av := range a {
		if _, ok := b[k]; !ok && !auditIgnored[k] && !sameJSON(nil, av) {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	slices.Sort(changed)
	// The values share one buffer, each capped so that appending to one
	// cannot overwrite the next.
	buf := make([]byte, 0, 48*len(changed))
	raw := func(v any) json.RawMessage {
		start := len(buf)
		buf = appendJSON(buf, v)
		return buf[start:len(buf):len(buf)]
	}
	out := make([]FieldChange, len(changed))
	for i, k := range changed {
		out[i] = FieldChange{Field: k, Before: raw(mask(k, b[k])), After: raw(mask(k, a[k]))}
	}
	return out
}

// Added is the change that records a value set by an action besides the
// fields it changed (a count of services suspended, an override): absent
// before, v after.
func Added(field string, v any) FieldChange {
	return FieldChange{Field: field, Before: RawJSON(nil), After: RawJSON(v)}
}

// sameJSON reports whether x and y have the same JSON. The values Flatten
// gives are mostly strings, numbers and booleans, compared without
// marshalling: distinct ones have distinct JSON, except that NaN, the
// infinities (both null) and strings with invalid UTF-8 (whose bad bytes
// become U+FFFD) are left to RawJSON, as are other types (1 and 1.0 have
// the same JSON).
func sameJSON(x, y any) bool {
	kx, ky := scalarKind(x), scalarKind(y)
	if kx == 0 || ky == 0 {
		return bytes.Equal(RawJSON(x), RawJSON(y))
	}
	if kx != ky {
		return false
	}
	if f, ok := x.(float64); ok {
		return math.Float64bits(f) == math.Float64bits(y.(float64)) // 0 and -0 differ
	}
	return x == y
}

// scalarKind classifies the values sameJSON compares directly; 0 for the
// others.
func scalarKind(v any) int {
	switch v := v.(type) {
	case nil:
		return 1
	case bool:
		return 2
	case string:
		if utf8.ValidString(v) {
			return 3
		}
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return 4
		}
	}
	return 0
}

// RawJSON is the JSON of v; null for nil or a value that cannot be encoded.
func RawJSON(v any) json.RawMessage { return appendJSON(nil, v) }

// appendJSON appends RawJSON(v) to b. Every audited field goes through it,
// so the common values are written directly, as encoding/json writes them.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case string:
		if plainString(v) {
			b = slices.Grow(b, len(v)+2)
			return append(append(append(b, '"'), v...), '"')
		}
	case float64:
		// encoding/json's format, in the range where it is 'f'.
		if abs := math.Abs(v); abs == 0 || abs >= 1e-6 && abs < 1e21 {
			return strconv.AppendFloat(slices.Grow(b, 24), v, 'f', -1, 64)
		}
	}
	j, err := json.Marshal(v)
	switch {
	case err != nil:
		return append(b, "null"...)
	case b == nil:
		return j
	}
	return append(b, j...)
}

// plainString reports whether s is written in JSON as is, between quotes:
// printable ASCII that encoding/json does not escape (it escapes <, > and
// & for HTML).
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
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
	first, _ := utf8.DecodeRuneInString(s[:at])
	return string(first) + "***" + s[at:]
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
	var b strings.Builder
	for w := range strings.FieldsSeq(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		first, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(first)
		b.WriteString("***")
	}
	return b.String()
}
