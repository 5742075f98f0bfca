package crm

import "context"

// Actor is who performs a change: the API key (or service account) and the
// request it arrived in. It travels in the context so the audit trail can
// record it without every function taking it as a parameter.
type Actor struct {
	// ID identifies the caller, for example the API key id. Never the key.
	ID string
	// RequestID correlates the change with logs and the caller's request.
	RequestID string
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the zero Actor with ID "system" when
// there is none (background work such as scheduled reactivation).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{ID: "system"}
}
