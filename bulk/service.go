package bulk

import (
	"log/slog"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
	"golang.org/x/time/rate"
)

// The defaults of Options.
const (
	DefaultLease        = 5 * time.Minute
	DefaultPollInterval = time.Second
	DefaultBatchSize    = 1000
	// DefaultCreateBatchSize is larger: new customers lock nothing anyone
	// else waits for, and on the bench's 100,000-row import batches of
	// 5,000 took 16–17 s against 19 s with 1,000 (fewer commits, and
	// less of each batch's validation left without a write to overlap).
	DefaultCreateBatchSize = 5000
	DefaultRunners         = 1

	DefaultSendBatch         = 200
	DefaultSenders           = 16
	DefaultSendRate          = 100
	DefaultMaxSendAttempts   = 5
	DefaultSendRetryDelay    = time.Minute
	DefaultMaxSendRetryDelay = time.Hour
)

// Repository is the storage the bulk Service needs: the jobs, and the
// customers they change (written through customer.Service in each batch's
// transaction). store.Store implements it.
type Repository interface {
	customer.Repository
	JobRepository
	MessageRepository
}

// Options configures a Service; the zero value uses the defaults above.
type Options struct {
	// Lease is how long a runner's claim holds a job; every committed
	// batch renews it. A job whose runner stopped renewing is taken over
	// when its lease ends and resumes at its last committed batch.
	Lease time.Duration
	// PollInterval is how often an idle runner looks for due jobs.
	PollInterval time.Duration
	// BatchSize is how many rows or customers one transaction commits;
	// CreateBatchSize how many rows of a create-mode import.
	BatchSize       int
	CreateBatchSize int
	// Runners is how many jobs one server runs at once.
	Runners int
	// Notifier sends the messages of communication jobs; nil logs them
	// instead (notify.NewLog over Logger).
	Notifier notify.Notifier
	// SendBatch is how many due messages a sender claims at a time;
	// Senders how many it sends at once; SendRate how many a second one
	// server sends at most (a provider's rate limit); MaxSendAttempts how
	// often one is tried before it fails; SendRetryDelay the wait after
	// the first failure, doubling after each (at most an hour).
	SendBatch       int
	Senders         int
	SendRate        float64
	MaxSendAttempts int
	SendRetryDelay  time.Duration
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
	if o.Notifier == nil {
		o.Notifier = notify.NewLog(o.Logger)
	}
	for _, d := range []struct {
		v   *int
		def int
	}{{&o.CreateBatchSize, DefaultCreateBatchSize}, {&o.SendBatch, DefaultSendBatch}, {&o.Senders, DefaultSenders}, {&o.MaxSendAttempts, DefaultMaxSendAttempts}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if o.SendRate <= 0 {
		o.SendRate = DefaultSendRate
	}
	if o.SendRetryDelay <= 0 {
		o.SendRetryDelay = DefaultSendRetryDelay
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
	// wake nudges the runners when a job is queued in this process;
	// sendWake the senders when a job queued messages.
	wake, sendWake chan struct{}
	// limiter paces the senders at SendRate.
	limiter *rate.Limiter
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store);
// customers applies the customer rules to every row.
func NewService(repo Repository, inTx crm.TxFunc[Repository], customers *customer.Service, opts Options) *Service {
	opts = opts.withDefaults()
	s := &Service{repo: repo, inTx: inTx, customers: customers, opts: opts, clock: crm.Clock(opts.Now),
		wake: make(chan struct{}, 1), sendWake: make(chan struct{}, 1),
		limiter: rate.NewLimiter(rate.Limit(opts.SendRate), max(1, int(opts.SendRate/10)))}
	s.kinds = map[Kind]kind{KindImport: importKind{s}, KindUpdate: updateKind{s}, KindCommunication: communicationKind{s}}
	return s
}
