package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
)

// messageKey is a job's message to one customer, of which there is at
// most one.
type messageKey struct{ jobID, customerID string }

// InsertMessages stores copies of ms in order and returns how many it
// added: a message whose job already has one for its customer, stored or
// earlier in ms, is left out. It adds nothing and fails as pgstore's one
// statement does: not_found when a job of ms is absent, conflict when the
// id of a message it would add is taken, not_found when the customer of
// one is absent. No messages is nothing to write.
func (s *Store) InsertMessages(ctx context.Context, ms []bulk.Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	var added []*bulk.Message
	err := s.write(ctx, func(db *database, tx *txn) error {
		for i := range ms {
			if _, ok := db.jobs[ms[i].JobID]; !ok {
				return crm.NotFound("job")
			}
		}
		keys, ids := map[messageKey]bool{}, map[string]bool{}
		for i := range ms {
			m := &ms[i]
			k := messageKey{m.JobID, m.CustomerID}
			if _, ok := db.messageOf[k]; ok || keys[k] {
				continue
			}
			if _, ok := db.messageJobs[m.ID]; ok || ids[m.ID] {
				return crm.Errorf(crm.CodeConflict, "message %s already exists", m.ID)
			}
			keys[k], ids[m.ID] = true, true
			added = append(added, m)
		}
		// Postgres checks the foreign keys once the rows are in.
		for _, m := range added {
			if _, ok := db.customers[m.CustomerID]; !ok {
				return crm.NotFound("customer")
			}
		}
		for _, m := range added {
			of := db.messages[m.JobID]
			if of == nil {
				of = map[string]*bulk.Message{}
				set(tx, db.messages, m.JobID, of)
			}
			set(tx, of, m.ID, cloneMessage(m))
			set(tx, db.messageJobs, m.ID, m.JobID)
			set(tx, db.messageOf, messageKey{m.JobID, m.CustomerID}, m.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(added), nil
}

// GetMessage returns a copy of the message of the job; not_found when
// absent or of another job.
func (s *Store) GetMessage(ctx context.Context, jobID, id string) (*bulk.Message, error) {
	var out *bulk.Message
	err := s.read(ctx, func(db *database) error {
		m, ok := db.messages[jobID][id]
		if !ok {
			return crm.NotFound("message")
		}
		out = cloneMessage(m)
		return nil
	})
	return out, err
}

// UpdateMessage stores a copy of m over the message of m.JobID and m.ID at
// m.Version-1: not_found when absent (or of another job),
// precondition_failed when at another version. A new CustomerID must be a
// customer without a message of the job (conflict otherwise).
func (s *Store) UpdateMessage(ctx context.Context, m *bulk.Message) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		of := db.messages[m.JobID]
		cur, ok := of[m.ID]
		if !ok {
			return crm.NotFound("message")
		}
		// Not crm.CheckVersion, for which version 0 is no condition.
		if cur.Version != m.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "message %s is at version %d, not %d", m.ID, cur.Version, m.Version-1)
		}
		if m.CustomerID != cur.CustomerID {
			k := messageKey{m.JobID, m.CustomerID}
			if _, ok := db.messageOf[k]; ok {
				return crm.Errorf(crm.CodeConflict, "job %s already has a message to customer %s", m.JobID, m.CustomerID)
			}
			if _, ok := db.customers[m.CustomerID]; !ok {
				return crm.NotFound("customer")
			}
			del(tx, db.messageOf, messageKey{m.JobID, cur.CustomerID})
			set(tx, db.messageOf, k, m.ID)
		}
		set(tx, of, m.ID, cloneMessage(m))
		return nil
	})
}

// ListMessages returns copies of up to limit (all when limit <= 0)
// messages of the job by id, strictly after afterID, of status when it is
// not "".
func (s *Store) ListMessages(ctx context.Context, jobID, afterID string, status bulk.MessageStatus, limit int) ([]bulk.Message, error) {
	var out []bulk.Message
	err := s.read(ctx, func(db *database) error {
		var rows []*bulk.Message
		for id, m := range db.messages[jobID] {
			if id > afterID && (status == "" || m.Status == status) {
				rows = append(rows, m)
			}
		}
		slices.SortFunc(rows, func(a, b *bulk.Message) int { return strings.Compare(a.ID, b.ID) })
		out = values(rows[:limitOf(limit, len(rows))], cloneMessage)
		return nil
	})
	return out, err
}

// CountMessages counts the job's messages by status; a status without
// messages is absent.
func (s *Store) CountMessages(ctx context.Context, jobID string) (map[bulk.MessageStatus]int, error) {
	out := map[bulk.MessageStatus]int{}
	err := s.read(ctx, func(db *database) error {
		for _, m := range db.messages[jobID] {
			out[m.Status]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DueMessages returns copies of up to limit (all when limit <= 0) messages
// whose DueAt is at or before now, by due time then id. Transactions run
// one at a time, so no row can be held by another one.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]bulk.Message, error) {
	now = normTime(now)
	var out []bulk.Message
	err := s.read(ctx, func(db *database) error {
		var due []*bulk.Message
		for _, of := range db.messages {
			for _, m := range of {
				if m.DueAt != nil && !m.DueAt.After(now) {
					due = append(due, m)
				}
			}
		}
		slices.SortFunc(due, func(a, b *bulk.Message) int {
			return cmp.Or(a.DueAt.Compare(*b.DueAt), strings.Compare(a.ID, b.ID))
		})
		out = values(due[:limitOf(limit, len(due))], cloneMessage)
		return nil
	})
	return out, err
}

// RedactMessages replaces the non-empty To, Subject and Body of the
// customer's messages with crm.Redacted, each redacted message at a new
// version (so a sender holding an older copy cannot write the text back).
// Stored values are replaced, never modified.
func (s *Store) RedactMessages(ctx context.Context, customerID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		for _, of := range db.messages {
			for id, m := range of {
				if m.CustomerID != customerID {
					continue
				}
				r := cloneMessage(m)
				changed := false
				for _, f := range []*string{&r.To, &r.Subject, &r.Body} {
					if *f != "" && *f != crm.Redacted {
						*f, changed = crm.Redacted, true
					}
				}
				if !changed {
					continue
				}
				r.Version++
				set(tx, of, id, r)
			}
		}
		return nil
	})
}

// cloneMessage copies m as pgstore keeps it: every time as Postgres does.
func cloneMessage(m *bulk.Message) *bulk.Message {
	c := *m
	c.SentAt, c.DueAt = cloneTime(m.SentAt), cloneTime(m.DueAt)
	c.CreatedAt, c.UpdatedAt = normTime(m.CreatedAt), normTime(m.UpdatedAt)
	return &c
}
