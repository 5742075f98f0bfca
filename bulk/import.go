package bulk

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/valid"
)

// ImportMode says what an import does with each row.
type ImportMode string

// The import modes.
const (
	// ImportCreate creates a customer from every row.
	ImportCreate ImportMode = "create"
	// ImportUpsert applies a row as a merge patch to the customer with
	// its external_id, or else its email, and creates one when there is
	// none.
	ImportUpsert ImportMode = "upsert"
)

// ImportRequest is an import's parameters.
type ImportRequest struct {
	Mode   ImportMode `json:"mode"`
	Format Format     `json:"format"`
	DryRun bool       `json:"dry_run"`
	// BeforeCommit, when set, is called inside the submitting transaction
	// once the whole body is read and stored, with the job as it is about
	// to be committed, ctx bound to the transaction (a store.Store call
	// with it joins it) and the SHA-256 of the body. An error from it
	// rolls everything back and is SubmitImport's error. It lets a caller
	// decide on what only the whole body tells (an Idempotency-Key bound
	// to the body's digest) without buffering the body or leaving a job
	// behind.
	BeforeCommit func(ctx context.Context, j *Job, bodySHA256 []byte) error `json:"-"`
}

// importJob is what an import job keeps as its Request.
type importJob struct {
	Mode   ImportMode `json:"mode"`
	Format Format     `json:"format"`
	// Header is the CSV header row.
	Header []string `json:"header,omitempty"`
}

// importCheckpoint is where an import resumes: after Rows rows, at byte
// Offset of its input.
type importCheckpoint struct {
	Offset int64 `json:"offset"`
	Rows   int   `json:"rows"`
}

// SubmitImport stores body (the rows, in req.Format) as a new import job's
// input and queues the job, in one transaction, reading body once with
// constant memory. The input is checked whole first: a CSV header with an
// unknown or repeated column, or input that cannot be parsed, is invalid
// and nothing is stored; rows that parse but are not valid customers are
// the job's row errors. req.BeforeCommit, when set, has the last word
// before the commit. Errors: invalid, and BeforeCommit's.
func (s *Service) SubmitImport(ctx context.Context, req ImportRequest, body io.Reader) (*Job, error) {
	var p crm.Problems
	if req.Mode != ImportCreate && req.Mode != ImportUpsert {
		p.Add("mode", "must be create or upsert")
	}
	if req.Format != FormatCSV && req.Format != FormatJSON && req.Format != FormatNDJSON {
		p.Add("format", "must be csv, json or ndjson")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	job := importJob{Mode: req.Mode, Format: req.Format}
	var out *Job
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		j, err := s.newJob(ctx, KindImport, req.DryRun, nil)
		if err != nil {
			return err
		}
		if err := r.CreateJob(ctx, j); err != nil {
			return err
		}
		w := &chunkWriter{ctx: ctx, r: r, jobID: j.ID}
		var sink io.Writer = w
		digest := sha256.New()
		if req.BeforeCommit != nil {
			sink = io.MultiWriter(w, digest)
		}
		tee := io.TeeReader(body, sink)
		var src rowSource
		if req.Format == FormatCSV {
			cr := csv.NewReader(tee)
			cr.ReuseRecord, cr.FieldsPerRecord = true, -1
			header, err := cr.Read()
			if err != nil {
				return malformed(err)
			}
			job.Header = append([]string(nil), header...)
			if _, err := ParseHeader(job.Header); err != nil {
				return err
			}
			src = &csvRows{cr: cr}
		} else if src, err = newRowSource(req.Format, tee, 0, 0); err != nil {
			return err
		}
		total := 0
		for {
			if _, _, err := src.next(); err == io.EOF {
				break
			} else if err != nil {
				return err
			}
			total++
		}
		if _, err := io.Copy(io.Discard, tee); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		if j.Request, err = json.Marshal(job); err != nil {
			return err
		}
		j.Progress.Total = total
		j.Checkpoint, _ = json.Marshal(importCheckpoint{})
		if err := s.save(ctx, r, j, j.CreatedAt); err != nil {
			return err
		}
		if req.BeforeCommit != nil {
			if err := req.BeforeCommit(ctx, j.Clone(), digest.Sum(nil)); err != nil {
				return err
			}
		}
		out = j
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.nudge()
	return out, nil
}

// importKind runs import jobs.
type importKind struct{ s *Service }

// start opens the job's input where its last committed batch ended.
func (k importKind) start(ctx context.Context, j *Job) (batcher, error) {
	var job importJob
	var cp importCheckpoint
	if err := json.Unmarshal(j.Request, &job); err != nil {
		return nil, err
	}
	if len(j.Checkpoint) > 0 {
		if err := json.Unmarshal(j.Checkpoint, &cp); err != nil {
			return nil, err
		}
	}
	var cols Columns
	if job.Format == FormatCSV {
		var err error
		if cols, err = ParseHeader(job.Header); err != nil {
			return nil, err
		}
	}
	in, err := newChunkReader(ctx, k.s.repo, j.ID, cp.Offset)
	if err != nil {
		return nil, err
	}
	src, err := newRowSource(job.Format, in, cp.Offset, cp.Rows)
	if err != nil {
		return nil, err
	}
	return &importBatcher{s: k.s, mode: job.Mode, cols: cols, in: in, src: src}, nil
}

// importBatcher imports the rows of one claim's run.
type importBatcher struct {
	s    *Service
	mode ImportMode
	cols Columns // a CSV file's
	in   *chunkReader
	src  rowSource
}

// rowAt is a row and the input offset after it.
type rowAt struct {
	row    row
	offset int64
}

func (b *importBatcher) close() {}

// next imports the next batch of rows: up to CreateBatchSize in create
// mode, validated and written together (createAll), else up to BatchSize,
// one at a time, each in a savepoint of the batch's transaction
// (customer.Service writes in one). Either way a row that fails leaves
// the others.
func (b *importBatcher) next(ctx context.Context, r Repository, j *Job) (batchResult, error) {
	// The input is read in the batch's transaction: a store that runs one
	// transaction at a time would wait for it otherwise.
	b.in.ctx, b.in.r = ctx, r
	size := b.s.opts.BatchSize
	if b.mode == ImportCreate {
		size = b.s.opts.CreateBatchSize
	}
	var rows []rowAt
	for len(rows) < size {
		rw, offset, err := b.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return batchResult{}, &jobFailure{reason: crm.ErrorMessage(err)}
		}
		rows = append(rows, rowAt{rw, offset})
	}
	res := batchResult{processed: len(rows), done: len(rows) < size}
	if b.mode == ImportCreate {
		if err := b.createAll(ctx, r, rows, &res); err != nil {
			return batchResult{}, err
		}
	} else {
		for _, ra := range rows {
			outcome, errs, err := b.upsertRow(ctx, r, ra.row)
			if err != nil {
				return batchResult{}, err
			}
			res.counts.add(outcome)
			res.errs = append(res.errs, errs...)
		}
	}
	if n := len(rows); n > 0 {
		var err error
		last := rows[n-1]
		if res.checkpoint, err = json.Marshal(importCheckpoint{Offset: last.offset, Rows: last.row.n}); err != nil {
			return batchResult{}, err
		}
	}
	return res, nil
}

