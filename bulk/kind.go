package bulk

import (
	"context"
	"encoding/json"
)

// kind is the work of one job kind, done batch by batch.
type kind interface {
	// start prepares a claimed job's run from its Request and Checkpoint:
	// a resumed job continues after its last committed batch.
	start(ctx context.Context, j *Job) (batcher, error)
}

// batcher runs a job's batches within one claim.
type batcher interface {
	// next does the next batch through r, inside the batch's transaction
	// (rolled back afterwards for a dry run), and says what it did. It
	// must not change the job; the runner applies the result.
	next(ctx context.Context, r Repository, j *Job) (batchResult, error)
	// close releases what start opened.
	close()
}

// batchResult is what one batch did.
type batchResult struct {
	counts Counts
	// skipped counts the skipped rows by reason.
	skipped   map[string]int
	errs      []RowError
	processed int
	// checkpoint is where the next batch starts.
	checkpoint json.RawMessage
	// done is true when nothing is left after this batch.
	done bool
}

// add adds b's counts to c.
func (c *Counts) add(b Counts) {
	c.Created += b.Created
	c.Updated += b.Updated
	c.Unchanged += b.Unchanged
	c.Skipped += b.Skipped
	c.Failed += b.Failed
}
