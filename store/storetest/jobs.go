package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/store"
)

var jobTests = []test{
	{"RoundTrip", testJobRoundTrip},
	{"NotFound", testJobNotFound},
	{"Conflict", testJobConflict},
	{"UpdateAtVersion", testJobUpdate},
	{"List", testListJobs},
	{"Due", testDueJobs},
	{"DueSkipsLocked", testDueJobsSkipLocked},
	{"DueDrainedOnce", testDueJobsDrainedOnce},
	{"Errors", testJobErrors},
	{"Input", testJobInput},
	{"Rollback", testJobRollback},
	{"Aliasing", testJobAliasing},
}

// newJob returns a running job with every field but FinishedAt set. Its
// request and checkpoint are raw JSON with spacing, key order, a repeated
// key, escapes and a trailing newline that only a store keeping the bytes
// as they are gives back unchanged.
func newJob(t testing.TB) *bulk.Job {
	return &bulk.Job{
		ID: newID(t), Kind: bulk.KindImport, State: bulk.StateRunning, DryRun: true,
		Progress:  bulk.Progress{Processed: 1500, Total: 100_000},
		Counts:    bulk.Counts{Created: 1200, Updated: 200, Unchanged: 50, Skipped: 30, Failed: 20},
		SkippedBy: map[string]int{"opted_out": 20, "no_address": 10},
		Errors: []bulk.RowError{
			{Row: 7, Field: "email", Message: "is not a valid email address"},
			{Row: 9, CustomerID: newID(t), Message: "Zürich: \"quoted\"\nnext line"},
		},
		ErrorCount: 20, CancelRequested: true, CreatedBy: "key_0123456789ab",
		CreatedAt: base, StartedAt: ptr(at(time.Second)),
		Request:    json.RawMessage(`{"mode":  "upsert", "b":1, "a" : [1,2 ,3], "b":2, "s":"Z\u00fcrich ü \u0000"}`),
		Checkpoint: json.RawMessage("{\"offset\":\t1048576,\"rows\":1500}\n"),
		Lease:      bulk.Lease{DueAt: ptr(at(time.Minute)), ClaimedBy: "claim-" + newID(t), Claims: 3},
		Version:    4, UpdatedAt: at(time.Minute),
	}
}

// queuedJob returns a job just created, due at due: no times but its
// creation, no row errors, no checkpoint, no claims.
func queuedJob(id string, due *time.Time) *bulk.Job {
	return &bulk.Job{
		ID: id, Kind: bulk.KindUpdate, State: bulk.StateQueued, CreatedBy: "key_0123456789ab",
		CreatedAt: base, Request: json.RawMessage(`{"customer_ids":["a","b"]}`),
		Lease: bulk.Lease{DueAt: due}, Version: 1, UpdatedAt: base,
	}
}

// finishedJob returns a failed job with the most row errors a job
// carries, finished and no longer due.
func finishedJob(t testing.TB) *bulk.Job {
	j := newJob(t)
	j.Kind, j.State, j.DryRun, j.CancelRequested = bulk.KindCommunication, bulk.StateFailed, false, false
	j.Failure = "the database was unavailable"
	j.Errors = nil
	for i := range bulk.MaxJobErrors {
		j.Errors = append(j.Errors, bulk.RowError{Row: i + 1, CustomerID: newID(t), Field: "email", Message: "has no address"})
	}
	j.ErrorCount = 250
	j.FinishedAt, j.Lease = ptr(at(time.Hour)), bulk.Lease{Claims: 2}
	return j
}

// createJobs stores jobs, failing the test on any error.
func createJobs(t *testing.T, s store.Store, jobs ...*bulk.Job) {
	t.Helper()
	for _, j := range jobs {
		ok(t, "CreateJob", s.CreateJob(t.Context(), j))
	}
}

// mustGetJob reads a job, failing the test on any error.
func mustGetJob(t *testing.T, s store.Store, id string) *bulk.Job {
	t.Helper()
	j, err := s.GetJob(t.Context(), id)
	ok(t, "GetJob", err)
	return j
}

