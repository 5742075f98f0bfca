package analytics

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// MaxBatch is the most records one ingest call takes.
const MaxBatch = 1000

// Options configures a Service.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fixed one.
	Now func() time.Time
}

// Service applies the feed rules over a Repository. It is safe for
// concurrent use.
type Service struct {
	repo       Repository
	inTx       crm.TxFunc[Repository]
	clock      func() time.Time // now, as stored (crm.Clock)
	thresholds thresholdCache   // of HighValue
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store).
func NewService(repo Repository, inTx crm.TxFunc[Repository], opts Options) *Service {
	return &Service{repo: repo, inTx: inTx, clock: crm.Clock(opts.Now)}
}

// EraseCustomer redacts the free text of the customer's records, the
// subjects of its tickets and the notes of its payments: a customer.Eraser,
// run inside the transaction that deletes the customer. The amounts, dates
// and statuses of invoices, payments and usage stay for the books.
func (s *Service) EraseCustomer(ctx context.Context, customerID string) error {
	if err := s.repo.RedactTicketSubjects(ctx, customerID); err != nil {
		return err
	}
	return s.repo.RedactPaymentNotes(ctx, customerID)
}
