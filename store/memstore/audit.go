package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// InsertAudit appends a copy of e. Conflict when the id exists.
func (s *Store) InsertAudit(ctx context.Context, e *crm.AuditEntry) error {
	v := cloneAudit(e)
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.audit.byID[v.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "audit entry %s already exists", v.ID)
		}
		db.audit.put(tx, v.CustomerID, v.ID, v)
		return nil
	})
}

// ListAudit returns up to limit audit entries of the customer, newest first
// (by At, then id, both descending), strictly after the customer's entry
// beforeID in that order; none when the customer has no such entry. Entries
// outlive their customer.
func (s *Store) ListAudit(ctx context.Context, customerID, beforeID string, limit int) ([]crm.AuditEntry, error) {
	var rows []*crm.AuditEntry
	err := s.read(ctx, func(db *database) error {
		rows = db.audit.of(customerID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	newestFirst := func(a, b *crm.AuditEntry) int { return cmp.Or(b.At.Compare(a.At), strings.Compare(b.ID, a.ID)) }
	slices.SortFunc(rows, newestFirst)
	if beforeID != "" {
		i := slices.IndexFunc(rows, func(e *crm.AuditEntry) bool { return e.ID == beforeID })
		if i < 0 {
			return []crm.AuditEntry{}, nil
		}
		rows = rows[i+1:]
	}
	return values(rows[:limitOf(limit, len(rows))], cloneAudit), nil
}