// checkJob compares a job read back with the one stored, its request and
// checkpoint byte for byte (check would accept any JSON of the same value).
func checkJob(t *testing.T, what string, want, got *bulk.Job) {
	t.Helper()
	check(t, what, want, got)
	checkRaw(t, what+": request", want.Request, got.Request)
	checkRaw(t, what+": checkpoint", want.Checkpoint, got.Checkpoint)
}

// checkJobs is checkJob for a list.
func checkJobs(t *testing.T, what string, want, got []bulk.Job) {
	t.Helper()
	check(t, what, want, got)
	if len(want) == len(got) {
		for i := range want {
			checkJob(t, fmt.Sprintf("%s[%d]", what, i), &want[i], &got[i])
		}
	}
}

// checkRaw fails unless got holds exactly the bytes of want, and is nil
// exactly when want is.
func checkRaw(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if (want == nil) != (got == nil) || !bytes.Equal(want, got) {
		t.Errorf("%s: got %q (nil %t), want %q (nil %t)", what, got, got == nil, want, want == nil)
	}
}

// Every field of a job, in every state, comes back as it was stored, by
// GetJob and by LockJob; times as Postgres keeps them.
func testJobRoundTrip(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	zone := time.FixedZone("UTC-7", -7*3600)
	skew := func(t time.Time) time.Time { return t.Add(999 * time.Nanosecond).In(zone) }
	skewed := newJob(t)
	skewed.FinishedAt = ptr(at(time.Hour))
	skewedWant := deepCopy(skewed)
	skewed.CreatedAt, skewed.UpdatedAt = skew(skewed.CreatedAt), skew(skewed.UpdatedAt)
	skewed.StartedAt, skewed.FinishedAt = ptr(skew(*skewed.StartedAt)), ptr(skew(*skewed.FinishedAt))
	skewed.Lease.DueAt = ptr(skew(*skewed.Lease.DueAt))

	for _, tc := range []struct {
		name     string
		in, want *bulk.Job
	}{
		{"running", newJob(t), nil},
		{"queued", queuedJob(newID(t), ptr(base)), nil},
		{"finished", finishedJob(t), nil},
		{"times in another zone with nanoseconds", skewed, skewedWant},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = deepCopy(tc.in)
			}
			createJobs(t, s, tc.in)
			checkJob(t, "GetJob", want, mustGetJob(t, s, tc.in.ID))
			err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
				got, err := tx.LockJob(ctx, tc.in.ID)
				if err == nil {
					checkJob(t, "LockJob", want, got)
				}
				return err
			})
			ok(t, "RunInTx(LockJob)", err)
		})
	}
}

func testJobNotFound(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	createJobs(t, s, newJob(t))
	missing := newJob(t)
	_, err := s.GetJob(ctx, missing.ID)
	wantCode(t, "GetJob of an unknown id", err, crm.CodeNotFound)
	err = s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		_, err := tx.LockJob(ctx, missing.ID)
		return err
	})
	wantCode(t, "LockJob of an unknown id", err, crm.CodeNotFound)
	missing.Version++
	wantCode(t, "UpdateJob of an unknown id", s.UpdateJob(ctx, missing), crm.CodeNotFound)
	_, err = s.GetJob(ctx, missing.ID)
	wantCode(t, "GetJob after a refused update", err, crm.CodeNotFound)
}

func testJobConflict(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	j := newJob(t)
	createJobs(t, s, j)
	dup := finishedJob(t)
	dup.ID = j.ID
	wantCode(t, "CreateJob with a taken id", s.CreateJob(t.Context(), dup), crm.CodeConflict)
	checkJob(t, "job after the refused create", j, mustGetJob(t, s, j.ID))
}

