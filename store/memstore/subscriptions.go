package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// CreateSubscription inserts a copy of s. not_found when the customer never
// existed (a foreign key in Postgres); conflict when the id exists.
func (s *Store) CreateSubscription(ctx context.Context, sub *customer.Subscription) error {
	v := cloneSubscription(sub)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.customers[v.CustomerID]; !ok {
			return crm.NotFound("customer")
		}
		if _, ok := db.subscriptions.byID[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "service %s already exists", v.ID)
		}
		db.subscriptions.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// GetSubscription returns a copy of a service of the customer; not_found
// when it does not exist or belongs to another customer.
func (s *Store) GetSubscription(ctx context.Context, customerID, id string) (*customer.Subscription, error) {
	var out *customer.Subscription
	err := s.read(ctx, func(db *database) error {
		v, ok := db.subscriptions.byID[id]
		if !ok || v.CustomerID != customerID {
			return crm.NotFound("service")
		}
		out = cloneSubscription(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateSubscription stores a copy of s over the row of s.CustomerID whose
// version is s.Version-1: not_found when the customer has no such service,
// precondition_failed on another version.
func (s *Store) UpdateSubscription(ctx context.Context, sub *customer.Subscription) error {
	v := cloneSubscription(sub)
	return s.write(ctx, func(db *database, tx *txn) error {
		old, ok := db.subscriptions.byID[v.ID]
		if !ok || old.CustomerID != v.CustomerID {
			return crm.NotFound("service")
		}
		if old.Version != v.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "service %s is at version %d, not %d", v.ID, old.Version, v.Version-1)
		}
		db.subscriptions.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// ListSubscriptions returns up to limit services of the customer ordered by
// id, strictly after afterID.
func (s *Store) ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]customer.Subscription, error) {
	var rows []*customer.Subscription
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.subscriptions.of(customerID) {
			if v.ID > afterID {
				rows = append(rows, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b *customer.Subscription) int { return cmp.Compare(a.ID, b.ID) })
	return values(rows[:limitOf(limit, len(rows))], cloneSubscription), nil
}

// SubscriptionTotals counts the customer's active services and sums their
// monthly prices; zero for a customer without any.
func (s *Store) SubscriptionTotals(ctx context.Context, customerID string) (customer.SubscriptionTotals, error) {
	var t customer.SubscriptionTotals
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.subscriptions.of(customerID) {
			if v.Status == customer.SubscriptionActive {
				t.Active++
				t.MonthlyRecurring += v.MonthlyPrice
			}
		}
		return nil
	})
	if err != nil {
		return customer.SubscriptionTotals{}, err
	}
	return t, nil
}

// SuspendSubscriptions suspends every active service of the customer,
// marking it SuspendedWithCustomer, and returns how many.
func (s *Store) SuspendSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error) {
	return s.changeSubscriptions(ctx, customerID, at, func(v *customer.Subscription) (bool, bool) {
		if v.Status != customer.SubscriptionActive {
			return false, false
		}
		v.Status, v.SuspendedWithCustomer = customer.SubscriptionSuspended, true
		return true, true
	})
}

// RestoreSubscriptions reactivates the services that are suspended with the
// customer, clearing the mark, and returns how many. Services suspended on
// their own stay suspended.
func (s *Store) RestoreSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error) {
	return s.changeSubscriptions(ctx, customerID, at, func(v *customer.Subscription) (bool, bool) {
		if v.Status != customer.SubscriptionSuspended || !v.SuspendedWithCustomer {
			return false, false
		}
		v.Status, v.SuspendedWithCustomer = customer.SubscriptionActive, false
		return true, true
	})
}

// CancelSubscriptions cancels every service of the customer that is not
// cancelled yet (EndDate = end when unset, SuspendedWithCustomer cleared, as
// a cancelled service is never restored) and erases the service address of
// all of them. It returns how many were cancelled; an already cancelled
// service whose address is erased changes too (new version and UpdatedAt)
// but is not counted.
func (s *Store) CancelSubscriptions(ctx context.Context, customerID string, end crm.Date, at time.Time) (int, error) {
	return s.changeSubscriptions(ctx, customerID, at, func(v *customer.Subscription) (bool, bool) {
		changed := v.ServiceAddress != nil
		v.ServiceAddress = nil
		if v.Status == customer.SubscriptionCancelled {
			return changed, false
		}
		v.Status, v.SuspendedWithCustomer = customer.SubscriptionCancelled, false
		if v.EndDate == nil {
			e := end
			v.EndDate = &e
		}
		return true, true
	})
}

// changeSubscriptions applies change to a copy of each of the customer's
// services; the copies it reports changed are stored with the next version
// and UpdatedAt = at. It returns how many change counted.
func (s *Store) changeSubscriptions(ctx context.Context, customerID string, at time.Time,
	change func(v *customer.Subscription) (changed, counted bool)) (int, error) {
	at = normTime(at)
	n := 0
	err := s.write(ctx, func(db *database, tx *txn) error {
		for _, old := range db.subscriptions.of(customerID) {
			v := cloneSubscription(old)
			changed, counted := change(v)
			if !changed {
				continue
			}
			v.Version++
			v.UpdatedAt = at
			db.subscriptions.put(tx, customerID, v.ID, v)
			if counted {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
