package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
)

// Jobs are a table of their own, not below a customer, written as segments
// are: single statements that change nothing, rather than fail and abort
// the caller's transaction, when the job cannot be written; a change of
// nothing is then explained by a second read. A job's row errors and input
// chunks are rows of job_errors and job_inputs, whose inserts check in
// their own statement that the job exists and the numbers are free.
//
// Row errors are numbered as ListJobErrors reads them: the k-th error of a
// job is number k, so a batch written at seq (the ErrorCount before it)
// takes numbers seq+1 onwards and the first page is the one after 0.

const (
	jobColumns = `id, kind, state, dry_run, processed, total, created, updated, unchanged, skipped, failed,
	errors, error_count, failure, cancel_requested, created_by, created_at, started_at, finished_at,
	request, checkpoint, due_at, claimed_by, claims, version, updated_at, skipped_by`
	insertJobSQL = `INSERT INTO jobs (` + jobColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
		$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
		ON CONFLICT DO NOTHING`
	getJobSQL    = `SELECT ` + jobColumns + ` FROM jobs WHERE id = $1`
	lockJobSQL   = getJobSQL + ` FOR UPDATE`
	updateJobSQL = `UPDATE jobs SET kind = $2, state = $3, dry_run = $4, processed = $5, total = $6, created = $7,
		updated = $8, unchanged = $9, skipped = $10, failed = $11, errors = $12, error_count = $13, failure = $14,
		cancel_requested = $15, created_by = $16, created_at = $17, started_at = $18, finished_at = $19,
		request = $20, checkpoint = $21, due_at = $22, claimed_by = $23, claims = $24, version = $25::bigint,
		updated_at = $26, skipped_by = $27
		WHERE id = $1 AND version = $25::bigint - 1`
	jobVersionSQL = `SELECT version FROM jobs WHERE id = $1`
	listJobsSQL   = `SELECT ` + jobColumns + ` FROM jobs WHERE ($1 = '' OR id < $1) ORDER BY id DESC LIMIT $2`
	dueJobsSQL    = `SELECT ` + jobColumns + ` FROM jobs WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2
		FOR UPDATE SKIP LOCKED`
	jobExistsSQL = `SELECT EXISTS (SELECT 1 FROM jobs WHERE id = $1)`

	// insertJobErrorsSQL writes the whole batch or, when the job is absent
	// or one of the batch's numbers is taken, nothing. The errors go in as
	// one array per field, unnested in order.
	insertJobErrorsSQL = `INSERT INTO job_errors (job_id, seq, row, customer_id, field, message)
		SELECT $1::text, $2::integer + e.n, e.row, e.customer_id, e.field, e.message
		FROM unnest($3::integer[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e (row, customer_id, field, message, n)
		WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1::text)
		  AND NOT EXISTS (SELECT 1 FROM job_errors WHERE job_id = $1::text
			AND seq > $2::integer AND seq <= $2::integer + cardinality($3::integer[]))`
	listJobErrorsSQL = `SELECT row, customer_id, field, message FROM job_errors
		WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`

	putJobInputSQL = `INSERT INTO job_inputs (job_id, seq, data)
		SELECT $1::text, $2::integer, $3::bytea WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1::text)
		ON CONFLICT DO NOTHING`
	getJobInputSQL    = `SELECT data FROM job_inputs WHERE job_id = $1 AND seq = $2`
	deleteJobInputSQL = `DELETE FROM job_inputs WHERE job_id = $1`
)

// CreateJob inserts j; conflict when its id exists.
func (s *Store) CreateJob(ctx context.Context, j *bulk.Job) error {
	r, err := jobToRow(j)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "create job", insertJobSQL, r.values()...)
	if err == nil && n == 0 {
		err = conflictError(nil, "job "+j.ID)
	}
	return err
}

// GetJob returns the job; not_found when absent.
func (s *Store) GetJob(ctx context.Context, id string) (*bulk.Job, error) {
	return getRecord[bulk.Job, jobRow](ctx, s, "job", getJobSQL, id)
}

// LockJob is GetJob holding the row (FOR UPDATE) until the enclosing
// transaction ends.
func (s *Store) LockJob(ctx context.Context, id string) (*bulk.Job, error) {
	return getRecord[bulk.Job, jobRow](ctx, s, "job", lockJobSQL, id)
}

// UpdateJob stores j over the row at j.Version-1; not_found when absent,
// precondition_failed when at another version.
func (s *Store) UpdateJob(ctx context.Context, j *bulk.Job) error {
	r, err := jobToRow(j)
	if err != nil {
		return err
	}
	return s.writeVersioned(ctx, "update job", versioned{what: "job", id: j.ID, want: j.Version - 1,
		versionSQL: jobVersionSQL, versionArgs: []any{j.ID}}, updateJobSQL, r.values()...)
}

// ListJobs returns up to limit (all when limit <= 0) jobs, newest first
// (by id descending), strictly before beforeID ("" for the first page).
func (s *Store) ListJobs(ctx context.Context, beforeID string, limit int) ([]bulk.Job, error) {
	return listRecords[bulk.Job, jobRow](ctx, s, "list jobs", listJobsSQL, beforeID, limitArg(limit))
}

// DueJobs returns up to limit (all when limit <= 0) jobs due at or before
// now, by due time then id. The rows are selected FOR UPDATE SKIP LOCKED:
// inside RunInTx they stay locked and rows another transaction holds are
// skipped, so two runners never claim the same job.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]bulk.Job, error) {
	return listRecords[bulk.Job, jobRow](ctx, s, "due jobs", dueJobsSQL, ts(now), limitArg(limit))
}

// InsertJobErrors appends errs to the row errors of the job as numbers
// seq+1 onwards, all or none: not_found when the job is absent, conflict
// when one of the numbers is taken. No errors is nothing to write.
func (s *Store) InsertJobErrors(ctx context.Context, jobID string, seq int, errs []bulk.RowError) error {
	if len(errs) == 0 {
		return nil
	}
	rows := make([]int, len(errs))
	customerIDs, fields, messages := make([]string, len(errs)), make([]string, len(errs)), make([]string, len(errs))
	for i, e := range errs {
		rows[i], customerIDs[i], fields[i], messages[i] = e.Row, e.CustomerID, e.Field, e.Message
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "insert job errors", insertJobErrorsSQL, jobID, seq, rows, customerIDs, fields, messages)
	if err != nil {
		// A batch committed by another transaction after this statement's
		// snapshot still clashes on the primary key: a conflict too.
		return err
	}
	if n == len(errs) {
		return nil
	}
	return s.explainJobChild(ctx, h, jobID, fmt.Sprintf("a row error numbered %d to %d of job %s", seq+1, seq+len(errs), jobID))
}

// ListJobErrors returns up to limit (all when limit <= 0) row errors of
// the job in the order written, from number afterSeq+1.
func (s *Store) ListJobErrors(ctx context.Context, jobID string, afterSeq, limit int) ([]bulk.RowError, error) {
	return listRecords[bulk.RowError, jobErrorRow](ctx, s, "list job errors", listJobErrorsSQL, jobID, afterSeq, limitArg(limit))
}

// PutJobInput stores chunk seq of the job's input: not_found when the job
// is absent, conflict when the chunk exists.
func (s *Store) PutJobInput(ctx context.Context, jobID string, seq int, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "put job input", putJobInputSQL, jobID, seq, data)
	if err != nil || n == 1 {
		return err
	}
	return s.explainJobChild(ctx, h, jobID, fmt.Sprintf("input chunk %d of job %s", seq, jobID))
}

// GetJobInput returns chunk seq of the job's input; not_found past the
// last (or when the job has none).
func (s *Store) GetJobInput(ctx context.Context, jobID string, seq int) ([]byte, error) {
	var data []byte
	err := s.queryRow(ctx, getJobInputSQL, []any{jobID, seq}, []any{&data})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, crm.NotFound("job input")
	case err != nil:
		return nil, s.mapErr(err, "get job input")
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// DeleteJobInput removes every chunk of the job's input; none is not an
// error.
func (s *Store) DeleteJobInput(ctx context.Context, jobID string) error {
	return s.exec(ctx, "delete job input", deleteJobInputSQL, jobID)
}

// explainJobChild explains an insert below job jobID that wrote nothing:
// not_found when the job is absent, else the conflict of what, whose
// numbers were taken.
func (s *Store) explainJobChild(ctx context.Context, h handle, jobID, what string) error {
	var exists bool
	if err := h.q.QueryRowContext(ctx, jobExistsSQL, jobID).Scan(&exists); err != nil {
		return s.mapErr(err, "find job")
	}
	if !exists {
		return crm.NotFound("job")
	}
	return conflictError(nil, what)
}

// jobRow is one row of the jobs table.
type jobRow struct {
	ID, Kind, State                              string
	DryRun                                       bool
	Processed, Total                             int
	Created, Updated, Unchanged, Skipped, Failed int
	Errors                                       []byte
	ErrorCount                                   int
	Failure                                      string
	CancelRequested                              bool
	CreatedBy                                    string
	CreatedAt                                    time.Time
	StartedAt, FinishedAt                        sql.NullTime
	Request, Checkpoint                          []byte
	DueAt                                        sql.NullTime
	ClaimedBy                                    string
	Claims                                       int
	Version                                      int64
	UpdatedAt                                    time.Time
	SkippedBy                                    []byte
}

// dest returns scan destinations in jobColumns order.
func (r *jobRow) dest() []any {
	return []any{&r.ID, &r.Kind, &r.State, &r.DryRun, &r.Processed, &r.Total, &r.Created, &r.Updated, &r.Unchanged,
		&r.Skipped, &r.Failed, &r.Errors, &r.ErrorCount, &r.Failure, &r.CancelRequested, &r.CreatedBy, &r.CreatedAt,
		&r.StartedAt, &r.FinishedAt, &r.Request, &r.Checkpoint, &r.DueAt, &r.ClaimedBy, &r.Claims, &r.Version, &r.UpdatedAt, &r.SkippedBy}
}

// values returns query arguments in jobColumns order: the row errors as
// the text of their JSON array, the request and checkpoint as their bytes.
func (r *jobRow) values() []any {
	return []any{r.ID, r.Kind, r.State, r.DryRun, r.Processed, r.Total, r.Created, r.Updated, r.Unchanged,
		r.Skipped, r.Failed, string(r.Errors), r.ErrorCount, r.Failure, r.CancelRequested, r.CreatedBy, r.CreatedAt,
		r.StartedAt, r.FinishedAt, r.Request, r.Checkpoint, r.DueAt, r.ClaimedBy, r.Claims, r.Version, r.UpdatedAt, string(r.SkippedBy)}
}

// jobToRow converts j for writing, every time as ts keeps it.
func jobToRow(j *bulk.Job) (*jobRow, error) {
	errs := j.Errors
	if errs == nil {
		errs = []bulk.RowError{}
	}
	raw, err := json.Marshal(errs)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode errors of job %s: %w", j.ID, err)
	}
	skipped := j.SkippedBy
	if skipped == nil {
		skipped = map[string]int{}
	}
	skippedBy, err := json.Marshal(skipped)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode skipped_by of job %s: %w", j.ID, err)
	}
	return &jobRow{
		ID: j.ID, Kind: string(j.Kind), State: string(j.State), DryRun: j.DryRun,
		Processed: j.Progress.Processed, Total: j.Progress.Total,
		Created: j.Counts.Created, Updated: j.Counts.Updated, Unchanged: j.Counts.Unchanged,
		Skipped: j.Counts.Skipped, Failed: j.Counts.Failed,
		Errors: raw, ErrorCount: j.ErrorCount, Failure: j.Failure, CancelRequested: j.CancelRequested,
		CreatedBy: j.CreatedBy, CreatedAt: ts(j.CreatedAt),
		StartedAt: nullTime(j.StartedAt), FinishedAt: nullTime(j.FinishedAt),
		Request: rawJSON(j.Request), Checkpoint: rawJSON(j.Checkpoint),
		DueAt: nullTime(j.Lease.DueAt), ClaimedBy: j.Lease.ClaimedBy, Claims: j.Lease.Claims,
		Version: j.Version, UpdatedAt: ts(j.UpdatedAt), SkippedBy: skippedBy,
	}, nil
}

// rawJSON is the column value of a raw JSON document: its bytes, NULL for
// none (nil or empty, which is no JSON document at all).
func rawJSON(b json.RawMessage) []byte {
	if len(b) == 0 {
		return nil
	}
	return []byte(b)
}

// decode converts a scanned row; a job without row errors has an empty
// slice of them.
func (r *jobRow) decode() (*bulk.Job, error) {
	var errs []bulk.RowError
	if err := json.Unmarshal(r.Errors, &errs); err != nil {
		return nil, fmt.Errorf("pgstore: decode errors of job %s: %w", r.ID, err)
	}
	if errs == nil {
		errs = []bulk.RowError{}
	}
	j := &bulk.Job{
		ID: r.ID, Kind: bulk.Kind(r.Kind), State: bulk.State(r.State), DryRun: r.DryRun,
		Progress: bulk.Progress{Processed: r.Processed, Total: r.Total},
		Counts: bulk.Counts{Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged,
			Skipped: r.Skipped, Failed: r.Failed},
		Errors: errs, ErrorCount: r.ErrorCount, Failure: r.Failure, CancelRequested: r.CancelRequested,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
		StartedAt: timePtr(r.StartedAt), FinishedAt: timePtr(r.FinishedAt),
		Lease:   bulk.Lease{DueAt: timePtr(r.DueAt), ClaimedBy: r.ClaimedBy, Claims: r.Claims},
		Version: r.Version, UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.Request != nil {
		j.Request = json.RawMessage(r.Request)
	}
	if r.Checkpoint != nil {
		j.Checkpoint = json.RawMessage(r.Checkpoint)
	}
	if err := json.Unmarshal(r.SkippedBy, &j.SkippedBy); err != nil {
		return nil, fmt.Errorf("pgstore: decode skipped_by of job %s: %w", r.ID, err)
	}
	if len(j.SkippedBy) == 0 {
		j.SkippedBy = nil
	}
	return j, nil
}

// jobErrorRow is one row of the job_errors table, as ListJobErrors reads
// it.
type jobErrorRow bulk.RowError

// dest returns scan destinations in listJobErrorsSQL's order.
func (r *jobErrorRow) dest() []any {
	return []any{&r.Row, &r.CustomerID, &r.Field, &r.Message}
}

// decode converts a scanned row.
func (r *jobErrorRow) decode() (*bulk.RowError, error) {
	e := bulk.RowError(*r)
	return &e, nil
}
