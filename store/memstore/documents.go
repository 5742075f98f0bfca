package memstore

import (
	"context"

	"github.com/ispstack/crm/document"
)

// documentRows describes documents to their children table. A document
// may be created for a deleted customer, as Postgres' foreign key allows.
var documentRows = rows[document.Document]{name: "document", clone: cloneDocument, parent: existingParent,
	key: func(v *document.Document) (string, string, int64) { return v.ID, v.CustomerID, v.Version }}

// CreateDocument inserts a copy of d. not_found when the customer never
// existed (a foreign key in Postgres); conflict when the id exists.
func (s *Store) CreateDocument(ctx context.Context, d *document.Document) error {
	return s.db.documents.create(ctx, s, d)
}

// GetDocument returns a copy of a document of the customer, active or not;
// not_found when it does not exist or belongs to another customer.
func (s *Store) GetDocument(ctx context.Context, customerID, id string) (*document.Document, error) {
	return s.db.documents.get(ctx, s, customerID, id)
}

// UpdateDocument stores a copy of d over the row of d.CustomerID whose
// version is d.Version-1: not_found when the customer has no such document,
// precondition_failed on another version.
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	return s.db.documents.update(ctx, s, d)
}

// ListDocuments returns up to f.Limit documents of the customer matching f,
// ordered by id, strictly after f.After.
func (s *Store) ListDocuments(ctx context.Context, customerID string, f document.Filter) ([]document.Document, error) {
	return s.db.documents.list(ctx, s, customerID, f.After, f.Limit, func(d *document.Document) bool { return matchDocument(d, &f) })
}

// matchDocument reports whether d passes the filter f (ignoring its page).
func matchDocument(d *document.Document, f *document.Filter) bool {
	switch {
	case f.Type != "" && d.Type != f.Type,
		f.ActiveOnly && !d.IsActive,
		f.ExpiringBefore != nil && (d.ExpirationDate == nil || !d.ExpirationDate.Before(*f.ExpiringBefore)):
		return false
	}
	return true
}

// PendingScans returns up to limit documents of any customer that await a
// scan, ordered by id, strictly after afterID.
func (s *Store) PendingScans(ctx context.Context, afterID string, limit int) ([]document.Document, error) {
	var rows []*document.Document
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.documents.byID {
			if v.ScanStatus == document.ScanPending && v.ID > afterID {
				rows = append(rows, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.db.documents.sorted(rows, limit), nil
}

// ExistingObjectKeys returns those of keys that a document row names.
func (s *Store) ExistingObjectKeys(ctx context.Context, keys []string) ([]string, error) {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	out := []string{}
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.documents.byID {
			if want[v.ObjectKey] {
				out = append(out, v.ObjectKey)
				delete(want, v.ObjectKey)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
