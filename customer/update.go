package customer

import (
	"context"

	"github.com/ispstack/crm"
)

// Get returns a customer. Errors: not_found (also once deleted).
func (s *Service) Get(ctx context.Context, id string) (*Customer, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("customer")
	}
	return s.repo.GetCustomer(ctx, id)
}

// Replace overwrites the writable fields of a customer with in, validated as
// on create; in.TaxID nil keeps the stored tax id. ifVersion, when non-zero,
// must equal the stored version (the ETag of If-Match). It is Update with an
// edit that sets the input to in. Errors: not_found, precondition_failed,
// invalid, conflict.
func (s *Service) Replace(ctx context.Context, id string, in Input, ifVersion int64) (*Customer, error) {
	return s.Update(ctx, id, ifVersion, func(cur *Input) error {
		*cur = in
		return nil
	})
}

// Update changes a customer in one transaction: under the customer's lock it
// checks ifVersion (0: no condition) against the stored version, calls edit
// with the writable fields of the stored customer (InputOf, so TaxID is nil
// and keeps the tax id unless edit sets it), validates the result as on
// create and writes it. edit may change the input in place or replace it
// wholesale; its error is returned as is and nothing is written. An edit
// that changes nothing writes nothing and returns the stored customer.
// Errors: not_found, precondition_failed, invalid, conflict, and edit's.
func (s *Service) Update(ctx context.Context, id string, ifVersion int64, edit func(*Input) error) (*Customer, error) {
	var out *Customer
	err := s.inTx(ctx, func(ctx context.Context, r Repository) (err error) {
		out, err = s.UpdateIn(ctx, r, id, ifVersion, edit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateIn is Update inside the caller's transaction, through r (a
// Repository bound to it): for another module that changes a customer
// field together with its own records, such as a credit check storing
// the score. It edits the customer's own fields, so no Watcher is told.
func (s *Service) UpdateIn(ctx context.Context, r Repository, id string, ifVersion int64, edit func(*Input) error) (*Customer, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("customer")
	}
	before, err := r.LockCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := crm.CheckVersion("customer", before.Version, ifVersion); err != nil {
		return nil, err
	}
	in := InputOf(before)
	if err := edit(&in); err != nil {
		return nil, err
	}
	now := s.clock()
	if in, err = normalize(in, crm.DateOf(now)); err != nil {
		return nil, err
	}
	after := clone(before)
	if err := s.apply(after, in); err != nil {
		return nil, err
	}
	changes := diffCustomers(before, after)
	if len(changes) == 0 {
		return before, nil
	}
	after.Version++
	after.UpdatedAt = now
	if err := r.UpdateCustomer(ctx, after); err != nil {
		return nil, err
	}
	if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, id, "customer", id, "update", changes, now)); err != nil {
		return nil, err
	}
	return after, r.InsertEvent(ctx, newEvent(EventUpdated, after, now))
}

// clone returns a deep copy of c.
func clone(c *Customer) *Customer {
	d := *c
	d.BillingAddress = *cloneAddress(&c.BillingAddress)
	d.ServiceAddress = cloneAddress(c.ServiceAddress)
	d.EmergencyContact = cloneEmergency(c.EmergencyContact)
	if c.CreditScore != nil {
		v := *c.CreditScore
		d.CreditScore = &v
	}
	if c.TaxID != nil {
		t := TaxID{Ciphertext: append([]byte(nil), c.TaxID.Ciphertext...), BlindIndex: c.TaxID.BlindIndex}
		d.TaxID = &t
	}
	if c.Suspension != nil {
		sp := *c.Suspension
		if sp.Until != nil {
			u := *sp.Until
			sp.Until = &u
		}
		d.Suspension = &sp
	}
	if c.DeletedAt != nil {
		t := *c.DeletedAt
		d.DeletedAt = &t
	}
	return &d
}
