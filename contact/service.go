package contact

import (
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Options configures a Service.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fixed one.
	Now func() time.Time
}

// Service applies the contact rules over a Repository. It is safe for
// concurrent use.
type Service struct {
	repo  Repository
	inTx  crm.TxFunc[Repository]
	clock func() time.Time // now, as stored (crm.Clock)
}

// NewService returns a Service that reads through repo and writes in
// transactions run by inTx (store.Tx[Repository](s) for a store.Store).
func NewService(repo Repository, inTx crm.TxFunc[Repository], opts Options) *Service {
	return &Service{repo: repo, inTx: inTx, clock: crm.Clock(opts.Now)}
}

// region is how phone numbers without a country code are read for the
// customer's contacts: as local numbers of its billing country, as the
// customer's own numbers are.
func region(c *customer.Customer) string {
	if c.BillingAddress.Country != "" {
		return c.BillingAddress.Country
	}
	return "US"
}
