// Package app wires the module's domain services over one store.Store. It
// is the one place that knows every module: the bundled server, the
// benchmark, the examples and the tests all build their services here, and
// a new module adds its service to Services, its constructor call to New
// and, when it keeps personal data, its eraser to the list a customer
// deletion runs.
package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gocloud.dev/blob"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// Options configures the services New builds. The zero value serves
// customers and contacts without tax ids and without documents.
type Options struct {
	// TaxIDs encrypts tax ids; without it tax ids are refused.
	TaxIDs *customer.TaxIDCipher
	// Now is every service's clock; time.Now when nil.
	Now func() time.Time
	// Logger receives failures of background work; slog.Default() when nil.
	Logger *slog.Logger
	// Balances tells what a customer owes, for the reactivation rule; the
	// analytics read model (Services.Analytics) when nil.
	Balances customer.BalanceSource
	// Insights fills the billing summary, metrics and tickets of customer
	// details. When nil: the analytics read model (Services.Analytics),
	// unless DetailsFromRecord. Its figures are kept with each customer's
	// analytics profile (refreshed with every feed batch and change of
	// the customer, and by the sweep) and read with the customer in the
	// detail read's one statement; a customer whose profile was never
	// refreshed has them computed from the feeds on the read.
	Insights customer.Insights
	// DetailsFromRecord makes customer details show what the customer
	// record alone tells (customer.RecordInsights without a balance: no
	// balance, no payments, the services' recurring revenue) instead of
	// the feeds' figures. The reactivation rule still reads Balances.
	DetailsFromRecord bool
	// Bucket holds document files. Nil leaves the documents module out
	// (Services.Documents is nil and the API has no document routes). New
	// does not close it.
	Bucket *blob.Bucket
	// Documents tunes the document service (its Now and Logger default to
	// the ones above).
	Documents document.Options
	// Analytics tunes the analytics service: the churn model and the
	// profile sweep (its Now and Logger default to the ones above). A
	// Model given here must pass Model.Check.
	Analytics analytics.Options
	// Verify tunes identity verification, credit and address checks: the
	// providers (the sandbox ones when nil) and the workflow (its Now,
	// Logger and TaxIDs default to the ones above).
	Verify verify.Options
	// Bulk tunes the bulk jobs: their lease, batches, runners and the
	// Notifier of communications (its Now and Logger default to the ones
	// above, its Profiled to Services.Analytics).
	Bulk bulk.Options
}

// Services are the domain services over one store. A module that was not
// configured is nil.
type Services struct {
	// Store is the store every service reads and writes.
	Store store.Store
	// Customers serves customers, their subscriptions and lifecycle.
	Customers *customer.Service
	// Contacts serves the contact persons of customers.
	Contacts *contact.Service
	// Documents serves document metadata and files; nil without a bucket.
	Documents *document.Service
	// Analytics ingests the billing, usage and support feeds and reads
	// them back.
	Analytics *analytics.Service
	// Verify runs identity verifications, credit and address checks;
	// its Run is the worker loop a server keeps going.
	Verify *verify.Service
	// Exports streams customers into CSV and NDJSON files.
	Exports *bulk.ExportService
	// Bulk submits, runs and reports the bulk jobs (imports, updates,
	// communications); its Run is the runner and sender loop a server
	// keeps going.
	Bulk *bulk.Service
}

// New builds the services over st. Deleting a customer runs, in its
// transaction, the eraser of every module that keeps personal data, then,
// once committed, the hooks that clean up outside the store (document
// files). Every change to a customer or its services refreshes the
// customer's analytics profile in its transaction.
func New(st store.Store, opts Options) (*Services, error) {
	if st == nil {
		return nil, errors.New("app: a store is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Services{Store: st}
	s.Contacts = contact.NewService(st, store.Tx[contact.Repository](st), contact.Options{Now: opts.Now})
	// The erasers of everything kept about a customer outside its own
	// records: a new module that holds personal data adds its own here.
	aopts := opts.Analytics
	inherit(&aopts.Now, &aopts.Logger, opts)
	if aopts.Model != nil {
		if err := aopts.Model.Check(); err != nil {
			return nil, err
		}
	}
	s.Analytics = analytics.NewService(st, store.Tx[analytics.Repository](st), aopts)
	// The outbox of communication jobs holds the address and the rendered
	// text of every message: what was sent stays countable, not readable.
	erasers := []customer.Eraser{s.Contacts, s.Analytics, customer.EraserFunc(st.RedactEvents), customer.EraserFunc(st.DeleteIdempotencyKeysOf),
		customer.EraserFunc(st.RedactMessages)}
	var afterDelete []func(context.Context, string)
	if opts.Bucket != nil {
		dopts := opts.Documents
		inherit(&dopts.Now, &dopts.Logger, opts)
		s.Documents = document.NewService(st, store.Tx[document.Repository](st), opts.Bucket, dopts)
		erasers = append(erasers, s.Documents)
		afterDelete = append(afterDelete, s.Documents.OnCustomerDeleted)
	}
	// The feeds answer the balance rule and fill the customer details,
	// unless the embedder brings its own.
	var balances customer.BalanceSource = s.Analytics
	if opts.Balances != nil {
		balances = opts.Balances
	}
	insights, stored := opts.Insights, false
	switch {
	case insights != nil:
	case opts.DetailsFromRecord:
		insights = customer.RecordInsights{}
	default:
		// The figures stored with the profiles, which the analytics keep
		// current (Watchers below, the feeds, the sweep).
		insights, stored = s.Analytics, true
	}
	// Verifications hold personal data (addresses checked, review notes)
	// and go with the customer.
	var verifyEraser customer.EraserFunc = func(ctx context.Context, id string) error { return s.Verify.EraseCustomer(ctx, id) }
	erasers = append(erasers, verifyEraser)
	s.Customers = customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{
		TaxIDs:   opts.TaxIDs,
		Now:      opts.Now,
		Balances: balances,
		Insights: insights,
		// Only the analytics store an Insight: an embedder's Insights
		// answer alone.
		StoredInsights: stored,
		Erasers:        erasers,
		AfterDelete:    afterDelete,
		// Every change to a customer or its services refreshes its
		// analytics profile in the change's transaction.
		Watchers: []customer.Watcher{s.Analytics},
	})
	vopts := opts.Verify
	inherit(&vopts.Now, &vopts.Logger, opts)
	if vopts.TaxIDs == nil {
		vopts.TaxIDs = opts.TaxIDs
	}
	s.Verify = verify.NewService(st, store.Tx[verify.Repository](st), s.Customers, vopts)
	s.Exports = bulk.NewExportService(st, s.Analytics, bulk.ExportOptions{Now: opts.Now})
	bopts := opts.Bulk
	inherit(&bopts.Now, &bopts.Logger, opts)
	if bopts.Profiled == nil {
		// Targets with analytics filters or a segment read the analytics
		// list, as GET /customers does.
		bopts.Profiled = s.Analytics
	}
	s.Bulk = bulk.NewService(st, store.Tx[bulk.Repository](st), s.Customers, bopts)
	return s, nil
}

// inherit gives a module's options the app's clock and logger where they
// set none.
func inherit(now *func() time.Time, logger **slog.Logger, opts Options) {
	if *now == nil {
		*now = opts.Now
	}
	if *logger == nil {
		*logger = opts.Logger
	}
}
