package crm

import (
	"encoding/json"
	"time"
)

// AuditEntry records one mutation: who made it, in which request, when, and
// which fields changed. Personal data is masked before it gets here, so the
// trail can be kept after a customer is erased.
type AuditEntry struct {
	ID         string        `json:"id"`
	CustomerID string        `json:"customer_id"`
	Entity     string        `json:"entity"`    // "customer", "service", "contact", "document", …
	EntityID   string        `json:"entity_id"` // id of the changed record
	Action     string        `json:"action"`    // "create", "update", "suspend", "reactivate", "delete", …
	ActorID    string        `json:"actor_id"`
	RequestID  string        `json:"request_id,omitempty"`
	Changes    []FieldChange `json:"changes"`
	At         time.Time     `json:"at"`
}

// FieldChange is the before and after value of one field, as JSON (null
// when absent), with personal data already masked.
type FieldChange struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Event is a transactional-outbox record: written in the same transaction as
// the change it announces, for the billing and network systems that follow
// the customer. Types are "customer.created", "customer.updated",
// "customer.suspended", "customer.reactivated", "customer.deleted",
// "contact.created", "contact.updated", "contact.deleted" (whose payload
// only identifies the removed contact), "document.uploaded",
// "document.updated" (metadata or scan verdict), "document.deactivated",
// "invoices.ingested", "payments.ingested", "usage.ingested" and
// "tickets.ingested" (one per feed batch that changed something, naming the
// records it created and updated), and the "verification.*" steps of
// identity verifications, credit and address checks (see package verify:
// requested, started, retry_scheduled, released, review_required,
// completed, failed). Closing a customer removes its contacts
// and documents without an event each: "customer.deleted" implies it, and
// the payloads of its earlier events are reduced to ids.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	CustomerID string          `json:"customer_id"`
	Payload    json.RawMessage `json:"payload"`
	OccurredAt time.Time       `json:"occurred_at"`
}

// IdempotencyRecord is a stored Idempotency-Key: the request it answered (by
// hash) and, once finished, the response to replay. Records are scoped by the
// calling API key and expire after 24 hours; an unfinished record is a claim,
// held by the request that made it until its lease runs out.
type IdempotencyRecord struct {
	Scope       string    // the caller (API key id)
	Key         string    // the client's Idempotency-Key
	RequestHash string    // hash of method, path and body
	ClaimID     string    // the claim that holds the record: only it may finish or release it
	CustomerID  string    // the customer the request concerns; "" when none
	Done        bool      // false while the first request is still running
	Status      int       // HTTP status of the stored response
	Header      []byte    // JSON object of replayed response headers
	Body        []byte    // response body
	CreatedAt   time.Time // claim time; older than 24 h counts as absent
}
