package pgstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// The sweep gathers the Facts of a few thousand customers per call, a
// million per refresh, so CustomerFacts is one statement, one round trip:
//
//   - the ids go in as one array, unnested WITH ORDINALITY so the rows come
//     back in the caller's order; the join to customers drops the unknown
//     and the deleted ones;
//   - each table is read by a LATERAL subquery on the customer's id: an
//     index range scan led by customer_id and bounded by the window
//     (payments_paid_idx, index-only since migration 9; tickets_opened_idx,
//     customer_status_changes_at_idx, usage_days_day_idx) that computes all
//     the figures of that table in one pass. The payments are matched to
//     the invoices they name by a hash join on the customer's invoices,
//     read index-only (invoices_facts_idx, migration 12), which tells the
//     late payments and the money not yet applied to a settled invoice:
//     probing the named invoice per payment read ten times the buffers
//     (1,000 customers with 60 months of history).
//     The open invoices are summed from the same index; the three latest
//     records are LIMIT 1 walks of the newest-first indexes. These
//     nest per customer whatever the planner estimates, so the cached
//     generic plan (which assumes a short array) suits a batch of
//     thousands; aggregates grouped by customer_id over customer_id =
//     ANY($1) got hash joins and parallel workers and took longer;
//   - the services come last, one row each, joined to the figures
//     materialised first (computed once per customer, not per service):
//     plain columns, no JSON to build and parse.
//
// Times compare as stored (UTC, microseconds); "after the end of its due
// date" is at or after the next day's midnight UTC.
const (
	customerIDsSQL = `SELECT id FROM customers WHERE ($3 OR deleted_at IS NULL) AND id > $1 ORDER BY id LIMIT $2`
	// customerFactsSQL takes $1 the ids, $2 AsOf, $3 Day, $4 Since, $5
	// TicketsSince, $6 RecentFrom and $7 PriorFrom of analytics.FactsWindows.
	customerFactsSQL = factsSelectSQL + `
	FROM unnest($1::text[]) WITH ORDINALITY AS ids (id, n)` + factsFiguresSQL
	// oneCustomerFactsSQL is customerFactsSQL for one id, $1 a text: what
	// the balance rule and a never-profiled customer's details read. With
	// an array, Postgres' generic plan assumes several ids and costs more
	// than a plan for one, so it planned the statement afresh on every
	// call (1.5 ms of a 2.2 ms read); for a scalar both plans are the
	// same, and the cached one serves.
	oneCustomerFactsSQL = factsSelectSQL + `
	FROM (SELECT $1::text AS id, 1::bigint AS n) AS ids` + factsFiguresSQL

	// factsSelectSQL and factsFiguresSQL are the statements above but the
	// ids they read.
	factsSelectSQL = `WITH f AS MATERIALIZED (
	SELECT ids.n, c.id, c.status, pay.revenue, due.amount - pay.unapplied AS balance, paid.paid_at AS last_paid_at,
		coalesce(paid.amount, 0) AS last_paid_amount, coalesce(inv.delivery, '') AS delivery,
		coalesce(att.payment_method, '') AS payment_method, coalesce(att.autopay, false) AS autopay,
		pay.failed, pay.late, tix.n AS tickets, tix.recent, tix.open, susp.n AS suspensions,
		use.recent AS usage_recent, use.prior AS usage_prior, tix.rated, tix.rating_sum`
	factsFiguresSQL = `
	JOIN customers c ON c.id = ids.id
	CROSS JOIN LATERAL (SELECT
			coalesce(sum(CASE p.status WHEN 'succeeded' THEN p.amount WHEN 'refunded' THEN -p.amount END), 0)::bigint
				AS revenue,
			coalesce(sum(CASE p.status WHEN 'succeeded' THEN p.amount ELSE -p.amount END)
				FILTER (WHERE p.status IN ('succeeded', 'refunded') AND (i.status IS NULL OR i.status = 'open')), 0)::bigint
				AS unapplied,
			count(*) FILTER (WHERE p.status = 'failed' AND p.paid_at >= $4::timestamptz) AS failed,
			count(*) FILTER (WHERE p.status = 'succeeded' AND p.paid_at >= $4::timestamptz
				AND p.paid_at >= (i.due_date + 1)::timestamp AT TIME ZONE 'UTC') AS late
		FROM payments p LEFT JOIN invoices i ON i.customer_id = c.id AND i.invoice_id = p.invoice_id
		WHERE p.customer_id = c.id AND p.paid_at <= $2::timestamptz) AS pay
	CROSS JOIN LATERAL (SELECT coalesce(sum(i.amount), 0)::bigint AS amount FROM invoices i
		WHERE i.customer_id = c.id AND i.issued_at <= $3::date AND i.status = 'open') AS due
	CROSS JOIN LATERAL (SELECT count(*) AS n,
			count(*) FILTER (WHERE t.opened_at >= $5::timestamptz) AS recent,
			count(*) FILTER (WHERE CASE WHEN t.resolved_at IS NULL THEN t.status IN ('open', 'pending')
				ELSE t.resolved_at > $2::timestamptz END) AS open,
			count(t.satisfaction) FILTER (WHERE t.opened_at >= $4::timestamptz) AS rated,
			coalesce(sum(t.satisfaction) FILTER (WHERE t.opened_at >= $4::timestamptz), 0) AS rating_sum
		FROM tickets t WHERE t.customer_id = c.id AND t.opened_at <= $2::timestamptz) AS tix
	CROSS JOIN LATERAL (SELECT count(*) AS n FROM customer_status_changes h
		WHERE h.customer_id = c.id AND h.at >= $4::timestamptz AND h.at <= $2::timestamptz
			AND h.to_status = 'suspended') AS susp
	CROSS JOIN LATERAL (SELECT
			coalesce(sum(u.download_bytes + u.upload_bytes) FILTER (WHERE u.day >= $6::date), 0)::bigint AS recent,
			coalesce(sum(u.download_bytes + u.upload_bytes) FILTER (WHERE u.day < $6::date), 0)::bigint AS prior
		FROM usage_days u WHERE u.customer_id = c.id AND u.day >= $7::date AND u.day <= $3::date) AS use
	LEFT JOIN LATERAL (SELECT i.delivery FROM invoices i WHERE i.customer_id = c.id AND i.issued_at <= $3::date
		ORDER BY i.issued_at DESC, i.invoice_id DESC LIMIT 1) AS inv ON true
	LEFT JOIN LATERAL (SELECT p.payment_method, p.autopay FROM payments p
		WHERE p.customer_id = c.id AND p.paid_at <= $2::timestamptz AND p.status <> 'refunded'
		ORDER BY p.paid_at DESC, p.transaction_id DESC LIMIT 1) AS att ON true
	LEFT JOIN LATERAL (SELECT p.paid_at, p.amount FROM payments p
		WHERE p.customer_id = c.id AND p.paid_at <= $2::timestamptz AND p.status = 'succeeded'
		ORDER BY p.paid_at DESC, p.transaction_id DESC LIMIT 1) AS paid ON true
)
SELECT f.n, f.id, f.status, f.revenue, f.balance, f.last_paid_at, f.last_paid_amount, f.delivery,
	f.payment_method, f.autopay, f.failed, f.late, f.tickets, f.recent, f.open, f.suspensions, f.usage_recent,
	f.usage_prior, f.rated, f.rating_sum,
	s.id, s.service_type, s.technology, s.status, s.monthly_price, s.contract_term, s.start_date, s.end_date
FROM f LEFT JOIN services s ON s.customer_id = f.id AND s.start_date <= $3::date
ORDER BY f.n, s.id`
)

