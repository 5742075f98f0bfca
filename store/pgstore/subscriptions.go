package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Services are keyed by (customer_id, id): every query names the customer,
// so each stays on one shard once the schema is distributed by customer_id.

const (
	// The casts are needed because INSERT … SELECT cannot infer parameter
	// types from the target columns. WHERE EXISTS and ON CONFLICT DO
	// NOTHING turn a missing customer or a duplicate id into "0 rows"
	// rather than an error that would abort the caller's transaction; the
	// foreign key stays as the backstop.
	insertSubscriptionSQL = `INSERT INTO services (` + subscriptionColumns + `)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint, $7::text,
			$8::date, $9::date, $10::integer, $11::integer, $12::jsonb,
			$13::boolean, $14::bigint, $15::timestamptz, $16::timestamptz
		WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::text)
		ON CONFLICT DO NOTHING`
	customerExistsSQL     = `SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1)`
	getSubscriptionSQL    = `SELECT ` + subscriptionColumns + ` FROM services WHERE customer_id = $1 AND id = $2`
	updateSubscriptionSQL = `UPDATE services SET
		plan_name = $3, technology = $4, status = $5, monthly_price = $6, contract_term = $7,
		start_date = $8, end_date = $9, bandwidth_down_mbps = $10, bandwidth_up_mbps = $11,
		service_address = $12, suspended_with_customer = $13, version = $14::bigint,
		created_at = $15, updated_at = $16
	WHERE id = $1 AND customer_id = $2 AND version = $14::bigint - 1`
	subscriptionVersionSQL = `SELECT version FROM services WHERE customer_id = $1 AND id = $2`
	listSubscriptionsSQL   = `SELECT ` + subscriptionColumns + ` FROM services
		WHERE customer_id = $1 AND id > $2 ORDER BY id`
	subscriptionTotalsSQL = `SELECT count(*), coalesce(sum(monthly_price), 0)::bigint FROM services
		WHERE customer_id = $1 AND status = 'active'`
	suspendSubscriptionsSQL = `UPDATE services
		SET status = 'suspended', suspended_with_customer = true, version = version + 1, updated_at = $2
		WHERE customer_id = $1 AND status = 'active'`
	restoreSubscriptionsSQL = `UPDATE services
		SET status = 'active', suspended_with_customer = false, version = version + 1, updated_at = $2
		WHERE customer_id = $1 AND status = 'suspended' AND suspended_with_customer`
	// cancelSubscriptionsSQL cancels and erases in one statement, so it is
	// atomic outside a transaction too. The locking CTE reads each row's
	// status before the update (RETURNING only sees the new one); a
	// cancelled service is never restored, so its mark is cleared.
	cancelSubscriptionsSQL = `WITH old AS (
		SELECT id, status <> 'cancelled' AS cancels FROM services
		WHERE customer_id = $1 AND (status <> 'cancelled' OR service_address IS NOT NULL)
		FOR UPDATE
	), changed AS (
		UPDATE services s SET
			status = 'cancelled',
			end_date = CASE WHEN old.cancels THEN coalesce(s.end_date, $2) ELSE s.end_date END,
			suspended_with_customer = s.suspended_with_customer AND NOT old.cancels,
			service_address = NULL, version = s.version + 1, updated_at = $3
		FROM old WHERE s.customer_id = $1 AND s.id = old.id
		RETURNING old.cancels
	)
	SELECT count(*) FILTER (WHERE cancels) FROM changed`
)

// CreateSubscription inserts sub. not_found when the customer never existed
// (a deleted customer still exists); conflict when the customer already has
// a service with that id.
func (s *Store) CreateSubscription(ctx context.Context, sub *customer.Subscription) error {
	r, err := subscriptionToRow(sub)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, insertSubscriptionSQL, r.values()...)
	if err != nil {
		return s.mapErr(err, "create service")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var exists bool
	if err := h.q.QueryRowContext(ctx, customerExistsSQL, sub.CustomerID).Scan(&exists); err != nil {
		return s.mapErr(err, "create service")
	}
	if !exists {
		return crm.NotFound("customer")
	}
	return conflictError(nil, "service "+sub.ID)
}

