package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The customer queries are the hot paths: plain SQL with $n placeholders, so
// pgx prepares each once per connection; reads go through queryRow and
// query (db.go), natively on pgx outside a transaction.
//
// Uniqueness (as in memstore): email, phone and external id among
// non-deleted customers, account numbers among all customers, since they
// stay with a closed account for the books; empty values are never unique
// (email, phone and external id are stored as NULL, empty account numbers
// are left out of the index). The unique
// indexes enforce it; the statements below check it first, so that an
// ordinary conflict neither aborts the caller's transaction nor hides the
// second clashing field behind the first.

const (
	getCustomerSQL  = `SELECT ` + customerColumns + ` FROM customers WHERE id = $1 AND deleted_at IS NULL`
	lockCustomerSQL = getCustomerSQL + ` FOR UPDATE`

	// The lookups of the importer, each a probe of the partial unique
	// index of its column (email and external id are NULL when empty, so
	// "" finds nothing).
	customerByExternalIDSQL = `SELECT ` + customerColumns + ` FROM customers WHERE external_id = $1 AND deleted_at IS NULL`
	customerByEmailSQL      = `SELECT ` + customerColumns + ` FROM customers WHERE email = $1 AND deleted_at IS NULL`

	// customerDetailsSQL reads a customer, its first services and the
	// Insight of its profile in one round trip: one row per service, or a
	// single row whose service columns are the defaults of
	// detailSubscriptionColumns (told apart by an empty service id) when it
	// has none; the insight ('' when none is stored) rides on every row and
	// is decoded once. The lateral subquery picks the first services by
	// id; their order is restored in Go, since an outer ORDER BY adds a
	// sort that cost Postgres 12 % of this statement's throughput (pgbench
	// on 1M customers). The insight is a primary-key probe of
	// customer_analytics.
	customerDetailsSQL = `SELECT c.*, coalesce(a.insight::text, ''), ` + detailSubscriptionColumns + `
		FROM (SELECT ` + customerColumns + ` FROM customers WHERE id = $1 AND deleted_at IS NULL) c
		LEFT JOIN customer_analytics a ON a.customer_id = $1
		LEFT JOIN LATERAL (SELECT ` + subscriptionColumns + ` FROM services
			WHERE customer_id = $1 ORDER BY id LIMIT $2) s ON true`
	// detailSubscriptionColumns are subscriptionColumns of the LEFT JOIN
	// above, defaulted so that a customer without services scans too.
	detailSubscriptionColumns = `coalesce(s.id, ''), coalesce(s.customer_id, ''), coalesce(s.plan_name, ''),
		coalesce(s.technology, ''), coalesce(s.status, ''), coalesce(s.monthly_price, 0),
		coalesce(s.contract_term, ''), coalesce(s.start_date, '1970-01-01'), s.end_date,
		coalesce(s.bandwidth_down_mbps, 0), coalesce(s.bandwidth_up_mbps, 0), s.service_address,
		coalesce(s.suspended_with_customer, false), coalesce(s.version, 0),
		coalesce(s.created_at, 'epoch'), coalesce(s.updated_at, 'epoch'), coalesce(s.service_type, '')`

	// ON CONFLICT DO NOTHING without a target covers every unique index:
	// a duplicate becomes "0 rows" instead of an error, and
	// conflictingFields then says which.
	insertCustomerSQL = `INSERT INTO customers (` + customerWriteColumns + `) VALUES (
		$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40,
		$41, $42, $43)
		ON CONFLICT DO NOTHING`

	// The NOT EXISTS guards make a clash "0 rows" too. A row committed
	// concurrently, after the statement's snapshot was taken, still hits
	// the unique index; mapErr names that field.
	updateCustomerSQL = `UPDATE customers SET
		account_number = $2, name = $3, email = $4, phone = $5, customer_type = $6, status = $7,
		billing_street = $8, billing_unit = $9, billing_city = $10, billing_state = $11,
		billing_postal_code = $12, billing_country = $13, billing_latitude = $14, billing_longitude = $15,
		service_address = $16, tax_id_ciphertext = $17, tax_id_blind_index = $18, tax_id_last4 = $19,
		company = $20, industry = $21, credit_score = $22, preferred_contact = $23,
		marketing_emails = $24, service_notifications = $25, billing_reminders = $26, outage_alerts = $27,
		emergency_contact = $28, notes = $29, suspension_reason = $30, suspension_notes = $31,
		suspended_since = $32, suspended_until = $33, version = $34::bigint,
		created_at = $35, updated_at = $36, deleted_at = $37::timestamptz,
		external_id = $38, customer_since = $39,
		name_key = $40, billing_city_key = $41, billing_state_key = $42, search_text = $43
	WHERE id = $1 AND deleted_at IS NULL AND version = $34::bigint - 1
	  AND NOT EXISTS (SELECT 1 FROM customers o
		WHERE o.account_number = $2 AND o.account_number <> '' AND o.id <> $1)
	  AND ($37::timestamptz IS NOT NULL OR NOT EXISTS (SELECT 1 FROM customers o
		WHERE o.deleted_at IS NULL AND (o.email = $4 OR o.phone = $5 OR o.external_id = $38) AND o.id <> $1))`

	// conflictsSQL returns whether id $1 exists, then whether another
	// customer holds the account number $2, the email $3, the phone $4 or
	// the external id $6 (the last three only counted for a live row, $5).
	conflictsSQL = `SELECT
		EXISTS (SELECT 1 FROM customers WHERE id = $1),
		EXISTS (SELECT 1 FROM customers WHERE account_number = $2 AND account_number <> '' AND id <> $1),
		$5 AND EXISTS (SELECT 1 FROM customers WHERE email = $3 AND deleted_at IS NULL AND id <> $1),
		$5 AND EXISTS (SELECT 1 FROM customers WHERE phone = $4 AND deleted_at IS NULL AND id <> $1),
		$5 AND EXISTS (SELECT 1 FROM customers WHERE external_id = $6 AND deleted_at IS NULL AND id <> $1)`

	customerStateSQL = `SELECT version, deleted_at IS NOT NULL FROM customers WHERE id = $1`
)

