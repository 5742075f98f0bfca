package document

import (
	"encoding/json"
	"time"

	"github.com/ispstack/crm"
)

// The outbox event types of documents.
const (
	EventUploaded    = "document.uploaded"
	EventUpdated     = "document.updated"
	EventDeactivated = "document.deactivated"
)

// newEvent builds an outbox event whose payload is the document's metadata
// as the API shows it (never the content or its key).
func newEvent(typ string, d *Document, at time.Time) *crm.Event {
	payload, err := json.Marshal(d)
	if err != nil {
		payload = []byte("{}")
	}
	return &crm.Event{ID: crm.NewID(), Type: typ, CustomerID: d.CustomerID, Payload: payload, OccurredAt: at}
}

// diff is crm.Diff for documents. A name may carry personal data
// ("Passport of Jane Doe") and the audit trail outlives the customer's
// erasure, so names are masked like customer names.
func diff(before, after *Document) []crm.FieldChange {
	var b, a any
	if before != nil {
		b = before
	}
	if after != nil {
		a = after
	}
	return crm.Diff(b, a, func(field string, v any) any {
		if s, ok := v.(string); ok && field == "name" && s != "" {
			return crm.MaskWords(s)
		}
		return v
	})
}
