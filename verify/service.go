package verify

import (
	"log/slog"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The defaults of Options.
const (
	DefaultIdentityValidFor = 365 * 24 * time.Hour
	DefaultWorkers          = 4
	DefaultCallTimeout      = 10 * time.Second
	DefaultCallsPerClaim    = 3
	DefaultCallBackoff      = 250 * time.Millisecond
	DefaultRetryDelay       = time.Minute
	DefaultMaxRetryDelay    = time.Hour
	DefaultMaxAttempts      = 9
	DefaultMaxClaims        = 10
	DefaultLease            = 2 * time.Minute
	DefaultPollInterval     = time.Second
	DefaultBreakerFailures  = 5
	DefaultBreakerCooldown  = 30 * time.Second
)

// Options configures a Service. The zero value runs on the sandbox
// providers with the defaults above.
type Options struct {
	// Identity, Bureau and Address are the providers; SandboxIdentity,
	// SandboxBureau and OfflineAddress when nil.
	Identity IdentityProvider
	Bureau   CreditBureau
	Address  AddressProvider
	// TaxIDs opens the customer's tax id for the providers (credit checks
	// need it); without it a credit check is refused as if none were on
	// file, and identity providers get none.
	TaxIDs *customer.TaxIDCipher
	// IdentityValidFor is how long an approved identity counts before the
	// overall status turns expired.
	IdentityValidFor time.Duration
	// Workers is how many verifications one server works on at once.
	Workers int
	// CallTimeout bounds each provider call.
	CallTimeout time.Duration
	// CallsPerClaim is how many provider calls one claim makes before it
	// gives up on a transient failure, waiting CallBackoff, then twice
	// that, and so on (±50 % jitter) between them.
	CallsPerClaim int
	CallBackoff   time.Duration
	// RetryDelay is how long an identity verification whose claim's calls
	// all failed waits before a worker tries again, doubling with every
	// claim up to MaxRetryDelay. A credit check is not retried later: the
	// caller is waiting, and fails at once.
	RetryDelay    time.Duration
	MaxRetryDelay time.Duration
	// MaxAttempts is how many provider calls in all an identity
	// verification gets before it fails.
	MaxAttempts int
	// MaxClaims is how many times a verification is claimed before it
	// fails: the guard against one whose workers keep dying.
	MaxClaims int
	// Lease is how long a worker's claim holds a verification; a claim
	// not finished by then is taken over by another worker. It must
	// exceed CallsPerClaim×CallTimeout plus the backoffs.
	Lease time.Duration
	// PollInterval is how often idle workers look for due work.
	PollInterval time.Duration
	// BreakerFailures consecutive transient failures of one provider open
	// its circuit breaker: for BreakerCooldown no call is made to it
	// (identity verifications wait, credit checks fail at once), then one
	// trial call decides whether it closes again.
	BreakerFailures int
	BreakerCooldown time.Duration
	// Now is the clock; time.Now when nil. Tests inject one.
	Now func() time.Time
	// Logger receives the workers' failures; slog.Default() when nil.
	Logger *slog.Logger
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Identity == nil {
		o.Identity = SandboxIdentity{}
	}
	if o.Bureau == nil {
		o.Bureau = SandboxBureau{}
	}
	if o.Address == nil {
		o.Address = OfflineAddress{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&o.IdentityValidFor, DefaultIdentityValidFor}, {&o.CallTimeout, DefaultCallTimeout},
		{&o.CallBackoff, DefaultCallBackoff}, {&o.RetryDelay, DefaultRetryDelay},
		{&o.MaxRetryDelay, DefaultMaxRetryDelay}, {&o.Lease, DefaultLease},
		{&o.PollInterval, DefaultPollInterval}, {&o.BreakerCooldown, DefaultBreakerCooldown},
	} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	for _, d := range []struct {
		v   *int
		def int
	}{
		{&o.Workers, DefaultWorkers}, {&o.CallsPerClaim, DefaultCallsPerClaim},
		{&o.MaxAttempts, DefaultMaxAttempts}, {&o.MaxClaims, DefaultMaxClaims},
		{&o.BreakerFailures, DefaultBreakerFailures},
	} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	return o
}

// Service runs identity verifications, credit checks and address
// verifications of customers over a Repository, and the workers that call
// the providers. It is safe for concurrent use.
type Service struct {
	repo      Repository
	inTx      crm.TxFunc[Repository]
	customers *customer.Service
	opts      Options
	clock     func() time.Time // now, as stored (crm.Clock)

	mu       sync.Mutex
	breakers map[string]*gobreaker.CircuitBreaker[any]
	// wake nudges the workers when a verification is queued in this
	// process, so it starts without waiting for the next poll.
	wake chan struct{}
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store).
// customers applies the customer rules to the fields a verification
// writes back (the credit score, a normalised address).
func NewService(repo Repository, inTx crm.TxFunc[Repository], customers *customer.Service, opts Options) *Service {
	opts = opts.withDefaults()
	return &Service{repo: repo, inTx: inTx, customers: customers, opts: opts, clock: crm.Clock(opts.Now),
		breakers: map[string]*gobreaker.CircuitBreaker[any]{}, wake: make(chan struct{}, 1)}
}

// IdentityValidFor is how long an approved identity counts.
func (s *Service) IdentityValidFor() time.Duration { return s.opts.IdentityValidFor }
