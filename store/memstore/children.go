package memstore

// children is a table of records that belong to a customer (status changes,
// subscriptions, contacts, audit entries): by id, as ids are unique across
// customers, and by customer, since every read is for one customer.
type children[T any] struct {
	byID       map[string]*T
	byCustomer map[string]map[string]*T
}

func newChildren[T any]() *children[T] {
	return &children[T]{byID: map[string]*T{}, byCustomer: map[string]map[string]*T{}}
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
