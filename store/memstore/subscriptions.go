package memstore

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// subscriptionRows describes services to their children table. A service
// may be created for a deleted customer, as Postgres' foreign key allows.
var subscriptionRows = rows[customer.Subscription]{name: "service", clone: cloneSubscription, parent: existingParent,
	key: func(v *customer.Subscription) (string, string, int64) { return v.ID, v.CustomerID, v.Version }}

// CreateSubscription inserts a copy of s. not_found when the customer never
// existed (a foreign key in Postgres); conflict when the id exists.
func (s *Store) CreateSubscription(ctx context.Context, sub *customer.Subscription) error {
	return s.db.subscriptions.create(ctx, s, sub)
}

// GetSubscription returns a copy of a service of the customer; not_found
// when it does not exist or belongs to another customer.
func (s *Store) GetSubscription(ctx context.Context, customerID, id string) (*customer.Subscription, error) {
	return s.db.subscriptions.get(ctx, s, customerID, id)
}

// UpdateSubscription stores a copy of s over the row of s.CustomerID whose
// version is s.Version-1: not_found when the customer has no such service,
// precondition_failed on another version.
func (s *Store) UpdateSubscription(ctx context.Context, sub *customer.Subscription) error {
	return s.db.subscriptions.update(ctx, s, sub)
}

// ListSubscriptions returns up to limit services of the customer ordered by
// id, strictly after afterID.
func (s *Store) ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]customer.Subscription, error) {
	return s.db.subscriptions.list(ctx, s, customerID, afterID, limit, nil)
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
