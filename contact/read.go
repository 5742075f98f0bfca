package contact

import (
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// ListParams selects a page of a customer's contacts.
type ListParams struct {
	// Type keeps only contacts of that type; "" keeps all.
	Type Type
	// Cursor is the NextCursor of the previous page; "" for the first.
	Cursor string
	// Limit is the page size, 1 to crm.MaxLimit; 0 means
	// crm.DefaultLimit.
	Limit int
}

// Get returns a contact of the customer. Errors: not_found (also when the
// customer is deleted or the contact belongs to another customer).
func (s *Service) Get(ctx context.Context, customerID, id string) (*Contact, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if !crm.ValidID(id) {
		return nil, crm.NotFound("contact")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	return s.repo.GetContact(ctx, customerID, id)
}

// List returns a page of the customer's contacts, oldest first (ids are
// time-ordered), so pages neither skip nor repeat contacts while others are
// added. Errors: invalid (naming limit, cursor or contact_type), not_found.
func (s *Service) List(ctx context.Context, customerID string, p ListParams) (*crm.Page[Contact], error) {
	limit, err := crm.PageLimit(p.Limit, p.Cursor)
	problems := crm.Problems(crm.ErrorFields(err))
	if p.Type != "" && !slices.Contains(Types, p.Type) {
		problems.Add("contact_type", valid.EnumMessage(false, Types))
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	rows, err := s.repo.ListContacts(ctx, customerID, p.Type, p.Cursor, limit+1)
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Contact) string { return last.ID }), nil
}