// maxConflictRetries bounds the retries when a write reported a clash that
// had vanished by the time it was explained (the other row changed in
// between): rare, but it must not loop.
const maxConflictRetries = 3

// CreateCustomer inserts c. Conflict without fields when the id exists;
// conflict naming each of "email", "phone", "external_id" and
// "account_number" that another customer holds (see the uniqueness rules
// above).
func (s *Store) CreateCustomer(ctx context.Context, c *customer.Customer) error {
	err := s.writeCustomer(ctx, c, "create customer", insertCustomerSQL, func(h handle, r *customerRow) error {
		idTaken, fields, err := s.conflicts(ctx, h, r)
		switch {
		case err != nil:
			return err
		case idTaken:
			return conflictError(nil, "customer "+c.ID)
		case len(fields) > 0:
			return conflictError(nil, "", fields...)
		}
		return nil
	})
	if err == errClashVanished {
		return conflictError(nil, "customer "+c.ID)
	}
	return err
}

// GetCustomer returns the customer; not_found when absent or deleted.
func (s *Store) GetCustomer(ctx context.Context, id string) (*customer.Customer, error) {
	return s.getCustomer(ctx, getCustomerSQL, id)
}

// GetCustomerByExternalID returns the non-deleted customer with that
// external id; not_found when none has it.
func (s *Store) GetCustomerByExternalID(ctx context.Context, externalID string) (*customer.Customer, error) {
	return s.getCustomer(ctx, customerByExternalIDSQL, externalID)
}

// GetCustomerByEmail returns the non-deleted customer with that email;
// not_found when none has it.
func (s *Store) GetCustomerByEmail(ctx context.Context, email string) (*customer.Customer, error) {
	return s.getCustomer(ctx, customerByEmailSQL, email)
}

// GetCustomerDetails returns the customer, up to limit (all when limit
// <= 0) of its services ordered by id and its stored Insight (nil when
// none), in one statement.
func (s *Store) GetCustomerDetails(ctx context.Context, id string, limit int) (*customer.Customer, []customer.Subscription, *customer.Insight, error) {
	var (
		c       *customer.Customer
		insight *customer.Insight
		subs    = []customer.Subscription{}
	)
	err := s.query(ctx, customerDetailsSQL, []any{id, limitArg(limit)}, func(rows rowScanner) error {
		var cr customerRow
		var text string
		var sr subscriptionRow
		if err := rows.Scan(append(append(cr.dest(), &text), sr.dest()...)...); err != nil {
			return err
		}
		if c == nil {
			var err error
			if c, err = cr.decode(); err != nil {
				return err
			}
			if insight, err = decodeInsight(c.ID, text); err != nil {
				return err
			}
		}
		if sr.ID == "" {
			return nil
		}
		sub, err := sr.decode()
		if err != nil {
			return err
		}
		subs = append(subs, *sub)
		return nil
	})
	if err != nil {
		return nil, nil, nil, s.mapErr(err, "get customer")
	}
	if c == nil {
		return nil, nil, nil, crm.NotFound("customer")
	}
	slices.SortFunc(subs, func(a, b customer.Subscription) int { return strings.Compare(a.ID, b.ID) })
	return c, subs, insight, nil
}

