package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// children is a table of records that belong to a customer (status changes,
// subscriptions, contacts, documents, verifications, audit entries): by id,
// as ids are unique across customers, and by customer, since nearly every
// read is for one customer. Its methods are the create, get,
// update-with-version and list that these records share; the file of each
// record keeps only what is its own.
type children[T any] struct {
	rows[T]
	byID       map[string]*T
	byCustomer map[string]map[string]*T
}

// rows describes the records of a children table.
type rows[T any] struct {
	// name names a record in errors ("service", "contact").
	name string
	// key returns the record's id, its customer's id and its version (0
	// for records written once).
	key func(v *T) (id, customerID string, version int64)
	// clone deep-copies a record at the store's boundary.
	clone func(v *T) *T
	// parent is what creating a record requires of its customer.
	parent parent
	// check, when set, is a rule a record must keep to be written (one
	// primary contact per type); it runs after the id is known free.
	check func(db *database, v *T) error
}

// parent is what creating a record requires of its customer.
type parent int

const (
	// anyParent requires nothing: audit entries and the status history are
	// written without looking at the customer.
	anyParent parent = iota
	// existingParent requires that the customer exists, deleted or not, as
	// a foreign key does in Postgres.
	existingParent
	// liveParent requires that the customer exists and is not deleted.
	liveParent
)

// newChildren returns an empty table of the records r describes.
func newChildren[T any](r rows[T]) *children[T] {
	return &children[T]{rows: r, byID: map[string]*T{}, byCustomer: map[string]map[string]*T{}}
}

// create inserts a copy of v: not_found when its customer does not meet
// the table's parent rule; conflict when its id exists or the table's check
// refuses it.
func (c *children[T]) create(ctx context.Context, s *Store, v *T) error {
	v = c.clone(v)
	id, customerID, _ := c.key(v)
	return s.write(ctx, func(db *database, tx *txn) error {
		if c.parent != anyParent {
			if cu, ok := db.customers[customerID]; !ok || c.parent == liveParent && cu.DeletedAt != nil {
				return crm.NotFound("customer")
			}
		}
		if _, ok := c.byID[id]; ok {
			return crm.Errorf(crm.CodeConflict, "%s %s already exists", c.name, id)
		}
		if err := c.checked(db, v); err != nil {
			return err
		}
		c.put(tx, customerID, id, v)
		return nil
	})
}

// get returns a copy of the customer's record id; not_found when it does
// not exist or belongs to another customer.
func (c *children[T]) get(ctx context.Context, s *Store, customerID, id string) (*T, error) {
	var out *T
	err := s.read(ctx, func(*database) error {
		v, err := c.find(customerID, id)
		if err != nil {
			return err
		}
		out = c.clone(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// update stores a copy of v over the record of its customer whose version
// is one less than v's: not_found when the customer has no such record,
// precondition_failed on another version, and the table's check.
func (c *children[T]) update(ctx context.Context, s *Store, v *T) error {
	v = c.clone(v)
	id, customerID, version := c.key(v)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, err := c.at(customerID, id, version-1); err != nil {
			return err
		}
		if err := c.checked(db, v); err != nil {
			return err
		}
		c.put(tx, customerID, id, v)
		return nil
	})
}

// list returns copies of up to limit (all when limit <= 0) of the
// customer's records that match (all when match is nil), ordered by id,
// strictly after afterID.
func (c *children[T]) list(ctx context.Context, s *Store, customerID, afterID string, limit int, match func(v *T) bool) ([]T, error) {
	all, err := c.stored(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, v := range all {
		if id, _, _ := c.key(v); id > afterID && (match == nil || match(v)) {
			out = append(out, v)
		}
	}
	return c.sorted(out, limit), nil
}

// stored returns the customer's stored records, in no particular order,
// read as s reads. They are shared with the table: stored values are
// replaced, never modified, so they may be read after the lock is let go,
// but must be copied before they leave the store.
func (c *children[T]) stored(ctx context.Context, s *Store, customerID string) ([]*T, error) {
	var out []*T
	err := s.read(ctx, func(*database) error {
		out = c.of(customerID)
		return nil
	})
	return out, err
}

// find returns the customer's stored record id; not_found when it does not
// exist or belongs to another customer.
func (c *children[T]) find(customerID, id string) (*T, error) {
	v, ok := c.byID[id]
	if !ok {
		return nil, crm.NotFound(c.name)
	}
	if _, owner, _ := c.key(v); owner != customerID {
		return nil, crm.NotFound(c.name)
	}
	return v, nil
}

// at is find, and precondition_failed unless the record is at version.
func (c *children[T]) at(customerID, id string, version int64) (*T, error) {
	v, err := c.find(customerID, id)
	if err != nil {
		return nil, err
	}
	if _, _, got := c.key(v); got != version {
		return nil, crm.Errorf(crm.CodePreconditionFailed, "%s %s is at version %d, not %d", c.name, id, got, version)
	}
	return v, nil
}

// checked applies the table's check, if it has one.
func (c *children[T]) checked(db *database, v *T) error {
	if c.check == nil {
		return nil
	}
	return c.check(db, v)
}

// sorted orders stored records by id and copies out up to limit (all when
// limit <= 0).
func (c *children[T]) sorted(rows []*T, limit int) []T {
	return c.sortedBy(rows, limit, func(a, b *T) int {
		ida, _, _ := c.key(a)
		idb, _, _ := c.key(b)
		return strings.Compare(ida, idb)
	})
}

// sortedBy orders stored records by order and copies out up to limit (all
// when limit <= 0).
func (c *children[T]) sortedBy(rows []*T, limit int, order func(a, b *T) int) []T {
	slices.SortFunc(rows, order)
	return values(rows[:limitOf(limit, len(rows))], c.clone)
}

// put stores v, which must not be changed afterwards: stored values are
// replaced, never modified, so the undo log can keep the old pointer.
func (c *children[T]) put(tx *txn, customerID, id string, v *T) {
	set(tx, c.byID, id, v)
	m := c.byCustomer[customerID]
	if m == nil {
		// Left behind empty on rollback, which is harmless.
		m = map[string]*T{}
		c.byCustomer[customerID] = m
	}
	set(tx, m, id, v)
}

// remove deletes the customer's record id, recording the undo in tx.
func (c *children[T]) remove(tx *txn, customerID, id string) {
	del(tx, c.byID, id)
	if m := c.byCustomer[customerID]; m != nil {
		del(tx, m, id)
	}
}

// removeAll deletes every record of the customer (when it is closed),
// recording the undo in tx.
func (c *children[T]) removeAll(tx *txn, customerID string) {
	for id := range c.byCustomer[customerID] {
		c.remove(tx, customerID, id)
	}
}

// of returns the customer's records in no particular order.
func (c *children[T]) of(customerID string) []*T {
	m := c.byCustomer[customerID]
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
