package customer

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/ispstack/crm"
)

// Options configures a Service.
type Options struct {
	// TaxIDs encrypts tax ids; required to accept them.
	TaxIDs *TaxIDCipher
	// Now is the clock; time.Now when nil. Tests inject a fixed one.
	Now func() time.Time
	// Balances answers whether a customer owes money, for the rule that a
	// non-payment suspension is not lifted while a balance is owed.
	Balances BalanceSource
	// Insights fills the billing summary, account metrics and tickets of
	// a customer's details; nil shows what the customer record alone tells
	// (see RecordInsights).
	Insights Insights
	// StoredInsights makes the details show the Insight the store keeps
	// for the customer, read with it, and ask Insights only for a customer
	// that has none yet. Without it the stored ones are ignored.
	StoredInsights bool
	// Erasers remove what the other modules keep about a customer, in the
	// transaction that deletes it (see Eraser), in order.
	Erasers []Eraser
	// AfterDelete are called in order, with the customer's id, once a
	// Delete has committed: the place to erase what lives outside the
	// Repository, such as document files in a bucket
	// (document.Service.OnCustomerDeleted). They cannot undo the delete, so
	// they report their own failures; whatever they leave behind is for
	// their own repair (the document orphan sweep).
	AfterDelete []func(ctx context.Context, customerID string)
	// Watchers are told, in order, inside the transaction of every change
	// to a customer or its services, that the customer changed (see
	// Watcher).
	Watchers []Watcher
}

// Service applies the customer rules over a Repository. It is safe for
// concurrent use.
type Service struct {
	repo        Repository
	inTx        crm.TxFunc[Repository]
	taxIDs      *TaxIDCipher
	clock       func() time.Time // now, as stored (crm.Clock)
	balances    BalanceSource
	insights    Insights
	stored      bool
	erasers     []Eraser
	afterDelete []func(ctx context.Context, customerID string)
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store).
func NewService(repo Repository, inTx crm.TxFunc[Repository], opts Options) *Service {
	s := &Service{repo: repo, inTx: inTx, taxIDs: opts.TaxIDs, clock: crm.Clock(opts.Now), balances: opts.Balances,
		stored: opts.StoredInsights, erasers: slices.Clone(opts.Erasers), afterDelete: slices.Clone(opts.AfterDelete)}
	if len(opts.Watchers) > 0 {
		// Every write of the Service runs through inTx, so wrapping it
		// tells the watchers of every change.
		s.inTx = watchTx(inTx, slices.Clone(opts.Watchers))
	}
	s.insights = opts.Insights
	if s.insights == nil {
		s.insights = RecordInsights{Balances: opts.Balances}
	}
	return s
}

// isCode reports whether err carries code.
func isCode(err error, code crm.Code) bool {
	var e *crm.Error
	return errors.As(err, &e) && e.Code == code
}
