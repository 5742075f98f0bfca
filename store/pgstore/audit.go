package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ispstack/crm"
)

// Audit entries and outbox events are written by every mutation, in its
// transaction, with plain $n SQL like the customer hot paths, and read back
// through listRecords like every other list.

const (
	// DO NOTHING keeps a duplicate id from aborting the caller's
	// transaction; it is reported as a conflict instead.
	insertAuditSQL = `INSERT INTO audit_entries
		(customer_id, id, entity, entity_id, action, actor_id, request_id, changes, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`
	insertEventSQL = `INSERT INTO outbox_events (id, customer_id, type, payload, occurred_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`

	auditColumns = `customer_id, id, entity, entity_id, action, actor_id, request_id, changes, at`
	listAuditSQL = `SELECT ` + auditColumns + ` FROM audit_entries
		WHERE customer_id = $1 ORDER BY at DESC, id DESC LIMIT $2`
	// A missing entry $3 makes the subquery NULL and the page empty.
	listAuditBeforeSQL = `SELECT ` + auditColumns + ` FROM audit_entries
		WHERE customer_id = $1
		  AND (at, id) < (SELECT at, id FROM audit_entries WHERE customer_id = $1 AND id = $3)
		ORDER BY at DESC, id DESC LIMIT $2`
	eventColumns  = `id, customer_id, type, payload, occurred_at`
	listEventsSQL = `SELECT ` + eventColumns + ` FROM outbox_events WHERE id > $1 ORDER BY id LIMIT $2`
)

// InsertAudit appends an audit entry; conflict when the customer already
// has an entry with that id.
func (s *Store) InsertAudit(ctx context.Context, e *crm.AuditEntry) error {
	values, err := auditValues(e)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "insert audit entry", insertAuditSQL, values...)
	if err == nil && n == 0 {
		err = conflictError(nil, "audit entry "+e.ID)
	}
	return err
}

// ListAudit returns up to limit (all when limit <= 0) audit entries of the
// customer, newest first (by time, then id, both descending), strictly after
// the customer's entry beforeID in that order ("" for the newest; none when
// the customer has no such entry). Entries outlive their customer.
func (s *Store) ListAudit(ctx context.Context, customerID, beforeID string, limit int) ([]crm.AuditEntry, error) {
	query, args := listAuditSQL, []any{customerID, limitArg(limit)}
	if beforeID != "" {
		query, args = listAuditBeforeSQL, append(args, beforeID)
	}
	return listRecords[crm.AuditEntry, auditRow](ctx, s, "list audit entries", query, args...)
}

// InsertEvent appends an event to the transactional outbox; conflict when
// the id is taken.
func (s *Store) InsertEvent(ctx context.Context, e *crm.Event) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "insert event", insertEventSQL, eventValues(e)...)
	if err == nil && n == 0 {
		err = conflictError(nil, "event "+e.ID)
	}
	return err
}

// ListEvents returns up to limit (all when limit <= 0) events with ids
// greater than afterID ("" for the first), ordered by id.
func (s *Store) ListEvents(ctx context.Context, afterID string, limit int) ([]crm.Event, error) {
	return listRecords[crm.Event, eventRow](ctx, s, "list events", listEventsSQL, afterID, limitArg(limit))
}

// auditValues are the values of e in auditColumns order.
func auditValues(e *crm.AuditEntry) ([]any, error) {
	changes, err := encodeChanges(e.Changes)
	if err != nil {
		return nil, err
	}
	return []any{e.CustomerID, e.ID, e.Entity, e.EntityID, e.Action, e.ActorID, e.RequestID, changes, ts(e.At)}, nil
}

// eventValues are the values of e in eventColumns order.
func eventValues(e *crm.Event) []any {
	var payload []byte
	if e.Payload != nil {
		payload = []byte(e.Payload)
	}
	return []any{e.ID, e.CustomerID, e.Type, payload, ts(e.OccurredAt)}
}

