package bulk_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// fiveRows is a CSV of five customers, the third with a bad email.
var fiveRows = csvHeader + csvRow(1, "a@example.com") + csvRow(2, "b@example.com") + csvRow(3, "not-an-email") +
	csvRow(4, "d@example.com") + csvRow(5, "e@example.com")

// TestImportPartialFailure: valid rows land, an invalid one is a row
// error naming its row and field, in batches of two.
func TestImportPartialFailure(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		j := f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, fiveRows)
		if j.State != bulk.StateQueued || j.Progress.Total != 5 || j.Kind != bulk.KindImport || j.CreatedBy != "key-admin" {
			t.Fatalf("submitted %+v", j)
		}
		j = f.drain(t, f.svc, j.ID)
		want := bulk.Counts{Created: 4, Failed: 1}
		if j.State != bulk.StateSucceeded || j.Counts != want || j.Progress != (bulk.Progress{Processed: 5, Total: 5}) {
			t.Fatalf("job %s counts %+v progress %+v", j.State, j.Counts, j.Progress)
		}
		if diff := cmp.Diff([]bulk.RowError{{Row: 3, Field: "email", Message: "must be a valid email address"}}, j.Errors); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
		if n := f.count(t); n != 4 {
			t.Errorf("%d customers, want 4", n)
		}
		var b strings.Builder
		if err := f.svc.WriteErrorsCSV(ctx(t), j.ID, &b); err != nil {
			t.Fatal(err)
		}
		if want := "row,customer_id,field,message\n3,,email,must be a valid email address\n"; b.String() != want {
			t.Errorf("errors CSV %q, want %q", b.String(), want)
		}
		if _, err := st.GetJobInput(t.Context(), j.ID, 0); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("the input of a finished job is kept: %v", err)
		}
	})
}

// TestImportDryRun counts exactly as the real run and writes nothing.
func TestImportDryRun(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		// The fourth row repeats the first's email: a real run refuses it
		// as a duplicate, and so must the dry run.
		body := fiveRows[:strings.LastIndex(fiveRows, csvRow(4, "d@example.com"))] + csvRow(4, "a@example.com") + csvRow(5, "e@example.com")
		dry := f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV, DryRun: true}, body).ID)
		if n := f.count(t); n != 0 {
			t.Fatalf("a dry run created %d customers", n)
		}
		events, err := st.ListEvents(t.Context(), "", 100)
		if err != nil || len(events) != 0 {
			t.Fatalf("a dry run wrote %d events (%v)", len(events), err)
		}
		real := f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, body).ID)
		if !dry.DryRun || dry.Counts != real.Counts || dry.Counts != (bulk.Counts{Created: 3, Failed: 2}) {
			t.Errorf("dry run counts %+v, real %+v, want both created 3 failed 2", dry.Counts, real.Counts)
		}
		if diff := cmp.Diff(real.Errors, dry.Errors); diff != "" {
			t.Errorf("dry run errors differ (-real +dry):\n%s", diff)
		}
	})
}

