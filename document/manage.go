package document

import (
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// Get returns a document of the customer, active or not. Errors: not_found
// (also when the customer is deleted or the document belongs to another
// customer).
func (s *Service) Get(ctx context.Context, customerID, id string) (*Document, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("document")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	return s.repo.GetDocument(ctx, customerID, id)
}

// ListParams select a page of a customer's documents.
type ListParams struct {
	// Type, when set, keeps documents of that type.
	Type Type
	// ActiveOnly leaves out deactivated documents (the API's default).
	ActiveOnly bool
	// ExpiringBefore, when set, keeps documents expiring strictly before it.
	ExpiringBefore *crm.Date
	// Cursor is the NextCursor of the previous page.
	Cursor string
	// Limit is the page size; 0 means crm.DefaultLimit.
	Limit int
}

// List returns a page of the customer's documents, oldest first. Errors:
// not_found, invalid.
func (s *Service) List(ctx context.Context, customerID string, p ListParams) (*crm.Page[Document], error) {
	limit, err := crm.PageLimit(p.Limit, p.Cursor)
	if err != nil {
		return nil, err
	}
	var pr crm.Problems
	if p.Type != "" && !slices.Contains(Types, p.Type) {
		pr.Add("document_type", valid.EnumMessage(false, Types))
	}
	if p.ExpiringBefore != nil {
		valid.Date(&pr, "expiring_before", *p.ExpiringBefore)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.Errorf(crm.CodeNotFound, "customer not found")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	rows, err := s.repo.ListDocuments(ctx, customerID, Filter{
		Type: p.Type, ActiveOnly: p.ActiveOnly, ExpiringBefore: p.ExpiringBefore, After: p.Cursor, Limit: limit + 1,
	})
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Document) string { return last.ID }), nil
}

// Replace overwrites the writable metadata of an active document with in.
// It is Update with an edit that sets the input to in, so the same rules
// hold. Errors: not_found, precondition_failed, conflict (deactivated),
// invalid.
func (s *Service) Replace(ctx context.Context, customerID, id string, in MetadataInput, ifVersion int64) (*Document, error) {
	return s.Update(ctx, customerID, id, ifVersion, func(cur *MetadataInput) error {
		*cur = in
		return nil
	})
}

// Update changes the metadata of an active document in one transaction:
// under the customer's lock it reads the document, checks ifVersion (0: no
// condition) against its version, calls edit with its writable metadata
// (MetadataOf), validates the result and writes it. edit may change the
// input in place or replace it wholesale; its error is returned as is and
// nothing is written. An edit that changes nothing writes nothing and
// returns the stored document. Errors: not_found (also under another
// customer), precondition_failed, conflict (deactivated), invalid, and
// edit's.
func (s *Service) Update(ctx context.Context, customerID, id string, ifVersion int64, edit func(*MetadataInput) error) (*Document, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("document")
	}
	var out *Document
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := lockDocument(ctx, r, customerID, id, ifVersion)
		if err != nil {
			return err
		}
		if !before.IsActive {
			return crm.Errorf(crm.CodeConflict, "the document is deactivated; upload a new one")
		}
		in := MetadataOf(before)
		if err := edit(&in); err != nil {
			return err
		}
		if in, err = normalizeMetadata(in); err != nil {
			return err
		}
		after := *before
		after.Name, after.Type, after.ExpirationDate = in.Name, in.Type, in.ExpirationDate
		after.RequiresSignature, after.SignatureStatus, after.Tags = in.RequiresSignature, in.SignatureStatus, in.Tags
		changes := diff(before, &after)
		if len(changes) == 0 {
			out = before
			return nil
		}
		now := s.clock()
		after.Version++
		after.UpdatedAt = now
		if err := r.UpdateDocument(ctx, &after); err != nil {
			return err
		}
		if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, customerID, "document", id, "update", changes, now)); err != nil {
			return err
		}
		out = &after
		return r.InsertEvent(ctx, newEvent(EventUpdated, &after, now))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Deactivate marks a document inactive: it leaves the default listing and
// its content is no longer served, while the metadata stays for the record.
// Deactivating an inactive document changes nothing. ifVersion, when
// non-zero, must equal the stored version. Errors: not_found,
// precondition_failed.
func (s *Service) Deactivate(ctx context.Context, customerID, id string, ifVersion int64) error {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return crm.NotFound("document")
	}
	return s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := lockDocument(ctx, r, customerID, id, ifVersion)
		if err != nil {
			return err
		}
		if !before.IsActive {
			return nil
		}
		now := s.clock()
		after := *before
		after.IsActive = false
		after.Version++
		after.UpdatedAt = now
		if err := r.UpdateDocument(ctx, &after); err != nil {
			return err
		}
		if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, customerID, "document", id, "deactivate", diff(before, &after), now)); err != nil {
			return err
		}
		return r.InsertEvent(ctx, newEvent(EventDeactivated, &after, now))
	})
}

// lockDocument locks the customer, so no write of its documents
// interleaves with this one or with its deletion, and reads its document
// id, checking ifVersion (0: no condition) against the document's version.
func lockDocument(ctx context.Context, r Repository, customerID, id string, ifVersion int64) (*Document, error) {
	if _, err := r.LockCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	d, err := r.GetDocument(ctx, customerID, id)
	if err != nil {
		return nil, err
	}
	if err := crm.CheckVersion("document", d.Version, ifVersion); err != nil {
		return nil, err
	}
	return d, nil
}
