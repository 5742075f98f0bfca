package customer

import "context"

// Eraser removes or redacts what one module keeps about a customer, as part
// of deleting that customer (GDPR Art. 17). Delete calls every registered
// Eraser inside its transaction, with that transaction's context, so a
// Repository method called with ctx joins it: if any eraser fails, the
// customer stays as it was and nothing is erased.
type Eraser interface {
	// EraseCustomer removes the personal data the module holds about the
	// customer; records kept for the books stay, stripped of personal data.
	EraseCustomer(ctx context.Context, customerID string) error
}

// EraserFunc is a function used as an Eraser.
type EraserFunc func(ctx context.Context, customerID string) error

// EraseCustomer calls f.
func (f EraserFunc) EraseCustomer(ctx context.Context, customerID string) error {
	return f(ctx, customerID)
}