// UpdateJob replaces every field, clearing the optional ones too, over
// the version before; a stale version changes nothing.
func testJobUpdate(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	j := newJob(t)
	createJobs(t, s, j)
	next := finishedJob(t)
	next.ID, next.State, next.Failure = j.ID, bulk.StateSucceeded, ""
	next.StartedAt, next.Checkpoint = nil, json.RawMessage(`[ "done" ]`)
	next.Version = j.Version + 1
	ok(t, "UpdateJob", s.UpdateJob(ctx, next))
	checkJob(t, "updated job", next, mustGetJob(t, s, j.ID))

	back := deepCopy(j)
	back.Version = next.Version + 1
	ok(t, "UpdateJob back", s.UpdateJob(ctx, back))
	checkJob(t, "job updated back", back, mustGetJob(t, s, j.ID))

	for _, version := range []int64{back.Version, back.Version + 2, 1} {
		stale := deepCopy(next)
		stale.Version = version
		wantCode(t, fmt.Sprintf("UpdateJob at version %d over %d", version, back.Version), s.UpdateJob(ctx, stale),
			crm.CodePreconditionFailed)
	}
	checkJob(t, "job after refused updates", back, mustGetJob(t, s, j.ID))
}

// ListJobs pages newest first, by id, whatever the order of creation.
func testListJobs(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	ids := newIDs(t, 5)
	var jobs []*bulk.Job
	for _, i := range []int{2, 0, 4, 1, 3} {
		j := newJob(t)
		j.ID = ids[i]
		jobs = append(jobs, j)
	}
	createJobs(t, s, jobs...)
	var want []bulk.Job
	for _, j := range jobs {
		want = append(want, *j)
	}
	slices.SortFunc(want, func(a, b bulk.Job) int { return strings.Compare(b.ID, a.ID) })

	for _, limit := range []int{0, -1, 100} {
		all, err := s.ListJobs(ctx, "", limit)
		ok(t, "ListJobs", err)
		checkJobs(t, fmt.Sprintf("ListJobs limit %d", limit), want, all)
	}
	checkPages(t, "ListJobs pages", want, func(j *bulk.Job) string { return j.ID }, func(cursor string, limit int) ([]bulk.Job, error) {
		return s.ListJobs(ctx, cursor, limit)
	})
	rest, err := s.ListJobs(ctx, ids[2], 0)
	ok(t, "ListJobs before the middle", err)
	check(t, "ListJobs before the middle", want[3:], rest)
	rest, err = s.ListJobs(ctx, ids[0], 10)
	ok(t, "ListJobs past the oldest", err)
	check(t, "ListJobs past the oldest", []bulk.Job(nil), rest)
}

func testDueJobs(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	now := at(24 * time.Hour)
	ids := newIDs(t, 6)
	// The ties on DueAt get ids in the order opposite to their creation.
	tieB := queuedJob(ids[1], ptr(now.Add(-time.Hour)))
	tieA := queuedJob(ids[0], ptr(now.Add(-time.Hour)))
	oldest := newJob(t)
	oldest.ID, oldest.Lease.DueAt = ids[5], ptr(now.Add(-48*time.Hour))
	exactlyNow := queuedJob(ids[2], ptr(now))
	later := queuedJob(ids[3], ptr(now.Add(time.Microsecond)))
	final := finishedJob(t)
	final.ID = ids[4]
	createJobs(t, s, tieB, tieA, oldest, exactlyNow, later, final)

	all := []bulk.Job{*oldest, *tieA, *tieB, *exactlyNow}
	dueInOrder(t, s, jobQueue, now, all, *later)
}

// claimJobs is what a runner does with the jobs DueJobs gave it: takes
// each over with a lease that ends after now, in the transaction that
// selected it.
func claimJobs(ctx context.Context, tx store.Store, jobs []bulk.Job, runner string, now time.Time) error {
	for i := range jobs {
		j := jobs[i]
		j.Lease = bulk.Lease{DueAt: ptr(now.Add(time.Hour)), ClaimedBy: runner, Claims: j.Lease.Claims + 1}
		j.State, j.Version = bulk.StateRunning, j.Version+1
		if err := tx.UpdateJob(ctx, &j); err != nil {
			return err
		}
	}
	return nil
}

// jobQueue is the jobs as the claim tests drive them.
var jobQueue = claimQueue[bulk.Job]{
	due: func(ctx context.Context, tx store.Store, now time.Time, limit int) ([]bulk.Job, error) {
		return tx.DueJobs(ctx, now, limit)
	},
	claim: claimJobs,
	id:    func(j bulk.Job) string { return j.ID },
}

