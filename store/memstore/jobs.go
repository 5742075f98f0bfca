package memstore

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
)

// Row errors are numbered as pgstore numbers them: the k-th error of a job
// is number k, so a batch written at seq (the ErrorCount before it) takes
// numbers seq+1 onwards and ListJobErrors' first page is the one after 0.

// CreateJob stores a copy of j; conflict when its id exists.
func (s *Store) CreateJob(ctx context.Context, j *bulk.Job) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.jobs[j.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "job %s already exists", j.ID)
		}
		set(tx, db.jobs, j.ID, cloneJob(j))
		return nil
	})
}

// GetJob returns a copy of the job; not_found when absent.
func (s *Store) GetJob(ctx context.Context, id string) (*bulk.Job, error) {
	var out *bulk.Job
	err := s.read(ctx, func(db *database) error {
		j, ok := db.jobs[id]
		if !ok {
			return crm.NotFound("job")
		}
		out = cloneJob(j)
		return nil
	})
	return out, err
}

// LockJob is GetJob: transactions run one at a time, so what a transaction
// read stays as it is until it ends.
func (s *Store) LockJob(ctx context.Context, id string) (*bulk.Job, error) {
	return s.GetJob(ctx, id)
}

// UpdateJob stores a copy of j over the job at j.Version-1; not_found when
// absent, precondition_failed when at another version.
func (s *Store) UpdateJob(ctx context.Context, j *bulk.Job) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		cur, ok := db.jobs[j.ID]
		if !ok {
			return crm.NotFound("job")
		}
		// Not crm.CheckVersion, for which version 0 is no condition.
		if cur.Version != j.Version-1 {
			return crm.Errorf(crm.CodePreconditionFailed, "job %s is at version %d, not %d", j.ID, cur.Version, j.Version-1)
		}
		set(tx, db.jobs, j.ID, cloneJob(j))
		return nil
	})
}

// ListJobs returns copies of up to limit (all when limit <= 0) jobs,
// newest first (by id descending), strictly before beforeID ("" for the
// first page).
func (s *Store) ListJobs(ctx context.Context, beforeID string, limit int) ([]bulk.Job, error) {
	var out []bulk.Job
	err := s.read(ctx, func(db *database) error {
		var rows []*bulk.Job
		for id, j := range db.jobs {
			if beforeID == "" || id < beforeID {
				rows = append(rows, j)
			}
		}
		slices.SortFunc(rows, func(a, b *bulk.Job) int { return strings.Compare(b.ID, a.ID) })
		out = values(rows[:limitOf(limit, len(rows))], cloneJob)
		return nil
	})
	return out, err
}

// DueJobs returns copies of up to limit (all when limit <= 0) jobs whose
// Lease.DueAt is at or before now, by due time then id. Transactions run
// one at a time, so no row can be held by another one.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]bulk.Job, error) {
	now = normTime(now)
	var out []bulk.Job
	err := s.read(ctx, func(db *database) error {
		var due []*bulk.Job
		for _, j := range db.jobs {
			if j.Lease.DueAt != nil && !j.Lease.DueAt.After(now) {
				due = append(due, j)
			}
		}
		slices.SortFunc(due, func(a, b *bulk.Job) int {
			return cmp.Or(a.Lease.DueAt.Compare(*b.Lease.DueAt), strings.Compare(a.ID, b.ID))
		})
		out = values(due[:limitOf(limit, len(due))], cloneJob)
		return nil
	})
	return out, err
}

// InsertJobErrors appends errs to the row errors of the job as numbers
// seq+1 onwards, all or none: not_found when the job is absent, conflict
// when one of the numbers is taken. No errors is nothing to write.
func (s *Store) InsertJobErrors(ctx context.Context, jobID string, seq int, errs []bulk.RowError) error {
	if len(errs) == 0 {
		return nil
	}
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.jobs[jobID]; !ok {
			return crm.NotFound("job")
		}
		stored := db.jobErrors[jobID]
		for n := seq + 1; n <= seq+len(errs); n++ {
			if _, ok := stored[n]; ok {
				return crm.Errorf(crm.CodeConflict, "a row error numbered %d to %d of job %s already exists", seq+1, seq+len(errs), jobID)
			}
		}
		if stored == nil {
			stored = map[int]bulk.RowError{}
			set(tx, db.jobErrors, jobID, stored)
		}
		for i, e := range errs {
			set(tx, stored, seq+1+i, e)
		}
		return nil
	})
}

// ListJobErrors returns up to limit (all when limit <= 0) row errors of
// the job in the order written, from number afterSeq+1.
func (s *Store) ListJobErrors(ctx context.Context, jobID string, afterSeq, limit int) ([]bulk.RowError, error) {
	out := []bulk.RowError{}
	err := s.read(ctx, func(db *database) error {
		stored := db.jobErrors[jobID]
		numbers := slices.Sorted(maps.Keys(stored))
		i, _ := slices.BinarySearch(numbers, afterSeq+1)
		numbers = numbers[i:]
		for _, n := range numbers[:limitOf(limit, len(numbers))] {
			out = append(out, stored[n])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutJobInput stores a copy of chunk seq of the job's input: not_found
// when the job is absent, conflict when the chunk exists.
func (s *Store) PutJobInput(ctx context.Context, jobID string, seq int, data []byte) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.jobs[jobID]; !ok {
			return crm.NotFound("job")
		}
		chunks := db.jobInputs[jobID]
		if _, ok := chunks[seq]; ok {
			return crm.Errorf(crm.CodeConflict, "input chunk %d of job %s already exists", seq, jobID)
		}
		if chunks == nil {
			chunks = map[int][]byte{}
			set(tx, db.jobInputs, jobID, chunks)
		}
		set(tx, chunks, seq, chunkCopy(data))
		return nil
	})
}

// GetJobInput returns a copy of chunk seq of the job's input; not_found
// past the last (or when the job has none).
func (s *Store) GetJobInput(ctx context.Context, jobID string, seq int) ([]byte, error) {
	var out []byte
	err := s.read(ctx, func(db *database) error {
		data, ok := db.jobInputs[jobID][seq]
		if !ok {
			return crm.NotFound("job input")
		}
		out = chunkCopy(data)
		return nil
	})
	return out, err
}

// DeleteJobInput removes every chunk of the job's input; none is not an
// error.
func (s *Store) DeleteJobInput(ctx context.Context, jobID string) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		del(tx, db.jobInputs, jobID)
		return nil
	})
}

// chunkCopy copies a chunk of input, an empty one as empty, not nil, as
// Postgres returns it.
func chunkCopy(data []byte) []byte {
	return append([]byte{}, data...)
}

// cloneJob copies j (Job.Clone) as pgstore keeps it: every time as
// Postgres does, no row errors as an empty slice, an empty request or
// checkpoint (no JSON document at all) as none.
func cloneJob(j *bulk.Job) *bulk.Job {
	c := j.Clone()
	c.CreatedAt, c.UpdatedAt = normTime(c.CreatedAt), normTime(c.UpdatedAt)
	c.StartedAt, c.FinishedAt = cloneTime(c.StartedAt), cloneTime(c.FinishedAt)
	c.Lease.DueAt = cloneTime(c.Lease.DueAt)
	if c.Errors == nil {
		c.Errors = []bulk.RowError{}
	}
	if len(c.Request) == 0 {
		c.Request = nil
	}
	if len(c.Checkpoint) == 0 {
		c.Checkpoint = nil
	}
	return c
}