// CustomerIDs returns the ids of up to limit (all when limit <= 0)
// non-deleted customers, by id, strictly after afterID.
func (s *Store) CustomerIDs(ctx context.Context, afterID string, limit int, closed bool) ([]string, error) {
	return s.queryStrings(ctx, "customer ids", customerIDsSQL, afterID, limitArg(limit), closed)
}

// CustomerFacts gathers the analytics.Facts of the customers among ids,
// deleted ones included, as of asOf, in the order of ids, in one
// statement.
func (s *Store) CustomerFacts(ctx context.Context, ids []string, asOf time.Time) ([]analytics.Facts, error) {
	out := []analytics.Facts{}
	if len(ids) == 0 {
		return out, nil
	}
	w := analytics.WindowsOf(asOf)
	query, args := customerFactsSQL, []any{ids, w.AsOf, w.Day.Time(), w.Since, w.TicketsSince, w.RecentFrom.Time(), w.PriorFrom.Time()}
	if len(ids) == 1 {
		query, args[0] = oneCustomerFactsSQL, ids[0]
	}
	last := int64(-1)
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var r factsRow
		if err := rows.Scan(r.dest()...); err != nil {
			return err
		}
		if r.N != last { // the first row of the next customer
			out = append(out, r.facts())
			last = r.N
		}
		if r.ServiceID.Valid {
			f := &out[len(out)-1]
			f.Services = append(f.Services, r.service())
		}
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "customer facts")
	}
	return out, nil
}

