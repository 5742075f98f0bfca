package pgstore

import (
	"context"
	"database/sql"
	"fmt"
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
			$13::boolean, $14::bigint, $15::timestamptz, $16::timestamptz, $17::text
		WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::text)
		ON CONFLICT DO NOTHING`
	getSubscriptionSQL    = `SELECT ` + subscriptionColumns + ` FROM services WHERE customer_id = $1 AND id = $2`
	updateSubscriptionSQL = `UPDATE services SET
		plan_name = $3, technology = $4, status = $5, monthly_price = $6, contract_term = $7,
		start_date = $8, end_date = $9, bandwidth_down_mbps = $10, bandwidth_up_mbps = $11,
		service_address = $12, suspended_with_customer = $13, version = $14::bigint,
		created_at = $15, updated_at = $16, service_type = $17
	WHERE id = $1 AND customer_id = $2 AND version = $14::bigint - 1`
	listSubscriptionsSQL = `SELECT ` + subscriptionColumns + ` FROM services
		WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3`
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
	return subscriptions.create(ctx, s, sub)
}

// GetSubscription returns a service of the customer; not_found when it does
// not exist or belongs to another customer.
func (s *Store) GetSubscription(ctx context.Context, customerID, id string) (*customer.Subscription, error) {
	return getRecord[customer.Subscription, subscriptionRow](ctx, s, "service", getSubscriptionSQL, customerID, id)
}

// UpdateSubscription stores sub over the row whose version is
// sub.Version-1; not_found when the customer has no such service,
// precondition_failed when the stored version differs.
func (s *Store) UpdateSubscription(ctx context.Context, sub *customer.Subscription) error {
	return subscriptions.update(ctx, s, sub)
}

// ListSubscriptions returns up to limit (all when limit <= 0) services of
// the customer ordered by id, strictly after afterID ("" for the first page).
func (s *Store) ListSubscriptions(ctx context.Context, customerID, afterID string, limit int) ([]customer.Subscription, error) {
	return listRecords[customer.Subscription, subscriptionRow](ctx, s, "list services", listSubscriptionsSQL,
		customerID, afterID, limitArg(limit))
}

// SubscriptionTotals counts the customer's active services and sums their
// monthly prices; zero for a customer without any.
func (s *Store) SubscriptionTotals(ctx context.Context, customerID string) (customer.SubscriptionTotals, error) {
	var n, sum int64
	if err := s.queryRow(ctx, subscriptionTotalsSQL, []any{customerID}, []any{&n, &sum}); err != nil {
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

// subscriptions is the services table, for the methods of child.go.
var subscriptions = childTable[customer.Subscription, *subscriptionRow]{
	what: "service", table: "services",
	insertSQL: insertSubscriptionSQL, updateSQL: updateSubscriptionSQL,
	row: subscriptionToRow,
	key: func(sub *customer.Subscription) (string, string, int64) { return sub.CustomerID, sub.ID, sub.Version },
}

// subscriptionColumns are the columns of a service, in the order of
// subscriptionRow.dest and subscriptionRow.values.
const subscriptionColumns = `id, customer_id, plan_name, technology, status, monthly_price, contract_term,
	start_date, end_date, bandwidth_down_mbps, bandwidth_up_mbps, service_address,
	suspended_with_customer, version, created_at, updated_at, service_type`

// subscriptionRow is one row of the services table.
type subscriptionRow struct {
	ID, CustomerID, PlanName, Technology, Status string
	MonthlyPrice                                 int64
	ContractTerm                                 string
	StartDate                                    time.Time
	EndDate                                      sql.NullTime
	Down, Up                                     int64
	ServiceAddress                               []byte
	SuspendedWithCustomer                        bool
	Version                                      int64
	CreatedAt, UpdatedAt                         time.Time
	ServiceType                                  string
}

// dest returns scan destinations in subscriptionColumns order.
func (r *subscriptionRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.PlanName, &r.Technology, &r.Status, &r.MonthlyPrice, &r.ContractTerm,
		&r.StartDate, &r.EndDate, &r.Down, &r.Up, &r.ServiceAddress,
		&r.SuspendedWithCustomer, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.ServiceType}
}

// values returns query arguments in subscriptionColumns order.
func (r *subscriptionRow) values() []any {
	return []any{r.ID, r.CustomerID, r.PlanName, r.Technology, r.Status, r.MonthlyPrice, r.ContractTerm,
		r.StartDate, r.EndDate, r.Down, r.Up, r.ServiceAddress,
		r.SuspendedWithCustomer, r.Version, r.CreatedAt, r.UpdatedAt, r.ServiceType}
}

// subscriptionToRow converts s for writing.
func subscriptionToRow(s *customer.Subscription) (*subscriptionRow, error) {
	r := &subscriptionRow{
		ID: s.ID, CustomerID: s.CustomerID, PlanName: s.PlanName, ServiceType: string(s.ServiceType),
		Technology: string(s.Technology), Status: string(s.Status),
		MonthlyPrice: int64(s.MonthlyPrice), ContractTerm: string(s.ContractTerm),
		StartDate: s.StartDate.Time(), EndDate: nullDate(s.EndDate),
		Down: int64(s.BandwidthDownMbps), Up: int64(s.BandwidthUpMbps),
		SuspendedWithCustomer: s.SuspendedWithCustomer,
		Version:               s.Version,
		CreatedAt:             ts(s.CreatedAt),
		UpdatedAt:             ts(s.UpdatedAt),
	}
	var err error
	if r.ServiceAddress, err = jsonOf(s.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: encode service address: %w", err)
	}
	return r, nil
}

// decode converts a scanned row.
func (r *subscriptionRow) decode() (*customer.Subscription, error) {
	s := &customer.Subscription{
		ID: r.ID, CustomerID: r.CustomerID, PlanName: r.PlanName, ServiceType: customer.ServiceType(r.ServiceType),
		Technology: customer.Technology(r.Technology), Status: customer.SubscriptionStatus(r.Status),
		MonthlyPrice: crm.Money(r.MonthlyPrice), ContractTerm: customer.ContractTerm(r.ContractTerm),
		StartDate: dateOf(r.StartDate), EndDate: datePtr(r.EndDate),
		BandwidthDownMbps: int(r.Down), BandwidthUpMbps: int(r.Up),
		SuspendedWithCustomer: r.SuspendedWithCustomer,
		Version:               r.Version,
		CreatedAt:             r.CreatedAt.UTC(),
		UpdatedAt:             r.UpdatedAt.UTC(),
	}
	var err error
	if s.ServiceAddress, err = jsonTo[customer.Address](r.ServiceAddress); err != nil {
		return nil, fmt.Errorf("pgstore: decode service address of service %s: %w", r.ID, err)
	}
	return s, nil
}
