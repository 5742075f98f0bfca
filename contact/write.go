package contact

import (
	"context"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Create validates in and stores a new contact of the customer. A primary
// contact demotes the customer's previous primary contact of its type, in
// the same transaction. Errors: not_found (customer absent or deleted),
// invalid (naming every bad field).
func (s *Service) Create(ctx context.Context, customerID string, in Input) (*Contact, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	var out *Contact
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		cu, err := r.LockCustomer(ctx, customerID)
		if err != nil {
			return err
		}
		in, err := normalize(in, region(cu))
		if err != nil {
			return err
		}
		now := s.clock()
		c := &Contact{ID: crm.NewID(), CustomerID: customerID, Version: 1, CreatedAt: now, UpdatedAt: now}
		apply(c, in)
		if err := demote(ctx, r, c, now); err != nil {
			return err
		}
		if err := r.CreateContact(ctx, c); err != nil {
			return err
		}
		out = c
		return record(ctx, r, "create", nil, c, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Replace overwrites the writable fields of a contact with in, validated as
// on create. It is Update with an edit that sets the input to in, so
// ifVersion is checked before in is validated, as HTTP evaluates
// preconditions first. Errors: not_found (also under another customer),
// precondition_failed, invalid.
func (s *Service) Replace(ctx context.Context, customerID, id string, in Input, ifVersion int64) (*Contact, error) {
	return s.Update(ctx, customerID, id, ifVersion, func(cur *Input) error {
		*cur = in
		return nil
	})
}

// Update changes a contact in one transaction: under the customer's lock it
// reads the contact, checks ifVersion (0: no condition) against its
// version, calls edit with its writable fields (InputOf), validates the
// result as on create and writes it. Becoming primary demotes the previous
// primary contact of the type. edit may change the input in place or
// replace it wholesale; its error is returned as is and nothing is
// written. An edit that changes nothing writes nothing and returns the
// stored contact. Errors: not_found (also under another customer),
// precondition_failed, invalid, and edit's.
func (s *Service) Update(ctx context.Context, customerID, id string, ifVersion int64, edit func(*Input) error) (*Contact, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("contact")
	}
	var out *Contact
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		cu, before, err := lockContact(ctx, r, customerID, id, ifVersion)
		if err != nil {
			return err
		}
		in := InputOf(before)
		if err := edit(&in); err != nil {
			return err
		}
		if in, err = normalize(in, region(cu)); err != nil {
			return err
		}
		if in == InputOf(before) {
			out = before
			return nil
		}
		now := s.clock()
		after := *before
		apply(&after, in)
		after.Version++
		after.UpdatedAt = now
		if err := demote(ctx, r, &after, now); err != nil {
			return err
		}
		if err := r.UpdateContact(ctx, &after); err != nil {
			return err
		}
		out = &after
		return record(ctx, r, "update", before, &after, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a contact for good; the audit trail keeps a masked record
// of it. ifVersion, when non-zero, must equal the stored version. Deleting
// a primary contact promotes no other. Errors: not_found (also under
// another customer), precondition_failed.
func (s *Service) Delete(ctx context.Context, customerID, id string, ifVersion int64) error {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return crm.NotFound("contact")
	}
	return s.inTx(ctx, func(ctx context.Context, r Repository) error {
		_, before, err := lockContact(ctx, r, customerID, id, ifVersion)
		if err != nil {
			return err
		}
		if err := r.DeleteContact(ctx, customerID, id, before.Version); err != nil {
			return err
		}
		return record(ctx, r, "delete", before, nil, s.clock())
	})
}

// lockContact locks the customer and reads its contact id, checking
// ifVersion (0: no condition) against the contact's version.
func lockContact(ctx context.Context, r Repository, customerID, id string, ifVersion int64) (*customer.Customer, *Contact, error) {
	cu, err := r.LockCustomer(ctx, customerID)
	if err != nil {
		return nil, nil, err
	}
	c, err := r.GetContact(ctx, customerID, id)
	if err != nil {
		return nil, nil, err
	}
	if err := crm.CheckVersion("contact", c.Version, ifVersion); err != nil {
		return nil, nil, err
	}
	return cu, c, nil
}

// demote takes the primary mark from the customer's current primary
// contact of c's type when c is about to become primary, bumping that
// contact's version and auditing it, so at most one contact per type is
// primary. It runs before c is written, which the stores' uniqueness rule
// requires.
func demote(ctx context.Context, r Repository, c *Contact, now time.Time) error {
	if !c.IsPrimary {
		return nil
	}
	prev, err := r.GetPrimaryContact(ctx, c.CustomerID, c.Type)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if prev.ID == c.ID {
		return nil
	}
	after := *prev
	after.IsPrimary = false
	after.Version++
	after.UpdatedAt = now
	if err := r.UpdateContact(ctx, &after); err != nil {
		return err
	}
	return record(ctx, r, "update", prev, &after, now)
}

// apply copies normalised input onto c.
func apply(c *Contact, in Input) {
	c.Name, c.Title, c.Email, c.Phone, c.Mobile = in.Name, in.Title, in.Email, in.Phone, in.Mobile
	c.Type, c.IsPrimary, c.CanAuthorizeChanges = in.Type, in.IsPrimary, in.CanAuthorizeChanges
	c.PreferredContactMethod, c.Notes = in.PreferredContactMethod, in.Notes
}