// factsRow is one row of customerFactsSQL: a customer's figures and one of
// its services (none when ServiceID is NULL).
type factsRow struct {
	N                       int64
	CustomerID, Status      string
	Revenue, Balance        int64
	LastPaidAt              sql.NullTime
	LastPaidAmount          int64
	Delivery, Method        string
	Autopay                 bool
	Failed, Late, Tickets   int64
	Recent, Open, Susp      int64
	UsageRecent, UsagePrior int64
	Rated, RatingSum        int64

	ServiceID, ServiceType, Technology, ServiceStatus sql.NullString
	MonthlyPrice                                      sql.NullInt64
	ContractTerm                                      sql.NullString
	StartDate, EndDate                                sql.NullTime
}

func (r *factsRow) dest() []any {
	return []any{&r.N, &r.CustomerID, &r.Status, &r.Revenue, &r.Balance, &r.LastPaidAt, &r.LastPaidAmount,
		&r.Delivery, &r.Method, &r.Autopay, &r.Failed, &r.Late, &r.Tickets, &r.Recent, &r.Open, &r.Susp, &r.UsageRecent, &r.UsagePrior, &r.Rated, &r.RatingSum,
		&r.ServiceID, &r.ServiceType, &r.Technology, &r.ServiceStatus, &r.MonthlyPrice, &r.ContractTerm,
		&r.StartDate, &r.EndDate}
}

// facts returns the customer's figures, without services yet.
func (r *factsRow) facts() analytics.Facts {
	return analytics.Facts{CustomerID: r.CustomerID, Status: customer.Status(r.Status),
		Services: []analytics.ServiceFact{}, HistoricalRevenue: crm.Money(r.Revenue), Balance: crm.Money(r.Balance),
		LastPaidAt: timePtr(r.LastPaidAt), LastPaidAmount: crm.Money(r.LastPaidAmount),
		LatestDelivery: analytics.Delivery(r.Delivery), LatestMethod: analytics.PaymentMethod(r.Method),
		LatestAutopay: r.Autopay, FailedPayments: int(r.Failed), LatePayments: int(r.Late), Tickets: int(r.Tickets),
		RecentTickets: int(r.Recent), OpenTickets: int(r.Open), Suspensions: int(r.Susp),
		UsageRecent: r.UsageRecent, UsagePrior: r.UsagePrior, Rated: int(r.Rated), RatingSum: int(r.RatingSum)}
}

// service returns the row's service.
func (r *factsRow) service() analytics.ServiceFact {
	return analytics.ServiceFact{ID: r.ServiceID.String, Type: customer.ServiceType(r.ServiceType.String),
		Technology: customer.Technology(r.Technology.String), Status: customer.SubscriptionStatus(r.ServiceStatus.String),
		MonthlyPrice: crm.Money(r.MonthlyPrice.Int64), ContractTerm: customer.ContractTerm(r.ContractTerm.String),
		StartDate: dateOf(r.StartDate.Time), EndDate: datePtr(r.EndDate)}
}
