package document

import "context"

// EraseCustomer deletes every document row of the customer: a
// customer.Eraser, run inside the transaction that deletes the customer (ctx
// carries it). The files follow once that transaction has committed, through
// OnCustomerDeleted (a customer.Options.AfterDelete hook), and the orphan
// sweep removes any a crash leaves behind.
func (s *Service) EraseCustomer(ctx context.Context, customerID string) error {
	return s.repo.DeleteDocumentsOf(ctx, customerID)
}