// encodeChanges writes the field changes as a JSON array, copying each raw
// before/after value verbatim (encoding/json would compact it) and leaving
// out the key of a nil value, so decodeChanges gives back exactly what was
// stored: nil stays nil and JSON null stays null. nil changes are NULL.
// Every imported row writes its changes, so the array is built in one
// buffer and the common values are checked without a JSON scanner.
func encodeChanges(cs []crm.FieldChange) ([]byte, error) {
	if cs == nil {
		return nil, nil
	}
	n := 2
	for _, c := range cs {
		n += len(`{"field":"","before":,"after":},`) + len(c.Field) + len(c.Before) + len(c.After)
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = append(b, crm.RawJSON(c.Field)...)
		for _, v := range [...]struct {
			key string
			raw json.RawMessage
		}{{"before", c.Before}, {"after", c.After}} {
			if v.raw == nil {
				continue
			}
			if !validJSON(v.raw) {
				return nil, crm.Errorf(crm.CodeInvalid, "the %s value of audit field %q is not valid JSON", v.key, c.Field)
			}
			b = append(b, ',', '"')
			b = append(b, v.key...)
			b = append(b, '"', ':')
			b = append(b, v.raw...)
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// validJSON is json.Valid, answered directly for null, booleans and
// strings without escapes, what crm.RawJSON gives for most values.
func validJSON(raw []byte) bool {
	if string(raw) == "null" || string(raw) == "true" || string(raw) == "false" {
		return true
	}
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && plainJSONString(raw[1:n-1]) {
		return true
	}
	return json.Valid(raw)
}

// plainJSONString reports whether s is the inside of a JSON string that
// has no escapes: no quote, backslash or control character (json.Valid
// does not check UTF-8).
func plainJSONString(s []byte) bool {
	for _, c := range s {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// decodeChanges reverses encodeChanges.
func decodeChanges(b []byte) ([]crm.FieldChange, error) {
	if b == nil {
		return nil, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, err
	}
	out := make([]crm.FieldChange, len(items))
	for i, m := range items {
		if err := json.Unmarshal(m["field"], &out[i].Field); err != nil {
			return nil, err
		}
		out[i].Before = m["before"]
		out[i].After = m["after"]
	}
	return out, nil
}

// auditRow is one row of audit_entries.
type auditRow struct {
	CustomerID, ID, Entity, EntityID, Action, ActorID, RequestID string
	Changes                                                      []byte
	At                                                           time.Time
}

// dest returns scan destinations in auditColumns order.
func (r *auditRow) dest() []any {
	return []any{&r.CustomerID, &r.ID, &r.Entity, &r.EntityID, &r.Action, &r.ActorID, &r.RequestID, &r.Changes, &r.At}
}

// decode converts a scanned row.
func (r *auditRow) decode() (*crm.AuditEntry, error) {
	changes, err := decodeChanges(r.Changes)
	if err != nil {
		return nil, fmt.Errorf("pgstore: decode changes of audit entry %s: %w", r.ID, err)
	}
	return &crm.AuditEntry{
		ID: r.ID, CustomerID: r.CustomerID, Entity: r.Entity, EntityID: r.EntityID,
		Action: r.Action, ActorID: r.ActorID, RequestID: r.RequestID,
		Changes: changes, At: r.At.UTC(),
	}, nil
}

// eventRow is one row of outbox_events.
type eventRow struct {
	ID, CustomerID, Type string
	Payload              []byte
	OccurredAt           time.Time
}

// dest returns scan destinations in eventColumns order.
func (r *eventRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Type, &r.Payload, &r.OccurredAt}
}

// decode converts a scanned row.
func (r *eventRow) decode() (*crm.Event, error) {
	return &crm.Event{
		ID: r.ID, Type: r.Type, CustomerID: r.CustomerID,
		Payload: json.RawMessage(r.Payload), OccurredAt: r.OccurredAt.UTC(),
	}, nil
}
