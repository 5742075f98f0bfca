package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// The customer lists that read analytics join customers with
// customer_analytics (alias a). When a customer without a profile cannot
// meet the conditions (analytics.NoProfile fails one), the join is inner
// and conditions and orders read the profile columns as they are, so the
// ranking indexes of customer_analytics serve high-value and at-risk.
// Otherwise it is a left join, and a missing profile reads as NoProfile's
// values. The statements run as the customer list's do: numbered
// placeholders, planned for their values (customPlan).

// profileSelect reads a listed customer's profile in profiledRow's order,
// NoProfile's values for a customer without one.
const profileSelect = `coalesce(a.mrr, 0), coalesce(a.historical_revenue, 0), coalesce(a.tenure_months, 0),
	coalesce(a.churn_probability, 0), coalesce(a.churn_score, 0), coalesce(a.churn_level, 'low'),
	coalesce(a.predicted_ltv, 0), coalesce(a.technology, ''), coalesce(a.contract_term, ''),
	coalesce(array_to_string(a.service_types, ','), ''), coalesce(a.autopay, false),
	coalesce(a.has_open_tickets, false), coalesce(a.model_version, ''), a.computed_at`

// profileZero is NoProfile's value of each profile column a condition or
// an order reads.
var profileZero = map[string]string{
	"mrr": "0", "predicted_ltv": "0", "churn_score": "0", "churn_level": "'low'", "tenure_months": "0",
	"technology": "''", "contract_term": "''", "service_types": "'{}'", "autopay": "false", "has_open_tickets": "false",
}

// profiledQuery is the FROM and WHERE of a read of customers with their
// profiles.
type profiledQuery struct {
	w where
	// inner: a customer without a profile meets no query of this shape.
	inner bool
	// filtered: some condition reads the profile.
	filtered bool
}

// newProfiledQuery keeps the non-deleted customers that meet every
// element of conds.
func newProfiledQuery(conds []analytics.Conditions) *profiledQuery {
	q := &profiledQuery{}
	none := analytics.NoProfile("")
	for i := range conds {
		q.inner = q.inner || !conds[i].Profile.Matches(&none)
		q.filtered = q.filtered || !conds[i].Profile.IsZero()
	}
	q.w.add("deleted_at IS NULL")
	for i := range conds {
		q.w.conditions(conds[i].Customer)
		q.profile(&conds[i].Profile)
	}
	return q
}

// col is the expression of profile column name.
func (q *profiledQuery) col(name string) string {
	if q.inner {
		return "a." + name
	}
	return "coalesce(a." + name + ", " + profileZero[name] + ")"
}

// idCol is the customer id the rankings order by: the profile's in an
// inner join, so that the (value, customer_id) indexes match.
func (q *profiledQuery) idCol() string {
	if q.inner {
		return "a.customer_id"
	}
	return "customers.id"
}

// from joins the profiles when withProfile or a condition reads them.
func (q *profiledQuery) from(withProfile bool) string {
	switch {
	case q.inner:
		return "customers JOIN customer_analytics a ON a.customer_id = customers.id"
	case withProfile || q.filtered:
		return "customers LEFT JOIN customer_analytics a ON a.customer_id = customers.id"
	}
	return "customers"
}

// profile adds the conditions of f, as ProfileFilter.Matches reads them.
func (q *profiledQuery) profile(f *analytics.ProfileFilter) {
	w := &q.w
	for _, b := range []struct {
		col, op string
		v       *crm.Money
	}{{"mrr", ">=", f.MinMRR}, {"mrr", "<=", f.MaxMRR}, {"predicted_ltv", ">=", f.MinLTV}} {
		if b.v != nil {
			w.add(q.col(b.col)+" "+b.op+" $?", int64(*b.v))
		}
	}
	for _, b := range []struct {
		col, op string
		v       *int
	}{
		{"churn_score", ">=", f.MinChurnScore}, {"churn_score", "<=", f.MaxChurnScore},
		{"tenure_months", ">=", f.MinTenureMonths}, {"tenure_months", "<=", f.MaxTenureMonths},
	} {
		if b.v != nil {
			w.add(q.col(b.col)+" "+b.op+" $?", *b.v)
		}
	}
	for _, e := range []struct{ col, v string }{
		{"churn_level", string(f.ChurnLevel)}, {"technology", string(f.Technology)}, {"contract_term", string(f.ContractTerm)},
	} {
		if e.v != "" {
			w.add(q.col(e.col)+" = $?", e.v)
		}
	}
	if f.ServiceType != "" {
		w.add("$? = ANY("+q.col("service_types")+")", string(f.ServiceType))
	}
	if f.Autopay != nil {
		w.add(q.col("autopay")+" = $?", *f.Autopay)
	}
	if f.HasOpenTickets != nil {
		w.add(q.col("has_open_tickets")+" = $?", *f.HasOpenTickets)
	}
}