// GetSubscription returns a service of the customer; not_found when it does
// not exist or belongs to another customer.
func (s *Store) GetSubscription(ctx context.Context, customerID, id string) (*customer.Subscription, error) {
	h := s.use(ctx)
	defer h.release()
	var r subscriptionRow
	if err := h.q.QueryRowContext(ctx, getSubscriptionSQL, customerID, id).Scan(r.dest()...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, crm.NotFound("service")
		}
		return nil, s.mapErr(err, "get service")
	}
	return r.subscription()
}

// UpdateSubscription stores sub over the row whose version is
// sub.Version-1; not_found when the customer has no such service,
// precondition_failed when the stored version differs.
func (s *Store) UpdateSubscription(ctx context.Context, sub *customer.Subscription) error {
	r, err := subscriptionToRow(sub)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, updateSubscriptionSQL, r.values()...)
	if err != nil {
		return s.mapErr(err, "update service")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var version int64
	err = h.q.QueryRowContext(ctx, subscriptionVersionSQL, sub.CustomerID, sub.ID).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound("service")
	case err != nil:
		return s.mapErr(err, "update service")
	}
	return stale("service", sub.ID, version, sub.Version-1)
}

// ListSubscriptions returns up to limit (all when limit <= 0) services of
// the customer ordered by id, strictly after afterID ("" for the first page).
func (s *Store) ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]customer.Subscription, error) {
	query, args := listSubscriptionsSQL, []any{customerID, afterID}
	if limit > 0 {
		query, args = query+" LIMIT $3", append(args, limit)
	}
	h := s.use(ctx)
	defer h.release()
	rows, err := h.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.mapErr(err, "list services")
	}
	defer rows.Close()
	out := []customer.Subscription{}
	for rows.Next() {
		var r subscriptionRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, s.mapErr(err, "list services")
		}
		sub, err := r.subscription()
		if err != nil {
			return nil, err
		}
		out = append(out, *sub)
	}
	if err := rows.Err(); err != nil {
		return nil, s.mapErr(err, "list services")
	}
	return out, nil
}

// SubscriptionTotals counts the customer's active services and sums their
// monthly prices; zero for a customer without any.
func (s *Store) SubscriptionTotals(ctx context.Context, customerID string) (customer.SubscriptionTotals, error) {
	h := s.use(ctx)
	defer h.release()
	var n, sum int64
	if err := h.q.QueryRowContext(ctx, subscriptionTotalsSQL, customerID).Scan(&n, &sum); err != nil {
		return customer.SubscriptionTotals{}, s.mapErr(err, "service totals")
	}
	return customer.SubscriptionTotals{Active: int(n), MonthlyRecurring: crm.Money(sum)}, nil
}

// SuspendSubscriptions suspends every active service of the customer, marks
// it SuspendedWithCustomer and bumps its version; it returns how many.
func (s *Store) SuspendSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error) {
	h := s.use(ctx)
	defer h.release()
	return s.execCount(ctx, h, "suspend services", suspendSubscriptionsSQL, customerID, ts(at))
}

// RestoreSubscriptions reactivates the services suspended with the customer
// (services suspended on their own stay suspended), clears the mark and
// bumps their versions; it returns how many.
func (s *Store) RestoreSubscriptions(ctx context.Context, customerID string, at time.Time) (int, error) {
	h := s.use(ctx)
	defer h.release()
	return s.execCount(ctx, h, "restore services", restoreSubscriptionsSQL, customerID, ts(at))
}

// CancelSubscriptions cancels every service of the customer not cancelled
// yet (EndDate = end when unset, SuspendedWithCustomer cleared) and erases
// the service address of all of them. It returns how many it cancelled; an
// already cancelled service whose address is erased gets a new version and
// UpdatedAt too but is not counted.
func (s *Store) CancelSubscriptions(ctx context.Context, customerID string, end crm.Date, at time.Time) (int, error) {
	h := s.use(ctx)
	defer h.release()
	var n int
	if err := h.q.QueryRowContext(ctx, cancelSubscriptionsSQL, customerID, end.Time(), ts(at)).Scan(&n); err != nil {
		return 0, s.mapErr(err, "cancel services")
	}
	return n, nil
}

// execCount runs a statement on h and returns how many rows it affected.
func (s *Store) execCount(ctx context.Context, h handle, op, query string, args ...any) (int, error) {
	res, err := h.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.mapErr(err, op)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.mapErr(err, op)
	}
	return int(n), nil
}
