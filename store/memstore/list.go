package memstore

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// ListCustomers returns up to f.Limit non-deleted customers matching f in
// f.Sort order (ties by id in the same direction), strictly after f.After.
// An empty sort field means created_at, as in customer.SortKey. Invalid for
// an unknown sort field or a cursor key that SortKey cannot have produced.
func (s *Store) ListCustomers(ctx context.Context, f customer.Filter) ([]customer.Customer, error) {
	order, err := orderOf(f.Sort)
	if err != nil {
		return nil, err
	}
	var after *sortPos
	if f.After != nil {
		k, err := parseKey(order.field, f.After.Key)
		if err != nil {
			return nil, err
		}
		after = &sortPos{key: k, id: f.After.ID}
	}
	rows, err := s.matching(ctx, &f)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b *customer.Customer) int { return order.compare(order.pos(a), order.pos(b)) })
	if after != nil {
		// The first row strictly after the cursor.
		i, _ := slices.BinarySearchFunc(rows, *after, func(c *customer.Customer, p sortPos) int {
			if order.compare(order.pos(c), p) <= 0 {
				return -1
			}
			return 1
		})
		rows = rows[i:]
	}
	return values(rows[:limitOf(f.Limit, len(rows))], cloneCustomer), nil
}

// CountCustomers counts the non-deleted customers matching f; f.Sort,
// f.After and f.Limit do not matter.
func (s *Store) CountCustomers(ctx context.Context, f customer.Filter) (int, error) {
	rows, err := s.matching(ctx, &f)
	return len(rows), err
}

// matching returns the stored (shared, never modified) customers that match
// f, ignoring its order and page.
func (s *Store) matching(ctx context.Context, f *customer.Filter) ([]*customer.Customer, error) {
	match := matcher(f)
	var rows []*customer.Customer
	err := s.read(ctx, func(db *database) error {
		for _, c := range db.customers {
			if match(c) {
				rows = append(rows, c)
			}
		}
		return nil
	})
	return rows, err
}

// matcher returns whether a customer is listed under the conditions of f.
func matcher(f *customer.Filter) func(c *customer.Customer) bool {
	q := customer.NormalizeQuery(f.Query)
	var after, before time.Time
	if f.CreatedAfter != nil {
		after = normTime(*f.CreatedAfter)
	}
	if f.CreatedBefore != nil {
		before = normTime(*f.CreatedBefore)
	}
	return func(c *customer.Customer) bool {
		switch {
		case c.DeletedAt != nil,
			f.Status != "" && c.Status != f.Status,
			f.Type != "" && c.Type != f.Type,
			f.PreferredContact != "" && c.PreferredContact != f.PreferredContact,
			f.ExternalID != "" && c.ExternalID != f.ExternalID,
			q != "" && !strings.Contains(customer.SearchText(c), q),
			f.CreatedAfter != nil && !c.CreatedAt.After(after),
			f.CreatedBefore != nil && !c.CreatedAt.Before(before),
			f.City != "" && !strings.EqualFold(c.BillingAddress.City, f.City),
			f.State != "" && !strings.EqualFold(c.BillingAddress.State, f.State),
			f.PostalCode != "" && c.BillingAddress.PostalCode != f.PostalCode,
			// An unknown score is outside every range, as NULL is in SQL.
			f.MinCreditScore != nil && (c.CreditScore == nil || *c.CreditScore < *f.MinCreditScore),
			f.MaxCreditScore != nil && (c.CreditScore == nil || *c.CreditScore > *f.MaxCreditScore):
			return false
		}
		return true
	}
}

// sortKey is a customer's sort value, typed so it compares as documented on
// customer.SortKey: strings bytewise, scores as numbers, times as times.
type sortKey struct {
	s string
	n int
	t time.Time
}

// sortPos is a position in a sort order: the sort key, then the id.
type sortPos struct {
	key sortKey
	id  string
}

// order is a resolved customer.Sort.
type order struct {
	field customer.SortField
	desc  bool
}

func orderOf(s customer.Sort) (order, error) {
	f := s.Field
	if f == "" {
		f = customer.SortCreatedAt
	}
	if !slices.Contains(customer.SortFields, f) {
		return order{}, &crm.Error{Code: crm.CodeInvalid, Message: "cannot sort customers by " + strconv.Quote(string(f)),
			Fields: []crm.FieldError{{Field: "sort", Message: "is not a sort field"}}}
	}
	return order{field: f, desc: s.Desc}, nil
}

// pos returns c's position in the order.
func (o order) pos(c *customer.Customer) sortPos {
	var k sortKey
	switch o.field {
	case customer.SortName:
		k.s = customer.NameKey(c.Name)
	case customer.SortAccountNumber:
		k.s = c.AccountNumber
	case customer.SortCreditScore:
		k.n = customer.CreditKey(c.CreditScore)
	default:
		k.t = c.CreatedAt
	}
	return sortPos{key: k, id: c.ID}
}

// compare orders two positions: key, then id, both reversed when
// descending.
func (o order) compare(a, b sortPos) int {
	var c int
	switch o.field {
	case customer.SortName, customer.SortAccountNumber:
		c = strings.Compare(a.key.s, b.key.s)
	case customer.SortCreditScore:
		c = cmp.Compare(a.key.n, b.key.n)
	default:
		c = a.key.t.Compare(b.key.t)
	}
	c = cmp.Or(c, strings.Compare(a.id, b.id))
	if o.desc {
		return -c
	}
	return c
}

// parseKey reads a Cursor.Key written by customer.SortKey for field.
func parseKey(field customer.SortField, key string) (sortKey, error) {
	bad := func() (sortKey, error) {
		return sortKey{}, &crm.Error{Code: crm.CodeInvalid, Message: "the cursor does not fit the sort order",
			Fields: []crm.FieldError{{Field: "cursor", Message: "is not a cursor returned by this API"}}}
	}
	switch field {
	case customer.SortName, customer.SortAccountNumber:
		return sortKey{s: key}, nil
	case customer.SortCreditScore:
		n, err := strconv.Atoi(key)
		if err != nil {
			return bad()
		}
		return sortKey{n: n}, nil
	default:
		t, err := time.Parse(time.RFC3339Nano, key)
		if err != nil {
			return bad()
		}
		return sortKey{t: normTime(t)}, nil
	}
}