// Two transactions that select due jobs at once get different ones (see
// skipsLocked).
func testDueJobsSkipLocked(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	now := at(24 * time.Hour)
	ids := newIDs(t, 4)
	for i, id := range ids {
		createJobs(t, s, queuedJob(id, ptr(now.Add(time.Duration(i-10)*time.Minute))))
	}
	skipsLocked(t, s, jobQueue, now, ids)
}

// Runners draining the queue at once each claim what they select: every
// due job is claimed exactly once, and no claim fails.
func testDueJobsDrainedOnce(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	now := at(24 * time.Hour)
	const n = 30
	var want []string
	for i := range n {
		j := queuedJob(newID(t), ptr(now.Add(-time.Duration(i%5)*time.Minute)))
		createJobs(t, s, j)
		want = append(want, j.ID)
	}
	drainedOnce(t, s, jobQueue, now, want)
}

// rowErrors returns n row errors, the i-th of them naming row from+i+1.
func rowErrors(t testing.TB, from, n int) []bulk.RowError {
	errs := make([]bulk.RowError, n)
	for i := range errs {
		errs[i] = bulk.RowError{Row: from + i + 1, Message: fmt.Sprintf("error %d: \"ü\"\n", from+i+1)}
		if i%2 == 1 {
			errs[i].CustomerID, errs[i].Field = newID(t), "billing_address.city"
		}
	}
	return errs
}

// Row errors are written in batches numbered from the job's ErrorCount
// before them, all or none, and read back in order from any number.
func testJobErrors(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	j, other := newJob(t), newJob(t)
	createJobs(t, s, j, other)
	insert := func(jobID string, seq int, errs []bulk.RowError) error {
		return s.InsertJobErrors(ctx, jobID, seq, errs)
	}
	list := func(jobID string, afterSeq, limit int) []bulk.RowError {
		t.Helper()
		got, err := s.ListJobErrors(ctx, jobID, afterSeq, limit)
		ok(t, "ListJobErrors", err)
		return got
	}

	all := rowErrors(t, 0, 5)
	ok(t, "InsertJobErrors of the first batch", insert(j.ID, 0, all[:3]))
	ok(t, "InsertJobErrors of the second batch", insert(j.ID, 3, all[3:]))
	ok(t, "InsertJobErrors of no errors", insert(j.ID, 5, nil))
	// The numbers are the job's own: another job's start at 0 too.
	othersErrs := rowErrors(t, 100, 2)
	ok(t, "InsertJobErrors of another job", insert(other.ID, 0, othersErrs))

	for _, tc := range []struct {
		name string
		seq  int
		errs []bulk.RowError
	}{
		{"the first batch again", 0, all[:3]},
		{"the second batch again", 3, all[3:]},
		{"a batch overlapping the last error", 4, rowErrors(t, 4, 3)},
		{"a batch overlapping the first error", -1, rowErrors(t, 0, 2)},
	} {
		wantCode(t, "InsertJobErrors of "+tc.name, insert(j.ID, tc.seq, tc.errs), crm.CodeConflict)
	}
	wantCode(t, "InsertJobErrors of an unknown job", insert(newID(t), 0, rowErrors(t, 0, 1)), crm.CodeNotFound)
	check(t, "errors after refused batches", all, list(j.ID, 0, 0))

	for _, tc := range []struct {
		name            string
		afterSeq, limit int
		want            []bulk.RowError
	}{
		{"all", 0, 0, all},
		{"all, limit past the end", 0, 100, all},
		{"first two", 0, 2, all[:2]},
		{"after two", 2, 0, all[2:]},
		{"after two, limit 2", 2, 2, all[2:4]},
		{"after the last", 5, 10, nil},
	} {
		check(t, "ListJobErrors "+tc.name, tc.want, list(j.ID, tc.afterSeq, tc.limit))
	}
	for _, limit := range []int{1, 2, 4} {
		var got []bulk.RowError
		for after := 0; ; after += limit {
			page := list(j.ID, after, limit)
			got = append(got, page...)
			if len(page) < limit {
				break
			}
		}
		check(t, fmt.Sprintf("ListJobErrors in pages of %d", limit), all, got)
	}
	check(t, "ListJobErrors of another job", othersErrs, list(other.ID, 0, 0))
	check(t, "ListJobErrors of an unknown job", []bulk.RowError(nil), list(newID(t), 0, 0))

	// The refused overlapping batch wrote none of its new numbers, and a
	// batch as large as a runner writes lands whole.
	big := rowErrors(t, 5, 1000)
	ok(t, "InsertJobErrors of 1000 errors", insert(j.ID, 5, big))
	check(t, "errors after the large batch", append(slices.Clone(all), big...), list(j.ID, 0, 0))
}