// order adds the position of pq to the conditions and returns the ORDER
// BY clause of its ranking. invalid as ListCustomers for the sort and its
// cursor.
func (q *profiledQuery) order(pq *analytics.ProfileQuery) (string, error) {
	switch pq.Ranking {
	case analytics.BySort:
		field := pq.Sort.Field
		if field == "" {
			field = customer.SortCreatedAt
		}
		expr, ok := sortExprs[field]
		if !ok {
			return "", &crm.Error{Code: crm.CodeInvalid, Message: "cannot sort customers by " + string(field),
				Fields: []crm.FieldError{{Field: "sort", Message: "is not a sort field"}}}
		}
		dir, cmp := "ASC", ">"
		if pq.Sort.Desc {
			dir, cmp = "DESC", "<"
		}
		if pq.After != nil {
			key, err := cursorKey(field, pq.After.Key)
			if err != nil {
				return "", err
			}
			q.w.add("("+expr+", customers.id) "+cmp+" ($?, $?)", key, pq.After.ID)
		}
		return expr + " " + dir + ", customers.id " + dir, nil
	case analytics.ByLTV, analytics.ByChurnScore:
		v, id := q.col(string(pq.Ranking)), q.idCol()
		if k := pq.RankAfter; k != nil {
			q.w.add("("+v+", "+id+") < ($?, $?)", k.Value, k.ID)
		}
		return v + " DESC, " + id + " DESC", nil
	}
	return "", crm.Errorf(crm.CodeInvalid, "unknown ranking %q", pq.Ranking)
}

// ListProfiled returns up to q.Limit (all when q.Limit <= 0) non-deleted
// customers that meet every element of q.Where, each with its profile
// (analytics.NoProfile when none was saved), in q's order, strictly after
// its position. invalid for an unknown sort field or a cursor key that
// does not fit it.
func (s *Store) ListProfiled(ctx context.Context, pq analytics.ProfileQuery) ([]analytics.Profiled, error) {
	q := newProfiledQuery(pq.Where)
	orderBy, err := q.order(&pq)
	if err != nil {
		return nil, err
	}
	query := "SELECT " + customerColumns + ", " + profileSelect + " FROM " + q.from(true) +
		" WHERE " + q.w.sql() + " ORDER BY " + orderBy
	if pq.Limit > 0 {
		query += " LIMIT " + q.w.arg(pq.Limit)
	}
	return listRecords[analytics.Profiled, profiledRow](ctx, s, "list customers with analytics", query, customPlan(q.w.args)...)
}

// CountProfiled counts the customers ListProfiled returns for where.
func (s *Store) CountProfiled(ctx context.Context, where []analytics.Conditions) (int, error) {
	q := newProfiledQuery(where)
	var n int
	if err := s.queryRow(ctx, "SELECT count(*) FROM "+q.from(false)+" WHERE "+q.w.sql(), customPlan(q.w.args), []any{&n}); err != nil {
		return 0, s.mapErr(err, "count customers with analytics")
	}
	return n, nil
}

// LTVAtRank returns the predicted lifetime value of the customer at rank
// (1 for the first) in the ByLTV order of the customers that meet where;
// false when fewer meet them.
func (s *Store) LTVAtRank(ctx context.Context, where []analytics.Conditions, rank int) (crm.Money, bool, error) {
	if rank < 1 {
		return 0, false, nil
	}
	q := newProfiledQuery(where)
	orderBy, err := q.order(&analytics.ProfileQuery{Ranking: analytics.ByLTV})
	if err != nil {
		return 0, false, err
	}
	query := "SELECT " + q.col("predicted_ltv") + " FROM " + q.from(true) + " WHERE " + q.w.sql() +
		" ORDER BY " + orderBy + " OFFSET " + q.w.arg(rank-1) + " LIMIT 1"
	var v int64
	err = s.queryRow(ctx, query, customPlan(q.w.args), []any{&v})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, s.mapErr(err, "rank customers by lifetime value")
	}
	return crm.Money(v), true, nil
}

// profiledRow is a customer row followed by profileSelect.
type profiledRow struct {
	customerRow
	MRR, Revenue         int64
	Tenure               int
	Probability          float64
	Score                int
	Level                string
	LTV                  int64
	Technology, Term     string
	ServiceTypes         string // comma-separated
	Autopay, OpenTickets bool
	ModelVersion         string
	ComputedAt           sql.NullTime
}

// dest returns scan destinations in the order of the selected columns.
func (r *profiledRow) dest() []any {
	return append(r.customerRow.dest(), &r.MRR, &r.Revenue, &r.Tenure, &r.Probability, &r.Score, &r.Level,
		&r.LTV, &r.Technology, &r.Term, &r.ServiceTypes, &r.Autopay, &r.OpenTickets, &r.ModelVersion, &r.ComputedAt)
}

// decode converts a scanned row.
func (r *profiledRow) decode() (*analytics.Profiled, error) {
	c, err := r.customerRow.decode()
	if err != nil {
		return nil, err
	}
	p := analytics.Profile{
		CustomerID: c.ID, MRR: crm.Money(r.MRR), HistoricalRevenue: crm.Money(r.Revenue), TenureMonths: r.Tenure,
		ChurnProbability: r.Probability, ChurnScore: r.Score, ChurnLevel: analytics.ChurnLevel(r.Level),
		PredictedLTV: crm.Money(r.LTV), Technology: customer.Technology(r.Technology),
		ContractTerm: customer.ContractTerm(r.Term), ServiceTypes: []customer.ServiceType{},
		Autopay: r.Autopay, HasOpenTickets: r.OpenTickets, ModelVersion: r.ModelVersion,
	}
	if r.ServiceTypes != "" {
		for _, t := range strings.Split(r.ServiceTypes, ",") {
			p.ServiceTypes = append(p.ServiceTypes, customer.ServiceType(t))
		}
	}
	if r.ComputedAt.Valid {
		p.ComputedAt = r.ComputedAt.Time.UTC()
	}
	return &analytics.Profiled{Customer: *c, Profile: p}, nil
}
