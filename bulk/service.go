package bulk

import (
	"log/slog"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The defaults of Options.
const (
	DefaultLease        = 5 * time.Minute
	DefaultPollInterval = time.Second
	DefaultBatchSize    = 1000
	DefaultRunners      = 1
)

// Repository is the storage the bulk Service needs: the jobs, and the
// customers they change (written through customer.Service in each batch's
// transaction). store.Store implements it.
type Repository interface {
	customer.Repository
	JobRepository
}

// Options configures a Service; the zero value uses the defaults above.
type Options struct {
	// Lease is how long a runner's claim holds a job; every committed
	// batch renews it. A job whose runner stopped renewing is taken over
	// when its lease ends and resumes at its last committed batch.
	Lease time.Duration
	// PollInterval is how often an idle runner looks for due jobs.
	PollInterval time.Duration
	// BatchSize is how many rows or customers one transaction commits.
	BatchSize int
	// Runners is how many jobs one server runs at once.
	Runners int
	// Profiled is the customer list with analytics filters and segments
	// (analytics.Service), for targets that use them; without it they
	// are refused.
	Profiled ProfiledLister
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives the runners' failures; slog.Default() when nil.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Runners <= 0 {
		o.Runners = DefaultRunners
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Service submits, runs and reports bulk jobs. It is safe for concurrent
// use.
type Service struct {
	repo      Repository
	inTx      crm.TxFunc[Repository]
	customers *customer.Service
	opts      Options
	clock     func() time.Time // now, as stored (crm.Clock)
	kinds     map[Kind]kind
	// wake nudges the runners when a job is queued in this process.
	wake chan struct{}
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store);
// customers applies the customer rules to every row.
func NewService(repo Repository, inTx crm.TxFunc[Repository], customers *customer.Service, opts Options) *Service {
	opts = opts.withDefaults()
	s := &Service{repo: repo, inTx: inTx, customers: customers, opts: opts, clock: crm.Clock(opts.Now),
		wake: make(chan struct{}, 1)}
	s.kinds = map[Kind]kind{KindImport: importKind{s}, KindUpdate: updateKind{s}}
	return s
}
