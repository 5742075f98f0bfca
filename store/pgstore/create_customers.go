package pgstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// createChunk is how many creations one round of CreateCustomers writes:
// 1,000 customers of 43 columns stay below Postgres' 65,535 parameters.
const createChunk = 1000

// CreateCustomers writes the creations a chunk at a time, four statements
// per chunk: one multi-row INSERT of the customers (ON CONFLICT DO
// NOTHING RETURNING id, so a clash leaves its row out without aborting
// the transaction), then one each of the status changes, audit entries
// and events of the customers inserted. A customer left out is tried
// again alone by CreateCustomer, which names the clashing fields (or
// inserts it, if the clash vanished meanwhile).
func (s *Store) CreateCustomers(ctx context.Context, cs []customer.Creation) ([]error, error) {
	errs := make([]error, len(cs))
	for start := 0; start < len(cs); start += createChunk {
		chunk := cs[start:min(start+createChunk, len(cs))]
		inserted, err := s.insertCustomers(ctx, chunk)
		if err != nil {
			return nil, err
		}
		var done []customer.Creation
		for i, c := range chunk {
			if !inserted[c.Customer.ID] {
				if err := s.CreateCustomer(ctx, c.Customer); err != nil {
					errs[start+i] = err
					continue
				}
			}
			done = append(done, c)
		}
		if err := s.insertCreated(ctx, done); err != nil {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil && crm.ErrorCode(err) != crm.CodeConflict {
			return nil, err
		}
	}
	return errs, nil
}

// insertCustomers inserts the chunk's customers in one statement and
// returns the ids it inserted.
func (s *Store) insertCustomers(ctx context.Context, chunk []customer.Creation) (map[string]bool, error) {
	var args []any
	for _, c := range chunk {
		r, err := customerToRow(c.Customer)
		if err != nil {
			return nil, err
		}
		args = append(args, r.args(c.Customer)...)
	}
	query := `INSERT INTO customers (` + customerWriteColumns + `) VALUES ` +
		valuesList(len(chunk), len(args)/len(chunk)) + ` ON CONFLICT DO NOTHING RETURNING id`
	inserted := make(map[string]bool, len(chunk))
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		inserted[id] = true
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "create customers")
	}
	return inserted, nil
}

// insertCreated writes the status changes, audit entries and events of
// the creations, one statement each.
func (s *Store) insertCreated(ctx context.Context, cs []customer.Creation) error {
	if len(cs) == 0 {
		return nil
	}
	var history, audit, events []any
	for _, c := range cs {
		history = append(history, statusChangeToRow(c.Status).values()...)
		changes, err := encodeChanges(c.Audit.Changes)
		if err != nil {
			return err
		}
		a := c.Audit
		audit = append(audit, a.CustomerID, a.ID, a.Entity, a.EntityID, a.Action, a.ActorID, a.RequestID, changes, ts(a.At))
		e := c.Event
		var payload []byte
		if e.Payload != nil {
			payload = []byte(e.Payload)
		}
		events = append(events, e.ID, e.CustomerID, e.Type, payload, ts(e.OccurredAt))
	}
	for _, w := range []struct {
		op, into string
		args     []any
	}{
		{"insert status changes", `customer_status_changes (` + statusChangeColumns + `)`, history},
		{"insert audit entries", `audit_entries (` + auditColumns + `)`, audit},
		{"insert events", `outbox_events (` + eventColumns + `)`, events},
	} {
		query := `INSERT INTO ` + w.into + ` VALUES ` + valuesList(len(cs), len(w.args)/len(cs))
		if err := s.exec(ctx, w.op, query, w.args...); err != nil {
			return err
		}
	}
	return nil
}

// valuesList is the VALUES list of rows rows of cols placeholders each:
// ($1, $2), ($3, $4), ….
func valuesList(rows, cols int) string {
	var b strings.Builder
	n := 1
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}
