package bulk

import (
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// Kind is what a job does.
type Kind string

// The job kinds.
const (
	KindImport        Kind = "import"
	KindUpdate        Kind = "update"
	KindCommunication Kind = "communication"
)

// State is where a job stands.
type State string

// The job states; succeeded, failed and cancelled are final.
const (
	StateQueued    State = "queued"
	StateRunning   State = "running"
	StateSucceeded State = "succeeded"
	StateFailed    State = "failed"
	StateCancelled State = "cancelled"
)

// Final reports whether s is a final state.
func (s State) Final() bool {
	return s == StateSucceeded || s == StateFailed || s == StateCancelled
}

// MaxJobErrors is how many row errors a Job carries itself; every one is
// kept with the job and listed by its errors resource.
const MaxJobErrors = 100

// Job is a bulk operation run in the background.
type Job struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	State    State    `json:"state"`
	DryRun   bool     `json:"dry_run"`
	Progress Progress `json:"progress"`
	Counts   Counts   `json:"counts"`
	// SkippedBy counts the skipped rows or customers by reason (a
	// communication's opted_out, no_address, closed); nil when none.
	SkippedBy map[string]int `json:"skipped_by,omitempty"`
	// Errors are the first MaxJobErrors row errors, in row order.
	Errors []RowError `json:"errors"`
	// ErrorCount is how many row errors there are in all.
	ErrorCount int `json:"error_count"`
	// Failure says why a failed job stopped ("" otherwise).
	Failure string `json:"failure,omitempty"`
	// CancelRequested is set by a cancel of a running job, which stops at
	// its next batch.
	CancelRequested bool       `json:"cancel_requested"`
	CreatedBy       string     `json:"created_by"`
	CreatedAt       time.Time  `json:"created_at"`
	StartedAt       *time.Time `json:"started_at"`
	FinishedAt      *time.Time `json:"finished_at"`
	// Request is the job's parameters as the kind defines them.
	Request json.RawMessage `json:"-"`
	// Checkpoint is where the job resumes: what its committed batches
	// have done, as the kind defines it.
	Checkpoint json.RawMessage `json:"-"`
	// Lease is the claim bookkeeping of the runner.
	Lease     Lease     `json:"-"`
	Version   int64     `json:"-"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Progress is how far a job got: rows or customers processed of the
// total (0 while unknown, e.g. before a streamed import has been read).
type Progress struct {
	Processed int `json:"processed"`
	Total     int `json:"total"`
}

// Counts are the outcomes per row or customer.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
}

// RowError is why one row or customer failed. Row is the 1-based data row
// of an import (the header is row 0) or the position of the customer in
// an update or communication; Field names the input field when one is
// the cause. Messages never repeat the value they refuse.
type RowError struct {
	Row        int    `json:"row"`
	CustomerID string `json:"customer_id,omitempty"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
}

// Lease is a job's place with the runners.
type Lease struct {
	// DueAt is when a runner may claim the job: its creation for a queued
	// job, the end of the lease for a running one (a lease that ran out
	// is taken over), nil once final.
	DueAt *time.Time
	// ClaimedBy is the claim that holds the job ("" when none); each claim
	// is new, so a runner whose lease was taken over can tell.
	ClaimedBy string
	// Claims counts the claims so far.
	Claims int
}

// Clone returns a deep copy of j.
func (j *Job) Clone() *Job {
	c := *j
	c.Errors = slices.Clone(j.Errors)
	c.SkippedBy = maps.Clone(j.SkippedBy)
	c.StartedAt = cloneTime(j.StartedAt)
	c.FinishedAt = cloneTime(j.FinishedAt)
	c.Request = slices.Clone(j.Request)
	c.Checkpoint = slices.Clone(j.Checkpoint)
	c.Lease.DueAt = cloneTime(j.Lease.DueAt)
	return &c
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := *t
	return &u
}
