package bulk

import (
	"context"
	"time"
)

// JobRepository is the storage of jobs. As every Repository, it copies
// values in and out, never returns (nil, nil), and reports failures as
// *crm.Error codes. store.Store embeds it; memstore and pgstore implement
// it. Jobs belong to no customer.
type JobRepository interface {
	// CreateJob inserts j; conflict when the id exists.
	CreateJob(ctx context.Context, j *Job) error
	// GetJob returns the job; not_found when absent.
	GetJob(ctx context.Context, id string) (*Job, error)
	// LockJob is GetJob holding the row until the enclosing transaction
	// ends.
	LockJob(ctx context.Context, id string) (*Job, error)
	// UpdateJob stores j over the row whose version is j.Version-1 (the
	// caller increments Version); not_found when absent,
	// precondition_failed when at another version.
	UpdateJob(ctx context.Context, j *Job) error
	// ListJobs returns up to limit (all when <= 0) jobs, newest first (by
	// id descending), strictly before the id beforeID ("" for the first
	// page).
	ListJobs(ctx context.Context, beforeID string, limit int) ([]Job, error)
	// DueJobs returns up to limit jobs whose Lease.DueAt is at or before
	// now, earliest due first. Inside a transaction the rows stay locked
	// and rows locked by another transaction are skipped (FOR UPDATE SKIP
	// LOCKED), so two runners never claim the same job.
	DueJobs(ctx context.Context, now time.Time, limit int) ([]Job, error)

	// InsertJobErrors appends row errors of the job, numbered from seq
	// (the job's ErrorCount before them, so a batch retried after a crash
	// writes the same numbers); conflict when a number exists.
	InsertJobErrors(ctx context.Context, jobID string, seq int, errs []RowError) error
	// ListJobErrors returns up to limit (all when <= 0) row errors of the
	// job in the order written, from number afterSeq+1 (0 for the first).
	ListJobErrors(ctx context.Context, jobID string, afterSeq, limit int) ([]RowError, error)

	// PutJobInput stores one chunk of the job's input (an uploaded file),
	// chunks numbered from 0; conflict when the number exists.
	PutJobInput(ctx context.Context, jobID string, seq int, data []byte) error
	// GetJobInput returns chunk seq of the job's input; not_found past the
	// last.
	GetJobInput(ctx context.Context, jobID string, seq int) ([]byte, error)
	// DeleteJobInput removes the job's input (once the job is final);
	// none is not an error.
	DeleteJobInput(ctx context.Context, jobID string) error
}
