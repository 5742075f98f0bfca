package crm

import "context"

// TxFunc runs fn in one transaction, passing it a repository R bound to that
// transaction: fn's writes all commit when it returns nil and all roll back
// when it returns an error. Every domain Service takes one for its own
// Repository; store.Tx adapts a store.Store.
type TxFunc[R any] func(ctx context.Context, fn func(ctx context.Context, r R) error) error

// Recorder is the part of a Repository that keeps the record of a change:
// every mutation writes an audit entry and an outbox event in its own
// transaction. Each domain Repository embeds it.
type Recorder interface {
	// InsertAudit appends an audit entry.
	InsertAudit(ctx context.Context, e *AuditEntry) error
	// InsertEvent appends an event to the transactional outbox.
	InsertEvent(ctx context.Context, e *Event) error
}

// Record writes the audit entry of a change and, when typ is not "", its
// outbox event, whose payload is the JSON of payload.
func Record(ctx context.Context, r Recorder, e *AuditEntry, typ string, payload any) error {
	if err := r.InsertAudit(ctx, e); err != nil {
		return err
	}
	if typ == "" {
		return nil
	}
	return r.InsertEvent(ctx, NewEvent(typ, e.CustomerID, payload, e.At))
}
