package memstore

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// createEach writes creations one by one through r, leaving out one whose
// customer clashes (conflict is its error).
func createEach(ctx context.Context, r customer.Repository, cs []customer.Creation) ([]error, error) {
	errs := make([]error, len(cs))
	for i, c := range cs {
		if err := r.CreateCustomer(ctx, c.Customer); err != nil {
			if crm.ErrorCode(err) == crm.CodeConflict {
				errs[i] = err
				continue
			}
			return nil, err
		}
		if err := r.InsertStatusChange(ctx, c.Status); err != nil {
			return nil, err
		}
		if err := r.InsertAudit(ctx, c.Audit); err != nil {
			return nil, err
		}
		if err := r.InsertEvent(ctx, c.Event); err != nil {
			return nil, err
		}
	}
	return errs, nil
}
