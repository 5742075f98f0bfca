package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestBulkImportCSV imports a CSV with one bad row: 202 with Location and
// the queued job; the runner lands the valid rows; the job tells its
// counts and row errors, and its errors CSV lists them.
func TestBulkImportCSV(t *testing.T) { runOnStores(t, testBulkImportCSV) }

func testBulkImportCSV(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	r := e.do(importReq("", "text/csv; charset=utf-8", []byte(fiveImportRows))).want(t, 202)
	matchSchema(t, doc, "Job", r.body)
	var j jobResp
	r.decode(t, &j)
	if loc := r.header.Get("Location"); loc != "/api/v1/jobs/"+j.ID {
		t.Errorf("Location = %q", loc)
	}
	want := jobResp{ID: j.ID, Kind: "import", State: "queued", Progress: bulk.Progress{Total: 5}, Errors: []bulk.RowError{},
		CreatedBy: j.CreatedBy, ResultURL: "/api/v1/jobs/" + j.ID + "/errors"}
	if diff := cmp.Diff(want, j); diff != "" || j.CreatedBy == "" {
		t.Errorf("queued job (-want +got):\n%s", diff)
	}

	e.runJobs()
	r = e.do(req{method: "GET", path: "/api/v1/jobs/" + j.ID, key: adminKey}).want(t, 200)
	matchSchema(t, doc, "Job", r.body)
	r.decode(t, &j)
	if j.State != "succeeded" || j.Counts != (bulk.Counts{Created: 4, Failed: 1}) || j.Progress != (bulk.Progress{Processed: 5, Total: 5}) ||
		j.ErrorCount != 1 || j.FinishedAt == nil {
		t.Errorf("finished job %+v", j)
	}
	if diff := cmp.Diff([]bulk.RowError{{Row: 3, Field: "email", Message: "must be a valid email address"}}, j.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	emails := e.customerEmails()
	slices.Sort(emails)
	if diff := cmp.Diff([]string{"a@example.com", "b@example.com", "d@example.com", "e@example.com"}, emails); diff != "" {
		t.Errorf("customers (-want +got):\n%s", diff)
	}

	r = e.do(req{method: "GET", path: j.ResultURL, key: adminKey}).want(t, 200)
	for name, want := range map[string]string{
		"Content-Type":        "text/csv; charset=utf-8",
		"Content-Disposition": `attachment; filename="job-` + j.ID + `-errors.csv"`,
		"Cache-Control":       "no-store",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if want := "row,customer_id,field,message\n3,,email,must be a valid email address\n"; string(r.body) != want {
		t.Errorf("errors CSV %q, want %q", r.body, want)
	}
}

// TestBulkImportFormats imports the same two customers as JSON, NDJSON
// and multipart forms (the file's format from its part's Content-Type,
// else its name).
func TestBulkImportFormats(t *testing.T) { runOnStores(t, testBulkImportFormats) }

func testBulkImportFormats(t *testing.T, e *env) {
	rows := func(n int) []map[string]any {
		return []map[string]any{
			customerBody(map[string]any{"email": "one" + string(rune('0'+n)) + "@example.com", "phone": "+1212555010" + string(rune('0'+n))}),
			customerBody(map[string]any{"email": "two" + string(rune('0'+n)) + "@example.com", "phone": "+1212555020" + string(rune('0'+n))}),
		}
	}
	jsonBody := func(n int) []byte { b, _ := json.Marshal(rows(n)); return b }
	ndjsonBody := func(n int) []byte {
		var b []byte
		for _, r := range rows(n) {
			line, _ := json.Marshal(r)
			b = append(append(b, line...), '\n')
		}
		return b
	}
	csvBody := func(n int) []byte {
		return []byte(importHeader + importRow(n, "one"+string(rune('0'+n))+"@example.com") + importRow(n+10, "two"+string(rune('0'+n))+"@example.com"))
	}
	form := func(p formPart) func(t *testing.T) req {
		return func(t *testing.T) req {
			body, ct := importForm(t, p)
			return importReq("", ct, body)
		}
	}
	tests := []struct {
		name string
		req  func(t *testing.T) req
	}{
		{"json", func(*testing.T) req { return importReq("", "application/json", jsonBody(1)) }},
		{"ndjson", func(*testing.T) req { return importReq("", "application/x-ndjson", ndjsonBody(2)) }},
		{"form, csv by type", form(formPart{name: "file", filename: "customers.txt", contentType: "text/csv", content: csvBody(3)})},
		{"form, json by type", form(formPart{name: "file", contentType: "application/json", content: jsonBody(4)})},
		{"form, ndjson by name", form(formPart{name: "file", filename: "customers.jsonl", contentType: "application/octet-stream", content: ndjsonBody(5)})},
		{"form, csv by name", form(formPart{name: "file", filename: "Customers.CSV", content: csvBody(6)})},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var j jobResp
			e.do(tt.req(t)).want(t, 202).decode(t, &j)
			e.runJobs()
			j = e.job(j.ID)
			if j.State != "succeeded" || j.Counts != (bulk.Counts{Created: 2}) || j.ErrorCount != 0 {
				t.Errorf("job %+v", j)
			}
			if n := len(e.customerEmails()); n != 2*(i+1) {
				t.Errorf("%d customers, want %d", n, 2*(i+1))
			}
		})
	}
}