// LockCustomer is GetCustomer with SELECT … FOR UPDATE: inside RunInTx the
// row stays locked until the transaction ends.
func (s *Store) LockCustomer(ctx context.Context, id string) (*customer.Customer, error) {
	return s.getCustomer(ctx, lockCustomerSQL, id)
}

func (s *Store) getCustomer(ctx context.Context, query, id string) (*customer.Customer, error) {
	return getRecord[customer.Customer, customerRow](ctx, s, "customer", query, id)
}

// UpdateCustomer stores c over the row whose version is c.Version-1.
// not_found when the row is absent or deleted, precondition_failed when its
// version differs, conflict as in CreateCustomer (a row being closed only
// keeps its account number unique).
func (s *Store) UpdateCustomer(ctx context.Context, c *customer.Customer) error {
	err := s.writeCustomer(ctx, c, "update customer", updateCustomerSQL, func(h handle, r *customerRow) error {
		var version int64
		var deleted bool
		err := h.q.QueryRowContext(ctx, customerStateSQL, c.ID).Scan(&version, &deleted)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && deleted):
			return crm.NotFound("customer")
		case err != nil:
			return s.mapErr(err, "update customer")
		case version != c.Version-1:
			return stale("customer", c.ID, version, c.Version-1)
		}
		_, fields, err := s.conflicts(ctx, h, r)
		if err == nil && len(fields) > 0 {
			err = conflictError(nil, "", fields...)
		}
		return err
	})
	if err == errClashVanished {
		return conflictError(nil, "", "account_number")
	}
	return err
}

// errClashVanished is what writeCustomer returns when every try wrote
// nothing and explain found no reason each time.
var errClashVanished = errors.New("pgstore: the clash vanished before it could be explained")

// writeCustomer writes c with query (insertCustomerSQL or
// updateCustomerSQL), which writes its row or, on a clash, nothing. When
// it wrote nothing, explain says why on the same handle; nil means the
// clash vanished in between (the other row changed), and the write is tried
// again, up to maxConflictRetries times.
func (s *Store) writeCustomer(ctx context.Context, c *customer.Customer, op, query string, explain func(h handle, r *customerRow) error) error {
	r, err := customerToRow(c)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	args := r.args(c)
	for range maxConflictRetries {
		n, err := s.execCount(ctx, h, op, query, args...)
		if err != nil || n == 1 {
			return err
		}
		if err := explain(h, r); err != nil {
			return err
		}
	}
	return errClashVanished
}

// conflicts reports whether r's id exists and which of its unique fields
// another customer holds, in the order email, phone, external_id,
// account_number.
func (s *Store) conflicts(ctx context.Context, h handle, r *customerRow) (idTaken bool, fields []string, err error) {
	var account, email, phone, external bool
	err = h.q.QueryRowContext(ctx, conflictsSQL, r.ID, r.AccountNumber, r.Email, r.Phone, !r.DeletedAt.Valid, r.ExternalID).
		Scan(&idTaken, &account, &email, &phone, &external)
	if err != nil {
		return false, nil, s.mapErr(err, "find conflicts")
	}
	for _, f := range []struct {
		name string
		hit  bool
	}{{"email", email}, {"phone", phone}, {"external_id", external}, {"account_number", account}} {
		if f.hit {
			fields = append(fields, f.name)
		}
	}
	return idTaken, fields, nil
}

// dueReactivationsSQL selects the customers DueReactivations returns.
const dueReactivationsSQL = `SELECT id FROM customers
	WHERE status = 'suspended' AND deleted_at IS NULL AND suspended_until <= $1
	ORDER BY suspended_until, id LIMIT $2
	FOR UPDATE SKIP LOCKED`

// DueReactivations returns the ids of up to limit (all when limit <= 0)
// suspended, non-deleted customers whose suspension ends at or before now,
// by end time then id. The rows are selected FOR UPDATE SKIP LOCKED: inside
// RunInTx they stay locked and rows another transaction holds are skipped,
// so two servers never reactivate the same customer.
func (s *Store) DueReactivations(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.queryStrings(ctx, "due reactivations", dueReactivationsSQL, ts(now), limitArg(limit))
}
