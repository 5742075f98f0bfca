package contact

import "context"

// EraseCustomer deletes every contact of the customer: a customer.Eraser,
// run inside the transaction that deletes the customer (ctx carries it).
// Contacts are personal data through and through, so nothing is kept but
// the masked audit trail.
func (s *Service) EraseCustomer(ctx context.Context, customerID string) error {
	return s.repo.DeleteContactsOf(ctx, customerID)
}
