package verify

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/verify/address"
)

// CheckAddress verifies one of the customer's stored addresses, or an
// address given in in, with the AddressProvider, and keeps the result in
// the customer's verification history. With in.Apply and a valid address
// it writes the normalised address and its coordinates to the customer's
// address of in.AddressType in the same transaction, provided the
// customer is at ifVersion (0: no condition); an invalid address is
// recorded, not applied. It returns the verification and the customer as
// it now is. Errors: not_found; invalid; unprocessable naming
// address_type when the customer has no service address to check;
// precondition_failed (nothing written); unavailable when the provider
// failed.
func (s *Service) CheckAddress(ctx context.Context, customerID string, in AddressInput, ifVersion int64) (*Verification, *customer.Customer, error) {
	if !crm.ValidID(customerID) {
		return nil, nil, crm.NotFound("customer")
	}
	if err := in.validate(); err != nil {
		return nil, nil, err
	}
	c, err := s.repo.GetCustomer(ctx, customerID)
	if err != nil {
		return nil, nil, err
	}
	subject, input := "", address.Address{}
	switch {
	case in.Address != nil:
		input = *in.Address
	case in.AddressType == AddressService && c.ServiceAddress == nil:
		return nil, nil, &crm.Error{Code: crm.CodeUnprocessable, Message: "the customer has no service address",
			Fields: []crm.FieldError{{Field: "address_type", Message: "the customer has no service address on file"}}}
	case in.AddressType == AddressService:
		subject, input = AddressService, addressOf(c.ServiceAddress)
	default:
		subject, input = AddressBilling, addressOf(&c.BillingAddress)
	}
	var res address.Result
	if _, err := s.call(ctx, "address", func(ctx context.Context) (err error) {
		res, err = s.opts.Address.Verify(ctx, input)
		return err
	}); err != nil {
		code, msg := failure(err)
		return nil, nil, crm.Errorf(crm.CodeUnavailable, "the address provider failed (%s: %s); try again later", code, msg)
	}
	var out *Verification
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		now := s.clock()
		if in.Apply {
			// If-Match holds whether or not the address turns out valid.
			if c, err = r.LockCustomer(ctx, customerID); err != nil {
				return err
			}
			if err := crm.CheckVersion("customer", c.Version, ifVersion); err != nil {
				return err
			}
		}
		applied := in.Apply && res.Valid
		if applied {
			c, err = s.customers.UpdateIn(ctx, r, customerID, 0, func(ci *customer.Input) error {
				a := customerAddress(res)
				if in.AddressType == AddressService {
					ci.ServiceAddress = &a
				} else {
					ci.BillingAddress = &a
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if in.Address != nil && applied {
			subject = in.AddressType
		}
		v := newVerification(customerID, KindAddress, subject, now)
		v.Status = StatusCompleted
		v.Address = &AddressCheck{AddressType: subject, Input: input, Result: res, Applied: applied, CheckedAt: now}
		if err := r.CreateVerification(ctx, v); err != nil {
			return err
		}
		out = v
		return record(ctx, r, nil, v, actionComplete, EventCompleted, now)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, c, nil
}

// addressOf is a customer's address as package address takes it.
func addressOf(a *customer.Address) address.Address {
	return address.Address{Street: a.Street, Unit: a.Unit, City: a.City, State: a.State,
		PostalCode: a.PostalCode, Country: a.Country}
}

// customerAddress is the normalised address of res as a customer's, with
// its coordinates when known.
func customerAddress(res address.Result) customer.Address {
	n := res.Normalized
	a := customer.Address{Street: n.Street, Unit: n.Unit, City: n.City, State: n.State,
		PostalCode: n.PostalCode, Country: n.Country}
	if co := res.Coordinates; co != nil {
		a.Coordinates = &customer.Coordinates{Latitude: co.Latitude, Longitude: co.Longitude}
	}
	return a
}
