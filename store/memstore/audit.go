package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// auditRows describes audit entries to their children table. Entries are
// written once, checked against no customer, and outlive their customer.
var auditRows = rows[crm.AuditEntry]{name: "audit entry", clone: cloneAudit,
	key: func(v *crm.AuditEntry) (string, string, int64) { return v.ID, v.CustomerID, 0 }}

// InsertAudit appends a copy of e. Conflict when the id exists.
func (s *Store) InsertAudit(ctx context.Context, e *crm.AuditEntry) error {
	return s.db.audit.create(ctx, s, e)
}

// ListAudit returns up to limit audit entries of the customer, newest first
// (by At, then id, both descending), strictly after the customer's entry
// beforeID in that order; none when the customer has no such entry. Entries
// outlive their customer.
func (s *Store) ListAudit(ctx context.Context, customerID, beforeID string, limit int) ([]crm.AuditEntry, error) {
	rows, err := s.db.audit.stored(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b *crm.AuditEntry) int { return cmp.Or(b.At.Compare(a.At), strings.Compare(b.ID, a.ID)) })
	if beforeID != "" {
		i := slices.IndexFunc(rows, func(e *crm.AuditEntry) bool { return e.ID == beforeID })
		if i < 0 {
			return []crm.AuditEntry{}, nil
		}
		rows = rows[i+1:]
	}
	return values(rows[:limitOf(limit, len(rows))], cloneAudit), nil
}
