package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
)

// importPath is the bulk import endpoint.
const importPath = "/api/v1/customers/bulk-import"

// importHeader is the header of the tests' CSV files.
const importHeader = "name,email,phone,customer_type,billing_address.street,billing_address.city,billing_address.state," +
	"billing_address.postal_code,billing_address.country,external_id\n"

// importRow is a valid CSV row for customer i (1–26) with email.
func importRow(i int, email string) string {
	return fmt.Sprintf("Customer %c,%s,+1212555%04d,residential,1 Main St,Springfield,IL,62701,US,ext-%d\n", 'A'+i-1, email, i, i)
}

// fiveImportRows is a CSV of five customers, the third with a bad email.
var fiveImportRows = importHeader + importRow(1, "a@example.com") + importRow(2, "b@example.com") + importRow(3, "not-an-email") +
	importRow(4, "d@example.com") + importRow(5, "e@example.com")

// jobResp is a job as the API shows it.
type jobResp struct {
	ID              string          `json:"id"`
	Kind            string          `json:"kind"`
	State           string          `json:"state"`
	DryRun          bool            `json:"dry_run"`
	Progress        bulk.Progress   `json:"progress"`
	Counts          bulk.Counts     `json:"counts"`
	Errors          []bulk.RowError `json:"errors"`
	SkippedBy       map[string]int  `json:"skipped_by"`
	ErrorCount      int             `json:"error_count"`
	CancelRequested bool            `json:"cancel_requested"`
	CreatedBy       string          `json:"created_by"`
	FinishedAt      *string         `json:"finished_at"`
	ResultURL       string          `json:"result_url"`
	Messages        *messageCounts  `json:"messages"`
}

// messageCounts are a communication job's messages by status.
type messageCounts struct {
	Queued  int `json:"queued"`
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// jobList is a page of jobs.
type jobList struct {
	Jobs       []jobResp `json:"jobs"`
	NextCursor *string   `json:"next_cursor"`
	HasMore    bool      `json:"has_more"`
}

// importReq is a bulk import of body, of contentType, with the query
// (mode, dry_run) as admin.
func importReq(query, contentType string, body []byte) req {
	return req{method: "POST", path: importPath + query, key: adminKey, body: body, header: map[string]string{"Content-Type": contentType}}
}

// formPart is one part of a multipart/form-data body.
type formPart struct {
	name, filename, contentType string
	content                     []byte
}

// importForm builds a multipart/form-data import of the parts and returns
// its body and Content-Type.
func importForm(t *testing.T, parts ...formPart) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			cd += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", cd)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(p.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// submitCSV imports body as CSV with the query and returns the queued job.
func (e *env) submitCSV(query, body string) jobResp {
	e.t.Helper()
	var j jobResp
	e.do(importReq(query, "text/csv", []byte(body))).want(e.t, 202).decode(e.t, &j)
	return j
}

// runJobs runs the due jobs until none is left.
func (e *env) runJobs() {
	e.t.Helper()
	for {
		n, err := e.bulk.ProcessDue(context.Background())
		if err != nil {
			e.t.Fatalf("ProcessDue: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// job fetches a job.
func (e *env) job(id string) jobResp {
	e.t.Helper()
	var j jobResp
	e.do(req{method: "GET", path: "/api/v1/jobs/" + id, key: adminKey}).want(e.t, 200).decode(e.t, &j)
	return j
}

// jobs lists the jobs.
func (e *env) jobs() []jobResp {
	e.t.Helper()
	var l jobList
	e.do(req{method: "GET", path: "/api/v1/jobs", key: adminKey}).want(e.t, 200).decode(e.t, &l)
	return l.Jobs
}

// customerEmails lists the customers' emails, oldest first.
func (e *env) customerEmails() []string {
	e.t.Helper()
	var l struct {
		Customers []struct {
			Email string `json:"email"`
		} `json:"customers"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers?limit=200", key: adminKey}).want(e.t, 200).decode(e.t, &l)
	out := []string{}
	for _, c := range l.Customers {
		out = append(out, c.Email)
	}
	return out
}

// recorder is the test env's Notifier: it keeps every message it is
// given and refuses for good those to the addresses in refuse.
type recorder struct {
	mu     sync.Mutex
	sent   []notify.Message
	refuse map[string]bool
}

func (r *recorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse[m.To] {
		return fmt.Errorf("%w: 550 mailbox unavailable", notify.ErrPermanent)
	}
	r.sent = append(r.sent, m)
	return nil
}

// refuseTo makes sends to addr fail for good.
func (r *recorder) refuseTo(addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse == nil {
		r.refuse = map[string]bool{}
	}
	r.refuse[addr] = true
}

// messages returns the messages sent so far, ordered by recipient.
func (r *recorder) messages() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.sent)
	slices.SortFunc(out, func(a, b notify.Message) int { return strings.Compare(a.To, b.To) })
	return out
}

// deliver runs the senders until no message is due.
func (e *env) deliver() {
	e.t.Helper()
	for {
		n, err := e.bulk.DeliverDue(context.Background())
		if err != nil {
			e.t.Fatalf("DeliverDue: %v", err)
		}
		if n == 0 {
			return
		}
	}
}