// TestImportUpsert matches rows by external_id, else by email.
func TestImportUpsert(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV},
			csvHeader+csvRow(1, "a@example.com")+csvRow(2, "b@example.com")+csvRow(3, "c@example.com")).ID)
		rows := strings.Join([]string{
			`{"external_id": "ext-b", "name": "Renamed By External Id"}`, // customer 1 (ext-b)
			`{"email": "b@example.com", "notes": "matched by email"}`,    // customer 2 (no external id given)
			`{"external_id": "ext-d", "notes": "unchanged"}`,             // customer 3, notes set below
			`{"name": "New One", "email": "n@example.com", "phone": "+12125550999", "customer_type": "residential",
			  "billing_address": {"street": "2 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}}`,
			`{"external_id": "ext-z", "email": "bad"}`,
		}, "\n")
		rows = strings.ReplaceAll(rows, "\n\t\t\t  ", " ")
		// Make the third row a no-op.
		c3, err := st.GetCustomerByExternalID(t.Context(), "ext-d")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.customers.Update(ctx(t), c3.ID, 0, func(in *customer.Input) error { in.Notes = "unchanged"; return nil }); err != nil {
			t.Fatal(err)
		}
		j := f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportUpsert, Format: bulk.FormatNDJSON}, rows).ID)
		if want := (bulk.Counts{Created: 1, Updated: 2, Unchanged: 1, Failed: 1}); j.Counts != want {
			t.Fatalf("counts %+v, want %+v; errors %+v", j.Counts, want, j.Errors)
		}
		c1, err := st.GetCustomerByExternalID(t.Context(), "ext-b")
		if err != nil || c1.Name != "Renamed By External Id" || c1.Email != "a@example.com" {
			t.Errorf("by external_id: %+v (%v)", c1, err)
		}
		c2, err := st.GetCustomerByEmail(t.Context(), "b@example.com")
		if err != nil || c2.Notes != "matched by email" {
			t.Errorf("by email: %+v (%v)", c2, err)
		}
		named := false
		for _, e := range j.Errors {
			if e.Row != 5 {
				t.Errorf("error of row %d: %+v", e.Row, e)
			}
			named = named || e.Field == "email"
		}
		if !named {
			t.Errorf("errors %+v do not name email", j.Errors)
		}
	})
}

// TestImportRefusedWhole: a bad header or unparsable input is refused
// before anything is stored.
func TestImportRefusedWhole(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		for _, tc := range []struct {
			name   string
			req    bulk.ImportRequest
			body   string
			fields []string
		}{
			{"unknown header", bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, "name,favourite_colour\nAda,blue\n", nil},
			{"broken quote", bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, csvHeader + "\"Ada,\n", nil},
			{"not an array", bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatJSON}, `{"name": "Ada"}`, nil},
			{"bad mode and format", bulk.ImportRequest{Mode: "merge", Format: "xml"}, "", []string{"mode", "format"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.SubmitImport(ctx(t), tc.req, strings.NewReader(tc.body))
				if crm.ErrorCode(err) != crm.CodeInvalid {
					t.Fatalf("error %v, want invalid", err)
				}
				for _, fe := range tc.fields {
					if !strings.Contains(err.Error(), fe) {
						t.Errorf("%v does not name %s", err, fe)
					}
				}
			})
		}
		if jobs, err := f.svc.List(ctx(t), "", 0); err != nil || len(jobs.Items) != 0 {
			t.Errorf("refused imports left %d jobs (%v)", len(jobs.Items), err)
		}
	})
}

// TestImportJSONArray imports a JSON array in batches, resuming the array
// between them.
func TestImportJSONArray(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		var objs []string
		for i, e := range []string{"a", "b", "c", "d", "e"} {
			objs = append(objs, `{"name": "Json `+e+`", "email": "`+e+`@example.com", "phone": "+121255501`+string(rune('0'+i))+`0",
				"customer_type": "residential", "billing_address": {"street": "1 Main St", "city": "Springfield",
				"state": "IL", "postal_code": "62701", "country": "US"}}`)
		}
		j := f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatJSON},
			"[\n"+strings.Join(objs, " ,\n ")+"\n]").ID)
		if j.Counts != (bulk.Counts{Created: 5}) || j.State != bulk.StateSucceeded {
			t.Fatalf("json array: %s %+v %+v", j.State, j.Counts, j.Errors)
		}
	})
}

// TestTwoRunnersRace: two servers' runners reach for one job; one runs it.
func TestTwoRunnersRace(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		other := f.newService(store.Tx[bulk.Repository](st))
		j := f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, fiveRows)
		var wg sync.WaitGroup
		claims := make([]int, 2)
		for i, svc := range []*bulk.Service{f.svc, other} {
			wg.Go(func() {
				n, err := svc.ProcessDue(ctx(t))
				if err != nil {
					t.Errorf("ProcessDue: %v", err)
				}
				claims[i] = n
			})
		}
		wg.Wait()
		if claims[0]+claims[1] != 1 {
			t.Fatalf("claims %v, want one in all", claims)
		}
		got, err := f.svc.Get(ctx(t), j.ID)
		if err != nil || got.Counts != (bulk.Counts{Created: 4, Failed: 1}) || got.Lease.Claims != 1 {
			t.Fatalf("after the race: %+v (%v)", got, err)
		}
	})
}

