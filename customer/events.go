package customer

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ispstack/crm"
)

// The outbox event types.
const (
	EventCreated     = "customer.created"
	EventUpdated     = "customer.updated"
	EventSuspended   = "customer.suspended"
	EventReactivated = "customer.reactivated"
	EventDeleted     = "customer.deleted"
)

// newEvent builds an outbox event whose payload is the customer as the API
// shows it (never the tax id).
func newEvent(typ string, c *Customer, at time.Time) *crm.Event {
	payload, err := json.Marshal(c)
	if err != nil {
		payload = []byte("{}")
	}
	return &crm.Event{ID: crm.NewID(), Type: typ, CustomerID: c.ID, Payload: payload, OccurredAt: at}
}

// statusChange builds a history entry for the actor in ctx.
func (s *Service) statusChange(ctx context.Context, c *Customer, from, to Status, at time.Time) *StatusChange {
	a := crm.ActorFrom(ctx)
	sc := &StatusChange{ID: crm.NewID(), CustomerID: c.ID, From: from, To: to, ActorID: a.ID, RequestID: a.RequestID, At: at}
	if to == StatusSuspended && c.Suspension != nil {
		sc.Reason, sc.Notes, sc.Until = c.Suspension.Reason, c.Suspension.Notes, c.Suspension.Until
	}
	return sc
}
