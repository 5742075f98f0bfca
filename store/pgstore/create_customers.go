package pgstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// createChunk is how many customers one INSERT of CreateCustomers' slow
// path writes: 1,000 customers of 43 columns stay below Postgres' 65,535
// parameters.
const createChunk = 1000

// CreateCustomers writes the creations with one COPY of the customers,
// then one COPY each of their status changes, audit entries and events.
// When a customer clashes with a stored one, the unique violation stops
// the COPY, which is undone to a savepoint, and the customers are
// inserted a chunk at a time instead (INSERT … ON CONFLICT DO NOTHING
// RETURNING id, so a clash leaves its row out without aborting the
// transaction); a customer left out is tried again alone by
// CreateCustomer, which names the clashing fields (or inserts it, if the
// clash vanished meanwhile).
func (s *Store) CreateCustomers(ctx context.Context, cs []customer.Creation) ([]error, error) {
	errs := make([]error, len(cs))
	// The rows are kept as the COPY builds them, for the slow path.
	rows := make([][]any, len(cs))
	row := func(i int) ([]any, error) {
		if rows[i] == nil {
			r, err := customerToRow(cs[i].Customer)
			if err != nil {
				return nil, err
			}
			rows[i] = r.args(cs[i].Customer)
		}
		return rows[i], nil
	}
	copied, err := s.copyUnlessConflict(ctx, "create customers", "customers", customerWriteColumns, len(cs), row)
	if err != nil {
		return nil, err
	}
	if copied {
		return errs, s.insertCreated(ctx, cs)
	}
	var done []customer.Creation
	for start := 0; start < len(cs); start += createChunk {
		end := min(start+createChunk, len(cs))
		for i := start; i < end; i++ {
			if _, err := row(i); err != nil {
				return nil, err
			}
		}
		inserted, err := s.insertCustomers(ctx, rows[start:end])
		if err != nil {
			return nil, err
		}
		for i := start; i < end; i++ {
			if !inserted[cs[i].Customer.ID] {
				if err := s.CreateCustomer(ctx, cs[i].Customer); err != nil {
					errs[i] = err
					continue
				}
			}
			done = append(done, cs[i])
		}
	}
	for _, err := range errs {
		if err != nil && crm.ErrorCode(err) != crm.CodeConflict {
			return nil, err
		}
	}
	return errs, s.insertCreated(ctx, done)
}

// insertCustomers inserts rows, the customerWriteColumns of customers, in
// one statement and returns the ids it inserted.
func (s *Store) insertCustomers(ctx context.Context, rows [][]any) (map[string]bool, error) {
	args := make([]any, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		args = append(args, r...)
	}
	query := `INSERT INTO customers (` + customerWriteColumns + `) VALUES ` +
		valuesList(len(rows), len(rows[0])) + ` ON CONFLICT DO NOTHING RETURNING id`
	inserted := make(map[string]bool, len(rows))
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
// the creations, one COPY each.
func (s *Store) insertCreated(ctx context.Context, cs []customer.Creation) error {
	for _, w := range []struct {
		op, table, columns string
		row                func(c *customer.Creation) ([]any, error)
	}{
		{"insert status changes", "customer_status_changes", statusChangeColumns, func(c *customer.Creation) ([]any, error) {
			return statusChangeToRow(c.Status).values(), nil
		}},
		{"insert audit entries", "audit_entries", auditColumns, func(c *customer.Creation) ([]any, error) {
			return auditValues(c.Audit)
		}},
		{"insert events", "outbox_events", eventColumns, func(c *customer.Creation) ([]any, error) {
			return eventValues(c.Event), nil
		}},
	} {
		err := s.copyRows(ctx, w.op, w.table, w.columns, len(cs), func(i int) ([]any, error) { return w.row(&cs[i]) })
		if err != nil {
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
