package analytics

import (
	"context"
	"slices"

	"github.com/ispstack/crm/customer"
)

// The Service keeps every customer's Profile current: it is a
// customer.Watcher, so each change to a customer's services or status
// refreshes the profile in the change's transaction.
var _ customer.Watcher = (*Service)(nil)

// RefreshProfiles recomputes the profiles of the customers among ids from
// their Facts at the clock, scored by the Service's model, and stores
// them; ids of deleted or unknown customers are skipped. Called with the
// context of a running transaction, it runs in that transaction.
func (s *Service) RefreshProfiles(ctx context.Context, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	_, err := s.refresh(ctx, s.repo, ids)
	return err
}

// CustomerChanged refreshes the customer's profile: the customer.Watcher
// that runs inside the transaction of every change to a customer or its
// services, so the MRR, tenure and churn score a status change or a new,
// changed or cancelled service moves are stored with it.
func (s *Service) CustomerChanged(ctx context.Context, customerID string) error {
	_, err := s.refresh(ctx, s.repo, []string{customerID})
	return err
}

// refresh recomputes and stores, through r, the profiles of the customers
// among ids (distinct), and returns how many it stored.
func (s *Service) refresh(ctx context.Context, r Repository, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	asOf := s.clock()
	facts, err := r.CustomerFacts(ctx, ids, asOf)
	if err != nil || len(facts) == 0 {
		return 0, err
	}
	ps := make([]Profile, 0, len(facts))
	for i := range facts {
		// A closed customer is in no list: its profile is left as it was.
		if facts[i].Status != customer.StatusClosed {
			ps = append(ps, ProfileOf(&facts[i], s.model, asOf))
		}
	}
	if len(ps) == 0 {
		return 0, nil
	}
	return len(ps), r.SaveProfiles(ctx, ps)
}
