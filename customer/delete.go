package customer

import (
	"context"

	"github.com/ispstack/crm"
)

// Delete closes a customer and erases its personal data in place (name,
// email, phone, addresses, tax id, emergency contact, notes, credit score,
// external id (it links to another system's record of the person), the
// service addresses of its subscriptions and the notes of its status
// history), keeping the account number, the subscriptions and the audit
// trail for the books (GDPR Art. 17(3)(b)). In the same transaction every
// Options.Erasers runs (contacts, document records, outbox payloads,
// stored idempotent responses); once it has committed, the
// Options.AfterDelete hooks run (purging the document files).
// Afterwards the customer is not found and its email, phone and external
// id are free.
// Active subscriptions block it unless opts.Force, which cancels them.
// Errors: not_found, precondition_failed, conflict (active services without
// force).
func (s *Service) Delete(ctx context.Context, id string, opts DeleteOptions) error {
	if !crm.ValidID(id) {
		return crm.NotFound("customer")
	}
	if err := s.deleteTx(ctx, id, opts); err != nil {
		return err
	}
	for _, hook := range s.afterDelete {
		hook(ctx, id)
	}
	return nil
}

// deleteTx is the transaction of Delete.
func (s *Service) deleteTx(ctx context.Context, id string, opts DeleteOptions) error {
	return s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := r.LockCustomer(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("customer", before.Version, opts.IfVersion); err != nil {
			return err
		}
		totals, err := r.SubscriptionTotals(ctx, id)
		if err != nil {
			return err
		}
		if totals.Active > 0 && !opts.Force {
			return crm.Errorf(crm.CodeConflict, "customer has %d active services; cancel them or delete with force=true", totals.Active)
		}
		now := s.clock()
		n, err := r.CancelSubscriptions(ctx, id, crm.DateOf(now), now)
		if err != nil {
			return err
		}
		after := erase(before)
		after.DeletedAt = &now
		if _, err = s.transition(ctx, r, before, after, "delete", EventDeleted, now, countChange("services.cancelled", n)...); err != nil {
			return err
		}
		if err := r.RedactStatusNotes(ctx, id); err != nil {
			return err
		}
		for _, e := range s.erasers {
			if err := e.EraseCustomer(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteOptions modify Delete.
type DeleteOptions struct {
	// Force cancels active services instead of refusing.
	Force bool
	// IfVersion, when non-zero, must equal the stored version (If-Match).
	IfVersion int64
}

// erase returns c closed, with its personal data removed.
func erase(c *Customer) *Customer {
	return &Customer{
		ID:                       c.ID,
		AccountNumber:            c.AccountNumber,
		Type:                     c.Type,
		Status:                   StatusClosed,
		Industry:                 c.Industry,
		PreferredContact:         c.PreferredContact,
		CommunicationPreferences: CommunicationPreferences{},
		CustomerSince:            c.CustomerSince,
		Version:                  c.Version,
		CreatedAt:                c.CreatedAt,
		UpdatedAt:                c.UpdatedAt,
	}
}
