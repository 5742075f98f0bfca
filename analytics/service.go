package analytics

import (
	"context"
	"log/slog"
	"time"

	"github.com/ispstack/crm"
)

// MaxBatch is the most records one ingest call takes.
const MaxBatch = 1000

// Options configures a Service.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fixed one.
	Now func() time.Time
	// Model scores churn; DefaultModel() when nil. It must pass
	// Model.Check (ParseModel checks what it reads).
	Model *Model
	// Logger receives the progress and failures of the sweep;
	// slog.Default() when nil.
	Logger *slog.Logger
	// SweepInterval is how long after a round of the sweep started the
	// next one is due; DefaultSweepInterval when 0.
	SweepInterval time.Duration
	// SweepBatch is how many customers one sweep transaction refreshes;
	// DefaultSweepBatch when 0.
	SweepBatch int
	// SweepWorkers is how many batches one Sweep refreshes at once;
	// DefaultSweepWorkers when 0.
	SweepWorkers int
}

// Service applies the feed rules over a Repository. It is safe for
// concurrent use.
type Service struct {
	repo   Repository
	inTx   crm.TxFunc[Repository]
	clock  func() time.Time // now, as stored (crm.Clock)
	model  *Model
	logger *slog.Logger
	sweep  sweepOptions
	// thresholds caches the cut-offs of HighValue.
	thresholds thresholdCache
}

// sweepOptions are the Options of the sweep, defaults applied.
type sweepOptions struct {
	interval time.Duration
	batch    int
	workers  int
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store).
func NewService(repo Repository, inTx crm.TxFunc[Repository], opts Options) *Service {
	s := &Service{repo: repo, inTx: inTx, clock: crm.Clock(opts.Now), model: opts.Model, logger: opts.Logger,
		sweep: sweepOptions{interval: opts.SweepInterval, batch: opts.SweepBatch, workers: opts.SweepWorkers}}
	if s.model == nil {
		s.model = DefaultModel()
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.sweep.interval <= 0 {
		s.sweep.interval = DefaultSweepInterval
	}
	if s.sweep.batch <= 0 {
		s.sweep.batch = DefaultSweepBatch
	}
	if s.sweep.workers <= 0 {
		s.sweep.workers = DefaultSweepWorkers
	}
	return s
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