// TestBulkImportDryRun counts exactly as the real run and writes nothing.
func TestBulkImportDryRun(t *testing.T) { runOnStores(t, testBulkImportDryRun) }

func testBulkImportDryRun(t *testing.T, e *env) {
	dry := e.submitCSV("?dry_run=true", fiveImportRows)
	e.runJobs()
	dry = e.job(dry.ID)
	if emails := e.customerEmails(); len(emails) != 0 {
		t.Fatalf("a dry run created %v", emails)
	}
	real := e.submitCSV("?dry_run=false", fiveImportRows)
	e.runJobs()
	real = e.job(real.ID)
	if !dry.DryRun || real.DryRun || dry.State != "succeeded" || dry.Counts != real.Counts || dry.Counts != (bulk.Counts{Created: 4, Failed: 1}) ||
		dry.Progress != real.Progress {
		t.Errorf("dry run %+v, real %+v", dry, real)
	}
	if diff := cmp.Diff(real.Errors, dry.Errors); diff != "" {
		t.Errorf("dry run errors (-real +dry):\n%s", diff)
	}
	if n := len(e.customerEmails()); n != 4 {
		t.Errorf("%d customers after the real run, want 4", n)
	}
}

// TestBulkImportUpsert updates the customer a row matches by email and
// creates the one no customer matches.
func TestBulkImportUpsert(t *testing.T) { runOnStores(t, testBulkImportUpsert) }