// crashAfter is a transaction runner that ends the runner's context once
// a transaction that stored a job with progress rows has committed: the
// server dies right after committing that batch.
func crashAfter(st store.Store, rows int, cancel context.CancelFunc) crm.TxFunc[bulk.Repository] {
	return func(ctx context.Context, fn func(ctx context.Context, r bulk.Repository) error) error {
		c := &crashing{rows: rows}
		err := st.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
			c.Store = tx
			return fn(ctx, c)
		})
		if err == nil && c.reached {
			cancel()
		}
		return err
	}
}

// crashing notes whether it stored a job at the progress.
type crashing struct {
	store.Store
	rows    int
	reached bool
}

func (c *crashing) UpdateJob(ctx context.Context, j *bulk.Job) error {
	if err := c.Store.UpdateJob(ctx, j); err != nil {
		return err
	}
	c.reached = c.reached || j.Progress.Processed >= c.rows
	return nil
}

// TestImportResumesAfterCrash: a server dies after its first batch; after
// the lease another server resumes at the next row, and nothing is done
// twice.
func TestImportResumesAfterCrash(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		j := f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, fiveRows)
		dying, cancel := context.WithCancel(ctx(t))
		crashed := f.newService(crashAfter(st, 2, cancel))
		if _, err := crashed.ProcessDue(dying); err != nil {
			t.Fatalf("ProcessDue: %v", err)
		}
		mid, err := f.svc.Get(ctx(t), j.ID)
		if err != nil || mid.State != bulk.StateRunning || mid.Progress.Processed != 2 || f.count(t) != 2 {
			t.Fatalf("after the crash: %+v, %d customers (%v)", mid, f.count(t), err)
		}
		// Within the lease nobody takes it; after it, the other server does.
		if n, _ := f.svc.ProcessDue(ctx(t)); n != 0 {
			t.Fatalf("claimed %d within the lease", n)
		}
		f.clock.Add(bulk.DefaultLease)
		done := f.drain(t, f.svc, j.ID)
		if done.State != bulk.StateSucceeded || done.Counts != (bulk.Counts{Created: 4, Failed: 1}) ||
			done.Progress.Processed != 5 || done.Lease.Claims != 2 || f.count(t) != 4 {
			t.Fatalf("after the resume: %s %+v %+v claims %d, %d customers", done.State, done.Counts, done.Progress, done.Lease.Claims, f.count(t))
		}
	})
}

// TestCancel: a queued job is cancelled at once; a running one at its
// next batch, keeping what its committed batches did; a final one is a
// conflict.
func TestCancel(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		queued := f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, fiveRows)
		got, err := f.svc.Cancel(ctx(t), queued.ID)
		if err != nil || got.State != bulk.StateCancelled || got.FinishedAt == nil {
			t.Fatalf("cancel queued: %+v (%v)", got, err)
		}
		_, err = f.svc.Cancel(ctx(t), queued.ID)
		if crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("cancel a cancelled job: %v", err)
		}
		if n, _ := f.svc.ProcessDue(ctx(t)); n != 0 {
			t.Fatalf("a cancelled job was claimed")
		}

		running := f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, fiveRows)
		dying, cancel := context.WithCancel(ctx(t))
		if _, err := f.newService(crashAfter(st, 2, cancel)).ProcessDue(dying); err != nil {
			t.Fatal(err)
		}
		got, err = f.svc.Cancel(ctx(t), running.ID)
		if err != nil || got.State != bulk.StateRunning || !got.CancelRequested {
			t.Fatalf("cancel running: %+v (%v)", got, err)
		}
		f.clock.Add(bulk.DefaultLease)
		done := f.drain(t, f.svc, running.ID)
		if done.State != bulk.StateCancelled || done.Progress.Processed != 2 || f.count(t) != 2 {
			t.Fatalf("after cancel: %s %+v, %d customers", done.State, done.Progress, f.count(t))
		}
	})
}
