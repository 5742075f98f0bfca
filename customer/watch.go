package customer

import (
	"context"
	"slices"
	"sync"

	"github.com/ispstack/crm"
)

// Watcher keeps something derived from a customer's services and status
// up to date (the analytics profile: MRR, tenure, churn score).
// CustomerChanged runs inside the transaction of every change to the
// customer's services or status (suspension, reactivation, closing),
// after the change is written, with that transaction's context; its error
// rolls the change back. Creating a customer, and editing its own fields
// (name, contact details, addresses, credit score), derive nothing and
// tell no watcher: they would cost every create and edit two statements
// for nothing.
type Watcher interface {
	CustomerChanged(ctx context.Context, customerID string) error
}

// watchTx returns inTx with the watchers told of every customer whose
// services or status its transactions change. Every change writes an
// audit entry naming its customer, so those customers are the ones of the
// audit entries it wrote, but for the creates and edits of the customer
// record itself; a transaction that changes nothing (an edit to the same
// values) tells no watcher.
func watchTx(inTx crm.TxFunc[Repository], watchers []Watcher) crm.TxFunc[Repository] {
	return func(ctx context.Context, fn func(ctx context.Context, r Repository) error) error {
		return inTx(ctx, func(ctx context.Context, r Repository) error {
			w := &watched{Repository: r}
			if err := fn(ctx, w); err != nil {
				return err
			}
			for _, id := range w.changed {
				for _, x := range watchers {
					if err := x.CustomerChanged(ctx, id); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
}

// watched is a transaction's Repository that notes the customers of the
// audit entries written through it, in the order first written.
type watched struct {
	Repository
	mu      sync.Mutex
	changed []string
}

func (w *watched) InsertAudit(ctx context.Context, e *crm.AuditEntry) error {
	if err := w.Repository.InsertAudit(ctx, e); err != nil {
		return err
	}
	if e.Entity == "customer" && (e.Action == "create" || e.Action == "update") {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.changed, e.CustomerID) {
		w.changed = append(w.changed, e.CustomerID)
	}
	return nil
}
