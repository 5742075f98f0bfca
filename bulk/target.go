package bulk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// MaxTargetIDs is the most customer ids one bulk request names.
const MaxTargetIDs = 100_000

// Target selects the customers of a bulk update or communication: exactly
// one of a list of ids, the customer list's filters, or a segment.
type Target struct {
	// CustomerIDs are the customers, in order; an id that is not a
	// customer's is a row error of the job, not a failed job.
	CustomerIDs []string `json:"customer_ids,omitempty"`
	// Filter holds the customer list's filters (GET /customers' query
	// parameters, analytics ones included), by name.
	Filter map[string]FilterValue `json:"filter,omitempty"`
	// SegmentID is a segment whose members are the customers.
	SegmentID string `json:"segment_id,omitempty"`
}

// FilterValue is a filter's value as a query string carries it; a JSON
// number or boolean stands for its text.
type FilterValue string

// UnmarshalJSON reads a JSON string, number or boolean.
func (v *FilterValue) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch x.(type) {
	case string:
		*v = FilterValue(x.(string))
	case float64, bool:
		*v = FilterValue(b)
	default:
		return fmt.Errorf("must be a string, number or boolean")
	}
	return nil
}

// check validates t and returns the selection of its filter or segment
// (nil for ids). Errors: invalid, naming customer_ids, filter (or
// filter.<name>) or segment_id.
func (t *Target) check() (*Selection, error) {
	var p crm.Problems
	given := 0
	for _, set := range []bool{len(t.CustomerIDs) > 0, len(t.Filter) > 0, t.SegmentID != ""} {
		if set {
			given++
		}
	}
	if given != 1 {
		p.Add("customer_ids", "give exactly one of customer_ids, filter and segment_id")
		return nil, p.Err()
	}
	if len(t.CustomerIDs) > MaxTargetIDs {
		p.Addf("customer_ids", "at most %d ids", MaxTargetIDs)
		return nil, p.Err()
	}
	if len(t.CustomerIDs) > 0 {
		return nil, nil
	}
	params := map[string]string{}
	for k, v := range t.Filter {
		params[k] = string(v)
	}
	sel, err := ParseSelection(params, t.SegmentID)
	for _, fe := range crm.ErrorFields(err) {
		p.Add(prefixed("filter", fe.Field), fe.Message)
	}
	if err != nil && len(p) == 0 {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &sel, nil
}

// targetCheckpoint is where a job over a target resumes: after Done
// customers, at Index of the ids or at Cursor of the list.
type targetCheckpoint struct {
	Done   int    `json:"done"`
	Cursor string `json:"cursor,omitempty"`
	End    bool   `json:"end,omitempty"`
}

// targetReader reads a target's customers a batch at a time.
type targetReader struct {
	ids  []string
	list lister
	cp   targetCheckpoint
}

// openTarget reads a targeted job's Request into req, whose Target is
// target, and opens the target where the job's checkpoint says its
// committed batches ended.
func (s *Service) openTarget(j *Job, req any, target *Target) (*targetReader, error) {
	if err := json.Unmarshal(j.Request, req); err != nil {
		return nil, err
	}
	var cp targetCheckpoint
	if len(j.Checkpoint) > 0 {
		if err := json.Unmarshal(j.Checkpoint, &cp); err != nil {
			return nil, err
		}
	}
	return s.newTargetReader(target, cp, s.opts.BatchSize)
}

// newTargetReader reads t from cp on, size customers at a time.
func (s *Service) newTargetReader(t *Target, cp targetCheckpoint, size int) (*targetReader, error) {
	sel, err := t.check()
	if err != nil {
		return nil, err
	}
	tr := &targetReader{cp: cp}
	if sel == nil {
		tr.ids = t.CustomerIDs
		return tr, nil
	}
	tr.list, err = newLister(s.repo, s.opts.Profiled, size, sel)
	return tr, err
}

// targeted is one customer of a batch: its position in the target
// (1-based), its id, and the customer as the list read it (nil for a
// target of ids, which are read one by one).
type targeted struct {
	n  int
	id string
	c  *customer.Customer
}

// next returns the next batch of at most size customers (ids; found or
// not when the target lists them) and the checkpoint after it; none when
// the target is exhausted.
func (tr *targetReader) next(ctx context.Context, size int) ([]targeted, targetCheckpoint, error) {
	cp := tr.cp
	var out []targeted
	if tr.list == nil {
		for _, id := range tr.ids[min(cp.Done, len(tr.ids)):min(cp.Done+size, len(tr.ids))] {
			cp.Done++
			out = append(out, targeted{n: cp.Done, id: id})
		}
		cp.End = cp.Done >= len(tr.ids)
		return out, cp, nil
	}
	if cp.End {
		return nil, cp, nil
	}
	page, err := tr.list(ctx, cp.Cursor)
	if err != nil {
		return nil, cp, err
	}
	for i := range page.Items {
		cp.Done++
		out = append(out, targeted{n: cp.Done, id: page.Items[i].ID, c: &page.Items[i]})
	}
	cp.Cursor, cp.End = page.NextCursor, !page.HasMore
	return out, cp, nil
}

// count is how many customers t selects now (a filter's may change while
// the job runs).
func (s *Service) count(ctx context.Context, t *Target, sel *Selection) (int, error) {
	switch {
	case sel == nil:
		return len(t.CustomerIDs), nil
	case !sel.profiled():
		return s.repo.CountCustomers(ctx, sel.Filter)
	}
	if s.opts.Profiled == nil {
		return 0, crm.Errorf(crm.CodeInvalid, "Analytics filters and segments need the analytics service.")
	}
	page, err := s.opts.Profiled.ListCustomers(ctx, analytics.ListParams{
		ListParams: customer.ListParams{Filter: sel.Filter, Limit: 1, IncludeTotal: true},
		Profile:    sel.Profile, SegmentID: sel.SegmentID})
	if err != nil {
		return 0, err
	}
	if page.Total == nil {
		return 0, crm.Errorf(crm.CodeInternal, "the analytics list gave no total")
	}
	return *page.Total, nil
}

// dedupe drops repeated ids, keeping the first of each.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool {
		if seen[id] {
			return true
		}
		seen[id] = true
		return false
	})
}

// customerOf reads a targeted customer (the list's copy when it has one):
// nil and a row error when there is no such customer.
func customerOf(ctx context.Context, r Repository, t targeted) (*customer.Customer, []RowError, error) {
	if t.c != nil {
		return t.c, nil, nil
	}
	if !crm.ValidID(t.id) {
		return nil, []RowError{{Row: t.n, CustomerID: t.id, Field: "customer_ids", Message: "is not a customer id"}}, nil
	}
	c, err := r.GetCustomer(ctx, t.id)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil, []RowError{{Row: t.n, CustomerID: t.id, Message: "customer not found"}}, nil
	}
	return c, nil, err
}
