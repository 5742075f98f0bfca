package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// CreateDocument inserts a copy of d. not_found when the customer never
// existed (a foreign key in Postgres); conflict when the id exists.
func (s *Store) CreateDocument(ctx context.Context, d *document.Document) error {
	v := cloneDocument(d)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.customers[v.CustomerID]; !ok {
			return crm.NotFound("customer")
		}
		if _, ok := db.documents.byID[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "document %s already exists", v.ID)
		}
		db.documents.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// GetDocument returns a copy of a document of the customer, active or not;
// not_found when it does not exist or belongs to another customer.
func (s *Store) GetDocument(ctx context.Context, customerID, id string) (*document.Document, error) {
	var out *document.Document
	err := s.read(ctx, func(db *database) error {
		v, ok := db.documents.byID[id]
		if !ok || v.CustomerID != customerID {
			return crm.NotFound("document")
		}
		out = cloneDocument(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateDocument stores a copy of d over the row of d.CustomerID whose
// version is d.Version-1: not_found when the customer has no such document,
// precondition_failed on another version.
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	v := cloneDocument(d)
	return s.write(ctx, func(db *database, tx *txn) error {
		old, ok := db.documents.byID[v.ID]
		if !ok || old.CustomerID != v.CustomerID {
			return crm.NotFound("document")
		}
		if old.Version != v.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "document %s is at version %d, not %d", v.ID, old.Version, v.Version-1)
		}
		db.documents.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// ListDocuments returns up to f.Limit documents of the customer matching f,
// ordered by id, strictly after f.After.
func (s *Store) ListDocuments(ctx context.Context, customerID string, f document.Filter) ([]document.Document, error) {
	var rows []*document.Document
	err := s.read(ctx, func(db *database) error {
		for _, v := range db.documents.of(customerID) {
			if v.ID > f.After && matchDocument(v, &f) {
				rows = append(rows, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sortedDocuments(rows, f.Limit), nil
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
	return sortedDocuments(rows, limit), nil
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

// sortedDocuments orders stored documents by id and copies out up to limit
// (all when limit <= 0).
func sortedDocuments(rows []*document.Document, limit int) []document.Document {
	slices.SortFunc(rows, func(a, b *document.Document) int { return cmp.Compare(a.ID, b.ID) })
	return values(rows[:limitOf(limit, len(rows))], cloneDocument)
}