// Input chunks are stored, read back whole and deleted by job.
func testJobInput(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	j, other := newJob(t), newJob(t)
	createJobs(t, s, j, other)
	header := []byte("name,email\n")
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	ok(t, "PutJobInput 0", s.PutJobInput(ctx, j.ID, 0, header))
	ok(t, "PutJobInput 1 (1 MiB)", s.PutJobInput(ctx, j.ID, 1, big))
	ok(t, "PutJobInput of another job", s.PutJobInput(ctx, other.ID, 0, []byte("other")))
	wantCode(t, "PutJobInput of a stored chunk", s.PutJobInput(ctx, j.ID, 1, []byte("again")), crm.CodeConflict)
	wantCode(t, "PutJobInput of an unknown job", s.PutJobInput(ctx, newID(t), 0, header), crm.CodeNotFound)

	chunk := func(jobID string, seq int) []byte {
		t.Helper()
		data, err := s.GetJobInput(ctx, jobID, seq)
		ok(t, fmt.Sprintf("GetJobInput %d", seq), err)
		return data
	}
	checkRaw(t, "chunk 0", header, chunk(j.ID, 0))
	checkRaw(t, "chunk 1", big, chunk(j.ID, 1))
	_, err := s.GetJobInput(ctx, j.ID, 2)
	wantCode(t, "GetJobInput past the last", err, crm.CodeNotFound)
	_, err = s.GetJobInput(ctx, newID(t), 0)
	wantCode(t, "GetJobInput of an unknown job", err, crm.CodeNotFound)

	ok(t, "DeleteJobInput", s.DeleteJobInput(ctx, j.ID))
	for seq := range 2 {
		_, err = s.GetJobInput(ctx, j.ID, seq)
		wantCode(t, fmt.Sprintf("GetJobInput %d after delete", seq), err, crm.CodeNotFound)
	}
	checkRaw(t, "chunk of another job after delete", []byte("other"), chunk(other.ID, 0))
	ok(t, "DeleteJobInput again", s.DeleteJobInput(ctx, j.ID))
	ok(t, "DeleteJobInput of an unknown job", s.DeleteJobInput(ctx, newID(t)))
	ok(t, "PutJobInput after delete", s.PutJobInput(ctx, j.ID, 0, big[:10]))
	checkRaw(t, "chunk 0 after delete", big[:10], chunk(j.ID, 0))
}

// A failing transaction leaves no job, row error or input chunk it wrote,
// and restores what it changed or deleted.
func testJobRollback(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	kept := newJob(t)
	createJobs(t, s, kept)
	ok(t, "PutJobInput", s.PutJobInput(ctx, kept.ID, 0, []byte("kept")))
	added := queuedJob(newID(t), ptr(base))
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateJob in tx", tx.CreateJob(ctx, added))
		ok(t, "PutJobInput of the new job in tx", tx.PutJobInput(ctx, added.ID, 0, []byte("added")))
		ok(t, "InsertJobErrors of the new job in tx", tx.InsertJobErrors(ctx, added.ID, 0, rowErrors(t, 0, 2)))
		u := finishedJob(t)
		u.ID, u.Version = kept.ID, kept.Version+1
		ok(t, "UpdateJob in tx", tx.UpdateJob(ctx, u))
		ok(t, "InsertJobErrors in tx", tx.InsertJobErrors(ctx, kept.ID, 0, rowErrors(t, 0, 3)))
		ok(t, "DeleteJobInput in tx", tx.DeleteJobInput(ctx, kept.ID))
		ok(t, "PutJobInput 0 in tx", tx.PutJobInput(ctx, kept.ID, 0, []byte("replaced")))
		ok(t, "PutJobInput 1 in tx", tx.PutJobInput(ctx, kept.ID, 1, []byte("more")))
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	_, err = s.GetJob(ctx, added.ID)
	wantCode(t, "GetJob of a rolled-back job", err, crm.CodeNotFound)
	jobs, err := s.ListJobs(ctx, "", 0)
	ok(t, "ListJobs", err)
	checkJobs(t, "jobs after rollback", []bulk.Job{*kept}, jobs)
	for _, id := range []string{kept.ID, added.ID} {
		errs, err := s.ListJobErrors(ctx, id, 0, 0)
		ok(t, "ListJobErrors", err)
		check(t, "row errors after rollback", []bulk.RowError(nil), errs)
	}
	data, err := s.GetJobInput(ctx, kept.ID, 0)
	ok(t, "GetJobInput", err)
	checkRaw(t, "input after rollback", []byte("kept"), data)
	_, err = s.GetJobInput(ctx, kept.ID, 1)
	wantCode(t, "GetJobInput of a rolled-back chunk", err, crm.CodeNotFound)
	_, err = s.GetJobInput(ctx, added.ID, 0)
	wantCode(t, "GetJobInput of a rolled-back job", err, crm.CodeNotFound)
	// The rolled-back job's id is free again.
	createJobs(t, s, added)
}

