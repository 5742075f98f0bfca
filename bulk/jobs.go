package bulk

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"github.com/ispstack/crm"
)

// newJob is a queued job of kind submitted by the actor in ctx, due now.
func (s *Service) newJob(ctx context.Context, k Kind, dryRun bool, request any) (*Job, error) {
	req, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	return &Job{ID: crm.NewID(), Kind: k, State: StateQueued, DryRun: dryRun, Errors: []RowError{},
		CreatedBy: crm.ActorFrom(ctx).ID, CreatedAt: now, UpdatedAt: now, Request: req,
		Lease: Lease{DueAt: &now}, Version: 1}, nil
}

// Get returns a job. Errors: not_found.
func (s *Service) Get(ctx context.Context, id string) (*Job, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("job")
	}
	return s.repo.GetJob(ctx, id)
}

// List returns a page of jobs, newest first: limit (1–200, 0 for the
// default) after cursor. Errors: invalid (limit, cursor).
func (s *Service) List(ctx context.Context, cursor string, limit int) (*crm.Page[Job], error) {
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ListJobs(ctx, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(j *Job) string { return j.ID }), nil
}

// Cancel stops a job: a queued one at once, a running one at its next
// batch (what its committed batches did stays). Errors: not_found,
// conflict when the job is already final.
func (s *Service) Cancel(ctx context.Context, id string) (*Job, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("job")
	}
	var out *Job
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		j, err := r.LockJob(ctx, id)
		if err != nil {
			return err
		}
		now := s.clock()
		switch j.State {
		case StateQueued:
			finish(j, StateCancelled, "", now)
		case StateRunning:
			j.CancelRequested = true
		default:
			return crm.Errorf(crm.CodeConflict, "the job is already %s", j.State)
		}
		out = j
		return s.save(ctx, r, j, now)
	})
	if err != nil {
		return nil, err
	}
	if out.State == StateCancelled {
		s.dropInput(ctx, id)
	}
	return out, nil
}

// errorPage is how many row errors WriteErrorsCSV reads at a time.
const errorPage = 1000

// WriteErrorsCSV writes every row error of the job to w as CSV (row,
// customer_id, field, message), in the order they were found, a page at a
// time. Errors: not_found, and w's.
func (s *Service) WriteErrorsCSV(ctx context.Context, id string, w io.Writer) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"row", "customer_id", "field", "message"}); err != nil {
		return err
	}
	for after := 0; ; {
		errs, err := s.repo.ListJobErrors(ctx, id, after, errorPage)
		if err != nil {
			return err
		}
		for _, e := range errs {
			if err := cw.Write([]string{strconv.Itoa(e.Row), e.CustomerID, e.Field, string(escapeFormula([]byte(e.Message), 0))}); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if len(errs) < errorPage {
			return nil
		}
		after += len(errs)
	}
}