// createAll creates the customers of a create-mode batch together
// (customer.Service.CreateMany: each row validated as one create, the
// valid ones written in a few statements), counting each row's outcome
// into res.
func (b *importBatcher) createAll(ctx context.Context, r Repository, rows []rowAt, res *batchResult) error {
	ins := make([]customer.Input, 0, len(rows))
	at := make([]int, 0, len(rows)) // the row number of each input
	for _, ra := range rows {
		in, err := b.readRow(ra.row)
		if err != nil {
			res.counts.Failed++
			res.errs = append(res.errs, rowErrors(ra.row.n, "", fieldErrors(err))...)
			continue
		}
		ins, at = append(ins, in), append(at, ra.row.n)
	}
	_, errs, err := b.s.customers.CreateMany(ctx, r, ins)
	if err != nil {
		return err
	}
	for i, err := range errs {
		if err != nil {
			res.counts.Failed++
			res.errs = append(res.errs, rowErrors(at[i], "", fieldErrors(err))...)
			continue
		}
		res.counts.Created++
	}
	// Row errors in row order, as a row-by-row import lists them.
	slices.SortStableFunc(res.errs, func(a, b RowError) int { return a.Row - b.Row })
	return nil
}

// readRow reads a row as a create request.
func (b *importBatcher) readRow(rw row) (customer.Input, error) {
	if len(rw.problems) > 0 {
		return customer.Input{}, rw.problems.Err()
	}
	return b.input(rw, nil)
}