func testBulkImportUpsert(t *testing.T, e *env) {
	ada := e.createCustomer(map[string]any{"email": "a@example.com"})
	j := e.submitCSV("?mode=upsert", importHeader+importRow(1, "a@example.com")+importRow(2, "b@example.com"))
	e.runJobs()
	if j = e.job(j.ID); j.State != "succeeded" || j.Counts != (bulk.Counts{Created: 1, Updated: 1}) {
		t.Errorf("job %+v", j)
	}
	var got struct {
		Name       string `json:"name"`
		ExternalID string `json:"external_id"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + ada.ID, key: adminKey}).want(t, 200).decode(t, &got)
	if got.Name != "Customer A" || got.ExternalID != "ext-1" {
		t.Errorf("the matched customer after the upsert: %+v", got)
	}
	if n := len(e.customerEmails()); n != 2 {
		t.Errorf("%d customers, want 2", n)
	}
}

// TestBulkImportRefused checks the requests refused before any job is
// queued: an unknown CSV header (400 naming it), bad parameters, types
// and forms, and other roles than admin.
func TestBulkImportRefused(t *testing.T) { runOnStores(t, testBulkImportRefused) }

func testBulkImportRefused(t *testing.T, e *env) {
	csv := []byte(fiveImportRows)
	form := func(parts ...formPart) req {
		body, ct := importForm(t, parts...)
		return importReq("", ct, body)
	}
	file := formPart{name: "file", filename: "customers.csv", contentType: "text/csv", content: csv}
	tests := []struct {
		name   string
		r      req
		status int
		fields []string
	}{
		{"unknown header", importReq("", "text/csv", []byte("name,email,nickname\nAda,a@example.com,ada\n")), 400, []string{"nickname"}},
		{"unknown header in a form", form(formPart{name: "file", filename: "c.csv", content: []byte("name,shoe_size\n")}), 400, []string{"shoe_size"}},
		{"unknown mode", importReq("?mode=merge", "text/csv", csv), 400, []string{"mode"}},
		{"bad dry_run", importReq("?dry_run=maybe", "text/csv", csv), 400, []string{"dry_run"}},
		{"unknown parameter", importReq("?format=csv", "text/csv", csv), 400, []string{"format"}},
		{"malformed JSON", importReq("", "application/json", []byte(`{"name":`)), 400, nil},
		{"empty body", importReq("", "text/csv", nil), 400, nil},
		{"unknown type", importReq("", "text/plain", csv), 415, nil},
		{"no type", importReq("", "", csv), 415, nil},
		{"latin-1", importReq("", "text/csv; charset=iso-8859-1", csv), 415, nil},
		{"form without a file", form(formPart{name: "notes", content: []byte("x")}), 400, []string{"notes"}},
		{"empty form", form(), 400, []string{"file"}},
		{"form with a part after the file", form(file, formPart{name: "notes", content: []byte("x")}), 400, []string{"notes"}},
		{"form with two files", form(file, file), 400, []string{"file"}},
		{"form file of an unknown type", form(formPart{name: "file", filename: "customers.xlsx", contentType: "application/vnd.ms-excel", content: csv}), 415, nil},
		{"agent", func() req { r := importReq("", "text/csv", csv); r.key = agentKey; return r }(), 403, nil},
		{"viewer", func() req { r := importReq("", "text/csv", csv); r.key = viewerKey; return r }(), 403, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.r.header["Content-Type"] == "" {
				tt.r.header["Content-Type"] = "" // serve deletes it
			}
			p := e.do(tt.r).want(t, tt.status).problem(t)
			if tt.fields != nil {
				if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
					t.Errorf("problem fields (-want +got):\n%s\n%+v", diff, p)
				}
			}
		})
	}
	if jobs := e.jobs(); len(jobs) != 0 {
		t.Errorf("refused imports left jobs: %+v", jobs)
	}
	for _, key := range []string{agentKey, viewerKey} {
		e.do(req{method: "GET", path: "/api/v1/jobs", key: key}).want(t, 403)
	}
}

// TestBulkImportTooLarge checks MaxImportBytes: a body past it is 413,
// sent as the file or as a form, and leaves no job.
func TestBulkImportTooLarge(t *testing.T) {
	teststore.Run(t, func(t *testing.T, s store.Store) {
		e := newEnvOn(t, s, func(c *httpapi.Config) { c.MaxImportBytes = 400 })
		small := importHeader + importRow(1, "a@example.com")
		e.submitCSV("", small)
		big := small + strings.Repeat(importRow(2, "b@example.com"), 5)
		body, ct := importForm(t, formPart{name: "file", filename: "c.csv", content: []byte(big)})
		for name, r := range map[string]req{
			"csv":  importReq("", "text/csv", []byte(big)),
			"json": importReq("", "application/json", []byte(`[`+strings.Repeat(`{"name":"Ada Lovelace"},`, 20)+`{}]`)),
			"form": importReq("", ct, body),
		} {
			t.Run(name, func(t *testing.T) {
				if p := e.do(r).want(t, 413).problem(t); p.Code != "payload_too_large" {
					t.Errorf("problem %+v", p)
				}
			})
		}
		if jobs := e.jobs(); len(jobs) != 1 {
			t.Errorf("%d jobs, want the small import's alone", len(jobs))
		}
	})
}

// TestBulkImportIdempotency checks Idempotency-Key on the import: a retry
// (a form again with another boundary) replays the first 202 and queues
// no second job; another file or another query under the key is 422; a
// refused import leaves the key free.
func TestBulkImportIdempotency(t *testing.T) { runOnStores(t, testBulkImportIdempotency) }

func testBulkImportIdempotency(t *testing.T, e *env) {
	withKey := func(r req, key string) req {
		r.header["Idempotency-Key"] = key
		return r
	}
	first := e.do(withKey(importReq("", "text/csv", []byte(fiveImportRows)), "k-import")).want(t, 202)
	again := e.do(withKey(importReq("", "text/csv", []byte(fiveImportRows)), "k-import")).want(t, 202)
	if again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(first.body) ||
		again.header.Get("Location") != first.header.Get("Location") || again.header.Get("Content-Type") != "application/json" {
		t.Errorf("retry: replayed %q, Location %q, body %s; want the first response %s", again.header.Get("Idempotent-Replayed"),
			again.header.Get("Location"), again.body, first.body)
	}
	for name, r := range map[string]req{
		"another file":  importReq("", "text/csv", []byte(importHeader+importRow(1, "a@example.com"))),
		"another query": importReq("?dry_run=true", "text/csv", []byte(fiveImportRows)),
		"another type":  importReq("", "application/x-ndjson", []byte(fiveImportRows)),
	} {
		t.Run(name, func(t *testing.T) {
			if p := e.do(withKey(r, "k-import")).want(t, 422).problem(t); p.Code != "idempotency_mismatch" {
				t.Errorf("problem %+v", p)
			}
		})
	}

	file := formPart{name: "file", filename: "customers.csv", content: []byte(fiveImportRows)}
	body, ct := importForm(t, file)
	formFirst := e.do(withKey(importReq("", ct, body), "k-form")).want(t, 202)
	body, ct = importForm(t, file)
	formAgain := e.do(withKey(importReq("", ct, body), "k-form")).want(t, 202)
	if formAgain.header.Get("Idempotent-Replayed") != "true" || string(formAgain.body) != string(formFirst.body) {
		t.Errorf("form retry: replayed %q, body %s; want %s", formAgain.header.Get("Idempotent-Replayed"), formAgain.body, formFirst.body)
	}

	// A refused import does not use the key up: fixed, it goes through.
	e.do(withKey(importReq("", "text/csv", []byte("name,nickname\n")), "k-fix")).want(t, 400)
	fixed := e.do(withKey(importReq("", "text/csv", []byte(fiveImportRows)), "k-fix")).want(t, 202)
	if fixed.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("the fixed import was replayed")
	}

	if jobs := e.jobs(); len(jobs) != 3 {
		t.Errorf("%d jobs, want 3 (one per key)", len(jobs))
	}
	e.runJobs()
	if n := len(e.customerEmails()); n != 4 {
		t.Errorf("%d customers, want 4 (the three jobs import the same rows)", n)
	}
}

// TestJobCancel cancels a queued job (it never runs), then again: 409.
func TestJobCancel(t *testing.T) { runOnStores(t, testJobCancel) }

func testJobCancel(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	j := e.submitCSV("", fiveImportRows)
	path := "/api/v1/jobs/" + j.ID + "/cancel"
	e.do(req{method: "POST", path: path, key: agentKey}).want(t, 403)
	r := e.do(req{method: "POST", path: path, key: adminKey}).want(t, 200)
	matchSchema(t, doc, "Job", r.body)
	r.decode(t, &j)
	if j.State != "cancelled" || j.FinishedAt == nil {
		t.Errorf("cancelled job %+v", j)
	}
	if p := e.do(req{method: "POST", path: path, key: adminKey}).want(t, 409).problem(t); p.Code != "conflict" || !strings.Contains(p.Detail, "cancelled") {
		t.Errorf("cancel again: %+v", p)
	}
	e.runJobs()
	if j = e.job(j.ID); j.State != "cancelled" || j.Progress.Processed != 0 {
		t.Errorf("the cancelled job ran: %+v", j)
	}
	if emails := e.customerEmails(); len(emails) != 0 {
		t.Errorf("a cancelled job created %v", emails)
	}
	e.do(req{method: "POST", path: "/api/v1/jobs/0195f0a0-0000-7000-8000-000000000007/cancel", key: adminKey}).want(t, 404)
}

// TestJobNotFound: an unknown or malformed job id is 404 on every job
// route.
func TestJobNotFound(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"0195f0a0-0000-7000-8000-000000000007", "not-a-job"} {
		for _, r := range []req{
			{method: "GET", path: "/api/v1/jobs/" + id},
			{method: "GET", path: "/api/v1/jobs/" + id + "/errors"},
			{method: "POST", path: "/api/v1/jobs/" + id + "/cancel"},
		} {
			r.key = adminKey
			if p := e.do(r).want(t, 404).problem(t); p.Code != "not_found" {
				t.Errorf("%s %s: %+v", r.method, r.path, p)
			}
		}
	}
}

// TestJobList pages through the jobs, newest first.
func TestJobList(t *testing.T) { runOnStores(t, testJobList) }

func testJobList(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	var ids []string
	for i := 1; i <= 3; i++ {
		ids = append(ids, e.submitCSV("", importHeader+importRow(i, "a@example.com")).ID)
	}
	r := e.do(req{method: "GET", path: "/api/v1/jobs?limit=2", key: adminKey}).want(t, 200)
	matchSchema(t, doc, "JobList", r.body)
	var page jobList
	r.decode(t, &page)
	if len(page.Jobs) != 2 || page.Jobs[0].ID != ids[2] || page.Jobs[1].ID != ids[1] || !page.HasMore || page.NextCursor == nil {
		t.Fatalf("first page %+v", page)
	}
	if page.Jobs[0].ResultURL != "/api/v1/jobs/"+ids[2]+"/errors" {
		t.Errorf("result_url %q", page.Jobs[0].ResultURL)
	}
	r = e.do(req{method: "GET", path: "/api/v1/jobs?limit=2&cursor=" + url.QueryEscape(*page.NextCursor), key: adminKey}).want(t, 200)
	matchSchema(t, doc, "JobList", r.body)
	page = jobList{}
	r.decode(t, &page)
	if len(page.Jobs) != 1 || page.Jobs[0].ID != ids[0] || page.HasMore || page.NextCursor != nil {
		t.Errorf("last page %+v", page)
	}
	if p := e.do(req{method: "GET", path: "/api/v1/jobs?limit=0", key: adminKey}).want(t, 400).problem(t); !slices.Contains(p.fields(), "limit") {
		t.Errorf("limit=0: %+v", p)
	}
}
