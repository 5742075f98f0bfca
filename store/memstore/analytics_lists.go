package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// profiled is a stored customer with its stored profile, or NoProfile
// (shared, never modified).
type profiled struct {
	c *customer.Customer
	p *analytics.Profile
}

// ListProfiled returns up to q.Limit (all when q.Limit <= 0) non-deleted
// customers that meet every element of q.Where, each with a copy of its
// profile (NoProfile when none was saved), in q's order, strictly after its
// position. invalid for an unknown sort field or a cursor key that does not
// fit it.
func (s *Store) ListProfiled(ctx context.Context, q analytics.ProfileQuery) ([]analytics.Profiled, error) {
	var compare func(a, b *profiled) int
	var after func(r *profiled) bool
	switch q.Ranking {
	case analytics.BySort:
		o, err := orderOf(q.Sort)
		if err != nil {
			return nil, err
		}
		compare = func(a, b *profiled) int { return o.compare(o.pos(a.c), o.pos(b.c)) }
		if q.After != nil {
			k, err := parseKey(o.field, q.After.Key)
			if err != nil {
				return nil, err
			}
			pos := sortPos{key: k, id: q.After.ID}
			after = func(r *profiled) bool { return o.compare(o.pos(r.c), pos) > 0 }
		}
	case analytics.ByLTV, analytics.ByChurnScore:
		value := func(p *analytics.Profile) int64 { return int64(p.PredictedLTV) }
		if q.Ranking == analytics.ByChurnScore {
			value = func(p *analytics.Profile) int64 { return int64(p.ChurnScore) }
		}
		// Descending by value, then id.
		rank := func(v int64, id string, r *profiled) int {
			return cmp.Or(cmp.Compare(value(r.p), v), strings.Compare(r.c.ID, id))
		}
		compare = func(a, b *profiled) int { return rank(value(a.p), a.c.ID, b) }
		if k := q.RankAfter; k != nil {
			after = func(r *profiled) bool { return rank(k.Value, k.ID, r) < 0 }
		}
	default:
		return nil, crm.Errorf(crm.CodeInvalid, "unknown ranking %q", q.Ranking)
	}
	var out []analytics.Profiled
	err := s.read(ctx, func(db *database) error {
		rows := meeting(db, q.Where)
		slices.SortFunc(rows, compare)
		if after != nil {
			rows = slices.DeleteFunc(rows, func(r *profiled) bool { return !after(r) })
		}
		rows = rows[:limitOf(q.Limit, len(rows))]
		out = make([]analytics.Profiled, len(rows))
		for i, r := range rows {
			out[i] = analytics.Profiled{Customer: *cloneCustomer(r.c), Profile: *cloneProfile(r.p)}
		}
		return nil
	})
	return out, err
}

// CountProfiled counts the customers ListProfiled returns for where.
func (s *Store) CountProfiled(ctx context.Context, where []analytics.Conditions) (int, error) {
	var n int
	err := s.read(ctx, func(db *database) error {
		n = len(meeting(db, where))
		return nil
	})
	return n, err
}

// LTVAtRank returns the predicted lifetime value of the customer at rank
// (1 for the first) in the ByLTV order of the customers that meet where;
// false when fewer meet them.
func (s *Store) LTVAtRank(ctx context.Context, where []analytics.Conditions, rank int) (crm.Money, bool, error) {
	var v crm.Money
	var ok bool
	err := s.read(ctx, func(db *database) error {
		rows := meeting(db, where)
		if rank < 1 || rank > len(rows) {
			return nil
		}
		values := make([]crm.Money, len(rows))
		for i, r := range rows {
			values[i] = r.p.PredictedLTV
		}
		slices.SortFunc(values, func(a, b crm.Money) int { return cmp.Compare(b, a) })
		v, ok = values[rank-1], true
		return nil
	})
	return v, ok, err
}

// meeting returns the non-deleted customers that meet every element of
// where, with their profiles. The caller holds the read lock.
func meeting(db *database, where []analytics.Conditions) []*profiled {
	matchers := make([]func(*customer.Customer) bool, len(where))
	for i := range where {
		matchers[i] = matcher(&where[i].Customer)
	}
	var rows []*profiled
	for _, c := range db.customers {
		if c.DeletedAt != nil {
			continue
		}
		p, ok := db.profiles[c.ID]
		if !ok {
			none := analytics.NoProfile(c.ID)
			p = &none
		}
		if meets(c, p, where, matchers) {
			rows = append(rows, &profiled{c, p})
		}
	}
	return rows
}

// meets reports whether c, with profile p, meets every element of where
// (whose customer matchers are given).
func meets(c *customer.Customer, p *analytics.Profile, where []analytics.Conditions, matchers []func(*customer.Customer) bool) bool {
	for i := range where {
		if !matchers[i](c) || !where[i].Profile.Matches(p) {
			return false
		}
	}
	return true
}
