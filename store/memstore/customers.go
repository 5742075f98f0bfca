package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// CreateCustomer inserts a copy of c. Conflict when the id exists, or when
// the email, phone or external id is used by another non-deleted customer
// or the account number by any customer (account numbers stay with closed accounts, for the
// books); Fields names every such field.
func (s *Store) CreateCustomer(ctx context.Context, c *customer.Customer) error {
	v := storedCustomer(c)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.customers[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "customer %s already exists", v.ID)
		}
		if err := db.checkUnique(v); err != nil {
			return err
		}
		db.putCustomer(tx, nil, v)
		return nil
	})
}

// GetCustomer returns a copy of the customer; not_found when absent or
// deleted.
func (s *Store) GetCustomer(ctx context.Context, id string) (*customer.Customer, error) {
	var out *customer.Customer
	err := s.read(ctx, func(db *database) error {
		c, ok := db.customers[id]
		if !ok || c.DeletedAt != nil {
			return crm.NotFound("customer")
		}
		out = cloneCustomer(c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetCustomerByExternalID returns a copy of the non-deleted customer with
// that external id; not_found when none has it.
func (s *Store) GetCustomerByExternalID(ctx context.Context, externalID string) (*customer.Customer, error) {
	return s.getCustomerBy(ctx, func(db *database) map[string]string { return db.externals }, externalID)
}

// GetCustomerByEmail returns a copy of the non-deleted customer with that
// email; not_found when none has it.
func (s *Store) GetCustomerByEmail(ctx context.Context, email string) (*customer.Customer, error) {
	return s.getCustomerBy(ctx, func(db *database) map[string]string { return db.emails }, email)
}

// getCustomerBy returns a copy of the customer that index (one of the
// unique indexes of non-deleted customers) maps value to; not_found when it
// maps none. Empty values are never indexed.
func (s *Store) getCustomerBy(ctx context.Context, index func(db *database) map[string]string, value string) (*customer.Customer, error) {
	var out *customer.Customer
	err := s.read(ctx, func(db *database) error {
		id, ok := index(db)[value]
		if !ok {
			return crm.NotFound("customer")
		}
		out = cloneCustomer(db.customers[id])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetCustomerDetails returns the customer, up to limit (all when limit
// <= 0) of its services ordered by id and a copy of the Insight of its
// profile (nil when none), from one snapshot.
func (s *Store) GetCustomerDetails(ctx context.Context, id string, limit int) (*customer.Customer, []customer.Subscription, *customer.Insight, error) {
	var (
		out     *customer.Customer
		subs    []*customer.Subscription
		insight *customer.Insight
	)
	err := s.read(ctx, func(db *database) error {
		c, ok := db.customers[id]
		if !ok || c.DeletedAt != nil {
			return crm.NotFound("customer")
		}
		out, subs = cloneCustomer(c), db.subscriptions.of(id)
		if p, ok := db.profiles[id]; ok && p.Insight != nil {
			insight = cloneInsight(p.Insight)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	slices.SortFunc(subs, func(a, b *customer.Subscription) int { return cmp.Compare(a.ID, b.ID) })
	return out, values(subs[:limitOf(limit, len(subs))], cloneSubscription), insight, nil
}

// LockCustomer is GetCustomer. Transactions already run one at a time, so
// the row needs no lock of its own to stay unchanged until the transaction
// ends.
func (s *Store) LockCustomer(ctx context.Context, id string) (*customer.Customer, error) {
	return s.GetCustomer(ctx, id)
}

// UpdateCustomer stores a copy of c over the row whose version is
// c.Version-1. not_found when absent or deleted, precondition_failed on
// another version, conflict as in CreateCustomer.
func (s *Store) UpdateCustomer(ctx context.Context, c *customer.Customer) error {
	v := storedCustomer(c)
	return s.write(ctx, func(db *database, tx *txn) error {
		old, ok := db.customers[v.ID]
		if !ok || old.DeletedAt != nil {
			return crm.NotFound("customer")
		}
		if old.Version != v.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "customer %s is at version %d, not %d", v.ID, old.Version, v.Version-1)
		}
		if err := db.checkUnique(v); err != nil {
			return err
		}
		db.putCustomer(tx, old, v)
		return nil
	})
}

// checkUnique returns a conflict naming every unique field of c that another
// customer holds. Empty values are not unique: erased customers have none.
func (db *database) checkUnique(c *customer.Customer) error {
	var p []crm.FieldError
	taken := func(index map[string]string, value string) bool {
		id, ok := index[value]
		return value != "" && ok && id != c.ID
	}
	live := c.DeletedAt == nil
	if live && taken(db.emails, c.Email) {
		p = append(p, crm.FieldError{Field: "email", Message: "is already in use"})
	}
	if live && taken(db.phones, c.Phone) {
		p = append(p, crm.FieldError{Field: "phone", Message: "is already in use"})
	}
	if live && taken(db.externals, c.ExternalID) {
		p = append(p, crm.FieldError{Field: "external_id", Message: "is already in use"})
	}
	if taken(db.accounts, c.AccountNumber) {
		p = append(p, crm.FieldError{Field: "account_number", Message: "is already in use"})
	}
	if p == nil {
		return nil
	}
	return &crm.Error{Code: crm.CodeConflict, Message: "a customer with these details already exists", Fields: p}
}

// putCustomer replaces old (nil for a new customer) with c and keeps the
// unique indexes in step.
func (db *database) putCustomer(tx *txn, old, c *customer.Customer) {
	if old != nil {
		db.unindex(tx, old)
	}
	set(tx, db.customers, c.ID, c)
	if c.DeletedAt == nil {
		if c.Email != "" {
			set(tx, db.emails, c.Email, c.ID)
		}
		if c.Phone != "" {
			set(tx, db.phones, c.Phone, c.ID)
		}
		if c.ExternalID != "" {
			set(tx, db.externals, c.ExternalID, c.ID)
		}
	}
	if c.AccountNumber != "" {
		set(tx, db.accounts, c.AccountNumber, c.ID)
	}
}

// unindex removes the index entries that c holds.
func (db *database) unindex(tx *txn, c *customer.Customer) {
	for _, e := range []struct {
		index map[string]string
		value string
	}{{db.emails, c.Email}, {db.phones, c.Phone}, {db.externals, c.ExternalID}, {db.accounts, c.AccountNumber}} {
		if id, ok := e.index[e.value]; ok && id == c.ID {
			del(tx, e.index, e.value)
		}
	}
}

// DueReactivations returns the ids of up to limit suspended, non-deleted
// customers whose Suspension.Until is at or before now, by Until then id.
// Transactions run one at a time, so no row can be held by another one.
func (s *Store) DueReactivations(ctx context.Context, now time.Time, limit int) ([]string, error) {
	now = normTime(now)
	var due []*customer.Customer
	err := s.read(ctx, func(db *database) error {
		for _, c := range db.customers {
			if c.DeletedAt == nil && c.Status == customer.StatusSuspended && c.Suspension != nil &&
				c.Suspension.Until != nil && !c.Suspension.Until.After(now) {
				due = append(due, c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(due, func(a, b *customer.Customer) int {
		return cmp.Or(a.Suspension.Until.Compare(*b.Suspension.Until), cmp.Compare(a.ID, b.ID))
	})
	ids := make([]string, limitOf(limit, len(due)))
	for i := range ids {
		ids[i] = due[i].ID
	}
	return ids, nil
}

// CreateCustomers writes each creation in turn; a clash leaves the
// creation out and is its error.
func (s *Store) CreateCustomers(ctx context.Context, cs []customer.Creation) ([]error, error) {
	return createEach(ctx, s, cs)
}