// scribbleJob changes every part of j that a shallow copy would share
// with the store.
func scribbleJob(j *bulk.Job) {
	j.State = "scribbled"
	j.Errors[0].Message = "scribbled"
	*j.StartedAt, *j.FinishedAt, *j.Lease.DueAt = time.Time{}, time.Time{}, time.Time{}
	j.Request[0], j.Checkpoint[0] = 'X', 'X'
}

// Neither the values passed to the writes nor the ones returned by any
// read share memory with what is stored.
func testJobAliasing(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	in := newJob(t)
	in.FinishedAt = ptr(at(time.Hour))
	want := deepCopy(in)
	createJobs(t, s, in)
	scribbleJob(in)
	checkJob(t, "after changing the input", want, mustGetJob(t, s, want.ID))

	scribbleJob(mustGetJob(t, s, want.ID))
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		locked, err := tx.LockJob(ctx, want.ID)
		if err == nil {
			scribbleJob(locked)
		}
		return err
	})
	ok(t, "RunInTx(LockJob)", err)
	for _, read := range []func() ([]bulk.Job, error){
		func() ([]bulk.Job, error) { return s.ListJobs(ctx, "", 0) },
		func() ([]bulk.Job, error) { return s.DueJobs(ctx, at(time.Hour), 0) },
	} {
		jobs, err := read()
		ok(t, "read", err)
		checkJobs(t, "read", []bulk.Job{*want}, jobs)
		scribbleJob(&jobs[0])
	}
	checkJob(t, "after changing what Get, Lock, List and Due returned", want, mustGetJob(t, s, want.ID))

	up := deepCopy(want)
	up.Version++
	want = deepCopy(up)
	ok(t, "UpdateJob", s.UpdateJob(ctx, up))
	scribbleJob(up)
	checkJob(t, "after changing the update", want, mustGetJob(t, s, want.ID))

	errs := rowErrors(t, 0, 2)
	wantErrs := slices.Clone(errs)
	ok(t, "InsertJobErrors", s.InsertJobErrors(ctx, want.ID, 0, errs))
	errs[0].Message = "scribbled"
	got, err := s.ListJobErrors(ctx, want.ID, 0, 0)
	ok(t, "ListJobErrors", err)
	got[1].Message = "scribbled"
	got, err = s.ListJobErrors(ctx, want.ID, 0, 0)
	ok(t, "ListJobErrors", err)
	check(t, "row errors after changing the input and a read", wantErrs, got)

	data := []byte("name,email\n")
	ok(t, "PutJobInput", s.PutJobInput(ctx, want.ID, 0, data))
	data[0] = 'X'
	read, err := s.GetJobInput(ctx, want.ID, 0)
	ok(t, "GetJobInput", err)
	read[1] = 'X'
	read, err = s.GetJobInput(ctx, want.ID, 0)
	ok(t, "GetJobInput", err)
	checkRaw(t, "input after changing the input and a read", []byte("name,email\n"), read)
}
