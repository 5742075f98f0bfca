package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The bulk actions.
const (
	ActionSuspend    = "suspend"
	ActionReactivate = "reactivate"
)

// Action is a lifecycle change a bulk update makes to every customer.
type Action struct {
	// Type is suspend or reactivate.
	Type string `json:"type"`
	// Reason, and Until optionally, are a suspension's (see
	// customer.SuspendInput).
	Reason customer.SuspensionReason `json:"reason,omitempty"`
	Until  *time.Time                `json:"until,omitempty"`
	Notes  string                    `json:"notes,omitempty"`
}

// UpdateRequest is a bulk update: its Target's customers each get
// Updates (a JSON merge patch of the customer's writable fields, as PATCH
// /customers/{id} takes) or Action.
type UpdateRequest struct {
	Target
	Updates json.RawMessage `json:"updates,omitempty"`
	Action  *Action         `json:"action,omitempty"`
	// DryRun validates and counts without changing anything.
	DryRun bool `json:"-"`
}

// SubmitUpdate checks req and queues it as a job; each customer then gets
// its own audit entry and outcome. Errors: invalid (naming the target,
// updates.<field> or action.<field>), not_found (the segment).
func (s *Service) SubmitUpdate(ctx context.Context, req UpdateRequest) (*Job, error) {
	sel, err := req.Target.check()
	if err != nil {
		return nil, err
	}
	if err := s.checkChange(&req); err != nil {
		return nil, err
	}
	req.CustomerIDs = dedupe(req.CustomerIDs)
	return s.queue(ctx, KindUpdate, req.DryRun, &req.Target, sel, req)
}

// queue stores a checked job of kind over target (whose selection is sel,
// nil for ids) with request as its parameters, its total the customers
// the target selects now, and wakes the runners.
func (s *Service) queue(ctx context.Context, k Kind, dryRun bool, target *Target, sel *Selection, request any) (*Job, error) {
	total, err := s.count(ctx, target, sel)
	if err != nil {
		return nil, err
	}
	j, err := s.newJob(ctx, k, dryRun, request)
	if err != nil {
		return nil, err
	}
	j.Progress.Total = total
	if err := s.repo.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	s.nudge()
	return j, nil
}

// checkChange validates the change of req: exactly one of updates and
// action, an updates object naming only writable fields with values of
// their types, an action as customer.Service would take it.
func (s *Service) checkChange(req *UpdateRequest) error {
	var p crm.Problems
	hasUpdates := len(bytes.TrimSpace(req.Updates)) > 0 && string(bytes.TrimSpace(req.Updates)) != "null"
	switch {
	case hasUpdates == (req.Action != nil):
		p.Add("updates", "give exactly one of updates and action")
	case hasUpdates:
		var fields map[string]json.RawMessage
		if json.Unmarshal(req.Updates, &fields) == nil {
			for k := range fields {
				if known.ignoredKeys[k] {
					p.Add("updates."+k, "is set by the server")
				}
			}
		}
		if _, problems := InputFromJSON(req.Updates); len(problems) > 0 {
			for _, fe := range problems {
				p.Add(prefixed("updates", fe.Field), fe.Message)
			}
		}
	case req.Action.Type == ActionSuspend:
		_, err := s.customers.CheckSuspend(customer.SuspendInput{Reason: req.Action.Reason, Notes: req.Action.Notes, Until: req.Action.Until})
		for _, fe := range crm.ErrorFields(err) {
			p.Add(prefixed("action", fe.Field), fe.Message)
		}
	case req.Action.Type == ActionReactivate:
		if req.Action.Reason != "" || req.Action.Until != nil {
			p.Add("action.reason", "is only for suspend")
		}
		_, err := customer.CheckReactivate(customer.ReactivateInput{Notes: req.Action.Notes})
		for _, fe := range crm.ErrorFields(err) {
			p.Add(prefixed("action", fe.Field), fe.Message)
		}
	default:
		p.Add("action.type", "must be suspend or reactivate")
	}
	return p.Err()
}

// prefixed is field below parent ("" naming parent itself).
func prefixed(parent, field string) string {
	if field == "" {
		return parent
	}
	return parent + "." + field
}

// updateKind runs bulk updates.
type updateKind struct{ s *Service }

func (k updateKind) start(_ context.Context, j *Job) (batcher, error) {
	var req UpdateRequest
	tr, err := k.s.openTarget(j, &req, &req.Target)
	if err != nil {
		return nil, err
	}
	return &updateBatcher{s: k.s, req: req, target: tr}, nil
}

// updateBatcher updates the customers of one claim's run.
type updateBatcher struct {
	s      *Service
	req    UpdateRequest
	target *targetReader
}

func (b *updateBatcher) close() {}

// next changes the next batch of customers, each in a savepoint of the
// batch's transaction (customer.Service writes in one).
func (b *updateBatcher) next(ctx context.Context, r Repository, _ *Job) (batchResult, error) {
	batch, cp, err := b.target.next(ctx, b.s.opts.BatchSize)
	if err != nil {
		return batchResult{}, err
	}
	res := batchResult{processed: len(batch), done: cp.End}
	for _, t := range batch {
		outcome, errs, err := b.update(ctx, r, t)
		if err != nil {
			return batchResult{}, err
		}
		res.counts.add(outcome)
		res.errs = append(res.errs, errs...)
	}
	b.target.cp = cp
	if res.checkpoint, err = json.Marshal(cp); err != nil {
		return batchResult{}, err
	}
	return res, nil
}

// update changes one customer and says what happened; an error is the
// store's, which fails the batch.
func (b *updateBatcher) update(ctx context.Context, r Repository, t targeted) (Counts, []RowError, error) {
	c, missing, err := customerOf(ctx, r, t)
	if err != nil || missing != nil {
		return Counts{Failed: len(missing)}, missing, err
	}
	var after *customer.Customer
	switch a := b.req.Action; {
	case a == nil:
		after, err = b.s.customers.Update(ctx, c.ID, 0, func(in *customer.Input) error {
			merged, err := mergeJSON(*in, b.req.Updates)
			*in = merged
			return err
		})
	case a.Type == ActionSuspend:
		after, err = b.s.customers.Suspend(ctx, c.ID, customer.SuspendInput{Reason: a.Reason, Notes: a.Notes, Until: a.Until})
	default:
		after, err = b.s.customers.Reactivate(ctx, c.ID, customer.ReactivateInput{Notes: a.Notes})
	}
	switch {
	case err != nil && refused(err):
		return Counts{Failed: 1}, rowErrors(t.n, c.ID, fieldErrors(err)), nil
	case err != nil:
		return Counts{}, nil, err
	case after.Version == c.Version:
		return Counts{Unchanged: 1}, nil, nil
	}
	return Counts{Updated: 1}, nil, nil
}