// upsertRow updates the customer a row matches, or creates one, and says
// what happened; a refused row is counted failed with its errors, each
// naming the field. An error is the store's, which fails the batch.
func (b *importBatcher) upsertRow(ctx context.Context, r Repository, rw row) (Counts, []RowError, error) {
	failed := func(customerID string, err error) (Counts, []RowError, error) {
		if !refused(err) {
			return Counts{}, nil, err
		}
		return Counts{Failed: 1}, rowErrors(rw.n, customerID, fieldErrors(err)), nil
	}
	if len(rw.problems) > 0 {
		return failed("", rw.problems.Err())
	}
	// The row read as a create request names the keys it matches on.
	in, invalid := b.input(rw, nil)
	existing, err := b.match(ctx, r, in)
	if err != nil {
		return failed("", err)
	}
	if existing == nil {
		if invalid == nil {
			_, err = b.s.customers.Create(ctx, in)
		} else {
			err = invalid
		}
		if err != nil {
			return failed("", err)
		}
		return Counts{Created: 1}, nil, nil
	}
	after, err := b.s.customers.Update(ctx, existing.ID, 0, func(in *customer.Input) error {
		merged, err := b.input(rw, in)
		if err != nil {
			return err
		}
		*in = merged
		return nil
	})
	switch {
	case err != nil:
		return failed(existing.ID, err)
	case after.Version == existing.Version:
		return Counts{Unchanged: 1}, nil, nil
	}
	return Counts{Updated: 1}, nil, nil
}

// refused reports whether err is a refusal of one row or customer (its
// data, or its state) rather than a failure of the store.
func refused(err error) bool {
	return slices.Contains([]crm.Code{crm.CodeInvalid, crm.CodeConflict, crm.CodeNotFound, crm.CodeUnprocessable,
		crm.CodePreconditionFailed}, crm.ErrorCode(err))
}

// input reads a row as the create request (base nil) or as a merge patch
// over base, the writable fields of the customer an upsert updates.
func (b *importBatcher) input(rw row, base *customer.Input) (customer.Input, error) {
	if rw.cells != nil {
		if base == nil {
			base = &customer.Input{}
		}
		in, p := b.cols.Merge(rw.cells, *base)
		return in, p.Err()
	}
	if base == nil {
		in, p := InputFromJSON(rw.object)
		return in, p.Err()
	}
	return mergeJSON(*base, rw.object)
}

// mergeJSON applies patch, a JSON merge patch of customer fields, to base
// and reads the result as InputFromJSON does. tax_id is write-only: the
// base has none, and the patch alone says whether to keep (absent), clear
// (null) or set it.
func mergeJSON(base customer.Input, patch json.RawMessage) (customer.Input, error) {
	given, p := InputFromJSON(patch)
	if err := p.Err(); err != nil {
		return customer.Input{}, err
	}
	doc, err := json.Marshal(base)
	if err != nil {
		return customer.Input{}, err
	}
	merged, err := jsonpatch.MergePatch(doc, patch)
	if err != nil {
		return customer.Input{}, crm.Errorf(crm.CodeInvalid, "the row is not a valid JSON object")
	}
	in, p := InputFromJSON(merged)
	in.TaxID = given.TaxID
	return in, p.Err()
}

// match finds the customer a row updates: by its external_id when the
// row has one and a customer has it, else by its email (so a customer
// first imported without one gains it); nil when none.
func (b *importBatcher) match(ctx context.Context, r Repository, in customer.Input) (*customer.Customer, error) {
	keys := struct{ ExternalID, Email string }{in.ExternalID, in.Email}
	if keys.ExternalID != "" {
		c, err := r.GetCustomerByExternalID(ctx, keys.ExternalID)
		if crm.ErrorCode(err) != crm.CodeNotFound {
			return c, err
		}
	}
	if keys.Email == "" {
		return nil, nil
	}
	var p crm.Problems
	email := valid.Email(&p, "email", keys.Email, true)
	if p.Err() != nil {
		// The create that follows names the problem.
		return nil, nil
	}
	c, err := r.GetCustomerByEmail(ctx, email)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil, nil
	}
	return c, err
}

// rowErrors turns field problems into the row errors of row n.
func rowErrors(n int, customerID string, problems []crm.FieldError) []RowError {
	out := make([]RowError, len(problems))
	for i, p := range problems {
		out[i] = RowError{Row: n, CustomerID: customerID, Field: p.Field, Message: p.Message}
	}
	return out
}

// fieldErrors are the problems err names; one without a field for an
// error naming none.
func fieldErrors(err error) []crm.FieldError {
	if fields := crm.ErrorFields(err); len(fields) > 0 {
		return fields
	}
	var e *crm.Error
	if errors.As(err, &e) {
		return []crm.FieldError{{Message: e.Message}}
	}
	return []crm.FieldError{{Message: "the row could not be imported"}}
}
