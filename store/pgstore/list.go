package pgstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// sortExprs is the SQL expression behind each sort field; each has a
// partial (expression, id) index, so keyset pages are index range scans.
// name_key and account_number are "C"-collated: bytewise, like Go.
var sortExprs = map[customer.SortField]string{
	customer.SortName:          "name_key",
	customer.SortCreatedAt:     "created_at",
	customer.SortCreditScore:   "coalesce(credit_score, 0)",
	customer.SortAccountNumber: "account_number",
}

// ListCustomers returns up to f.Limit (all when f.Limit <= 0) non-deleted
// customers matching f, in f.Sort order (created_at when unset) with ties
// broken by id, strictly after f.After. invalid for an unknown sort field or
// a cursor key that customer.SortKey cannot have produced for it.
func (s *Store) ListCustomers(ctx context.Context, f customer.Filter) ([]customer.Customer, error) {
	field := f.Sort.Field
	if field == "" {
		field = customer.SortCreatedAt
	}
	expr, ok := sortExprs[field]
	if !ok {
		return nil, &crm.Error{Code: crm.CodeInvalid, Message: "cannot sort customers by " + strconv.Quote(string(field)),
			Fields: []crm.FieldError{{Field: "sort", Message: "is not a sort field"}}}
	}
	var w where
	w.filter(f)
	dir, cmp := "ASC", ">"
	if f.Sort.Desc {
		dir, cmp = "DESC", "<"
	}
	if f.After != nil {
		key, err := cursorKey(field, f.After.Key)
		if err != nil {
			return nil, err
		}
		// A row comparison matches the (expression, id) index directly.
		w.add("("+expr+", id) "+cmp+" ($?, $?)", key, f.After.ID)
	}
	query := "SELECT " + customerColumns + " FROM customers WHERE " + w.sql() +
		" ORDER BY " + expr + " " + dir + ", id " + dir
	if f.Limit > 0 {
		query += " LIMIT " + w.arg(f.Limit)
	}

	out, err := s.scanCustomers(ctx, query, f.Limit, customPlan(w.args))
	if err != nil {
		return nil, s.mapErr(err, "list customers")
	}
	return out, nil
}

// preallocated caps the room scanCustomers makes before reading: a large
// limit is no promise of as many rows.
const preallocated = 10_000

// scanCustomers is listRecords for a list of up to limit customers (any
// number when limit <= 0), as an export reads them by the million: one
// row is scanned into for every row, and each customer is decoded in
// place into a slice that holds limit (up to preallocated) from the start.
func (s *Store) scanCustomers(ctx context.Context, query string, limit int, args []any) ([]customer.Customer, error) {
	out := make([]customer.Customer, 0, min(max(limit, 0), preallocated))
	var r customerRow
	dest := r.dest()
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		r = customerRow{} // no slice of a former row is scanned into
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		out = append(out, customer.Customer{})
		return r.decodeTo(&out[len(out)-1])
	})
	return out, err
}

// CountCustomers counts the non-deleted customers matching f, ignoring
// f.After, f.Limit and f.Sort.
func (s *Store) CountCustomers(ctx context.Context, f customer.Filter) (int, error) {
	var w where
	w.filter(f)
	var n int
	if err := s.queryRow(ctx, "SELECT count(*) FROM customers WHERE "+w.sql(), customPlan(w.args), []any{&n}); err != nil {
		return 0, s.mapErr(err, "count customers")
	}
	return n, nil
}

// customPlan makes pgx run a list query as an unnamed statement, planned
// for its actual values each time, still in one round trip. A cached
// prepared statement switches to a generic plan after five runs, and for
// lists the right plan depends on the values: measured on 1M customers, a
// generic plan took a credit-score range from 0.55 ms to 665 ms and a city
// filter from 2.5 ms to 212 ms. Reads by id keep the cached statements.
func customPlan(args []any) []any {
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// cursorKey parses a Cursor.Key (see customer.SortKey) into the value the
// sort expression is compared with.
func cursorKey(field customer.SortField, key string) (any, error) {
	bad := &crm.Error{Code: crm.CodeInvalid, Message: "the cursor does not fit the sort order",
		Fields: []crm.FieldError{{Field: "cursor", Message: "is not a cursor returned by this API"}}}
	switch field {
	case customer.SortCreatedAt:
		t, err := time.Parse(time.RFC3339Nano, key)
		if err != nil {
			return nil, bad
		}
		return ts(t), nil
	case customer.SortCreditScore:
		n, err := strconv.Atoi(key)
		if err != nil {
			return nil, bad
		}
		return n, nil
	default:
		return key, nil
	}
}

// where builds a WHERE clause with numbered placeholders. The SQL text
// depends only on which filters are set, never on their values, so each
// shape is prepared once per connection and its plan reused.
type where struct {
	conds []string
	args  []any
}

// arg appends v and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// add appends a condition; each "$?" in cond takes the next of vs.
func (w *where) add(cond string, vs ...any) {
	for _, v := range vs {
		cond = strings.Replace(cond, "$?", w.arg(v), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }

// filter keeps the non-deleted customers that meet the conditions of f.
func (w *where) filter(f customer.Filter) {
	w.add("deleted_at IS NULL")
	w.conditions(f)
}

// conditions adds the conditions of f other than its cursor. They mirror
// memstore's: equality for status, type, postal code, preferred contact and
// external id (a probe of its unique index); case-insensitive city and
// state (through the lower-cased key columns); substring search over
// search_text; strict bounds on created_at (times truncated to
// microseconds first); inclusive bounds on the credit score, which exclude
// customers without one, as NULL does.
func (w *where) conditions(f customer.Filter) {
	if f.Status != "" {
		w.add("status = $?", string(f.Status))
	}
	if f.Type != "" {
		w.add("customer_type = $?", string(f.Type))
	}
	if q := customer.NormalizeQuery(f.Query); q != "" {
		w.add("search_text LIKE '%' || $? || '%'", escapeLike(q))
	}
	if f.CreatedAfter != nil {
		w.add("created_at > $?", ts(*f.CreatedAfter))
	}
	if f.CreatedBefore != nil {
		w.add("created_at < $?", ts(*f.CreatedBefore))
	}
	if f.City != "" {
		w.add("billing_city_key = $?", strings.ToLower(f.City))
	}
	if f.State != "" {
		w.add("billing_state_key = $?", strings.ToLower(f.State))
	}
	if f.PostalCode != "" {
		w.add("billing_postal_code = $?", f.PostalCode)
	}
	if f.MinCreditScore != nil {
		w.add("credit_score >= $?", *f.MinCreditScore)
	}
	if f.MaxCreditScore != nil {
		w.add("credit_score <= $?", *f.MaxCreditScore)
	}
	if f.PreferredContact != "" {
		w.add("preferred_contact = $?", string(f.PreferredContact))
	}
	if f.ExternalID != "" {
		w.add("external_id = $?", f.ExternalID)
	}
}

// escapeLike escapes LIKE's wildcards and its escape character, so the
// pattern matches q literally, as strings.Contains does.
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}
