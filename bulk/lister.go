package bulk

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// lister reads the page of customers after cursor ("" for the first).
type lister func(ctx context.Context, cursor string) (*crm.Page[customer.Customer], error)

// customerLister is the part of customer.Repository a lister reads.
type customerLister interface {
	ListCustomers(ctx context.Context, f customer.Filter) ([]customer.Customer, error)
}

// newLister returns how sel's customers are read, pageSize at a time: the
// customer list (keyset pages in the filter's order, created_at then id by
// default, so a customer changed meanwhile is read at most once and none
// is skipped) unless sel needs the analytics list, which profiled serves
// (crm.MaxLimit at a time). Errors: invalid when sel needs the analytics
// list and profiled is nil.
func newLister(repo customerLister, profiled ProfiledLister, pageSize int, sel *Selection) (lister, error) {
	if !sel.profiled() {
		f := sel.Filter
		return func(ctx context.Context, cursor string) (*crm.Page[customer.Customer], error) {
			pf, err := customer.PageFilter(customer.ListParams{Filter: f, Cursor: cursor})
			if err != nil {
				return nil, err
			}
			pf.Limit = pageSize + 1 // PageOf reads one more row than the page
			rows, err := repo.ListCustomers(ctx, pf)
			if err != nil {
				return nil, err
			}
			return customer.PageOf(rows, pf), nil
		}, nil
	}
	if profiled == nil {
		return nil, crm.Errorf(crm.CodeInvalid, "Analytics filters and segments need the analytics service.")
	}
	p := analytics.ListParams{ListParams: customer.ListParams{Filter: sel.Filter, Limit: min(pageSize, crm.MaxLimit)},
		Profile: sel.Profile, SegmentID: sel.SegmentID}
	return func(ctx context.Context, cursor string) (*crm.Page[customer.Customer], error) {
		p.Cursor = cursor
		return profiled.ListCustomers(ctx, p)
	}, nil
}
