package httpapi_test

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/httpapi"
)

// The bulk change endpoints.
const (
	updatePath        = "/api/v1/customers/bulk-update"
	communicationPath = "/api/v1/customers/bulk-communication"
)

// missingID is a customer id that no customer has.
const missingID = "0195f0a0-0000-7000-8000-0000000000ff"

// bulkCustomer creates customer i (1–99) as agent: named "Customer <i>",
// with its own email (c<i>@example.com) and phone, and the overrides.
func (e *env) bulkCustomer(i int, overrides map[string]any) created {
	e.t.Helper()
	o := map[string]any{"name": fmt.Sprintf("Customer %d", i), "email": fmt.Sprintf("c%d@example.com", i), "phone": fmt.Sprintf("+1212555%04d", 100+i)}
	maps.Copy(o, overrides)
	return e.createCustomer(o)
}

// customerJSON fetches a customer as admin.
func (e *env) customerJSON(id string) map[string]any {
	e.t.Helper()
	return e.do(req{method: "GET", path: "/api/v1/customers/" + id, key: adminKey}).want(e.t, 200).object(e.t)
}

// submit posts a bulk change as admin and returns the queued job, after
// checking the 202's Location.
func (e *env) submit(path string, body any) jobResp {
	e.t.Helper()
	r := e.do(req{method: "POST", path: path, key: adminKey, body: body}).want(e.t, 202)
	var j jobResp
	r.decode(e.t, &j)
	if loc := r.header.Get("Location"); loc != "/api/v1/jobs/"+j.ID {
		e.t.Errorf("Location = %q, want /api/v1/jobs/%s", loc, j.ID)
	}
	return j
}

// run runs the due jobs and returns job id as it ends.
func (e *env) run(id string) jobResp {
	e.t.Helper()
	e.runJobs()
	j := e.job(id)
	if j.State != "succeeded" {
		e.t.Fatalf("job %+v, want succeeded", j)
	}
	return j
}

// messageResp is a message as the API shows it.
type messageResp struct {
	ID         string  `json:"id"`
	JobID      string  `json:"job_id"`
	CustomerID string  `json:"customer_id"`
	Channel    string  `json:"channel"`
	To         string  `json:"to"`
	Subject    string  `json:"subject"`
	Body       string  `json:"body"`
	Status     string  `json:"status"`
	SkipReason string  `json:"skip_reason"`
	Attempts   int     `json:"attempts"`
	LastError  string  `json:"last_error"`
	SentAt     *string `json:"sent_at"`
}

// messagePage is a page of a job's messages.
type messagePage struct {
	Messages   []messageResp `json:"messages"`
	NextCursor *string       `json:"next_cursor"`
	HasMore    bool          `json:"has_more"`
}

// messages lists every message of a job with the query (status=…),
// following the cursor, and returns them by customer id.
func (e *env) messages(jobID, query string) map[string]messageResp {
	e.t.Helper()
	out := map[string]messageResp{}
	cursor := ""
	for {
		var p messagePage
		path := "/api/v1/jobs/" + jobID + "/messages?limit=200&" + query
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		e.do(req{method: "GET", path: path, key: adminKey}).want(e.t, 200).decode(e.t, &p)
		for _, m := range p.Messages {
			out[m.CustomerID] = m
		}
		if !p.HasMore {
			return out
		}
		cursor = *p.NextCursor
	}
}

// TestBulkUpdateByIDs updates listed customers with a merge patch: an id
// that is no customer's is a row error, a repeated id counts once, every
// customer updated gets its audit entry, and a second run changes
// nothing.
func TestBulkUpdateByIDs(t *testing.T) { runOnStores(t, testBulkUpdateByIDs) }

func testBulkUpdateByIDs(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	a, b, c := e.bulkCustomer(1, nil), e.bulkCustomer(2, nil), e.bulkCustomer(3, nil)
	body := map[string]any{"customer_ids": []string{a.ID, missingID, b.ID, a.ID},
		"updates": map[string]any{"industry": "Retail", "communication_preferences": map[string]any{"marketing_emails": true}}}
	r := e.do(req{method: "POST", path: updatePath, key: adminKey, body: body}).want(t, 202)
	matchSchema(t, doc, "Job", r.body)
	var j jobResp
	r.decode(t, &j)
	if j.Kind != "update" || j.State != "queued" || j.Progress.Total != 3 || j.Messages != nil {
		t.Errorf("queued job %+v, want an update of 3 customers", j)
	}

	j = e.run(j.ID)
	matchSchema(t, doc, "Job", e.do(req{method: "GET", path: "/api/v1/jobs/" + j.ID, key: adminKey}).body)
	if j.Counts != (bulk.Counts{Updated: 2, Failed: 1}) || j.Progress != (bulk.Progress{Processed: 3, Total: 3}) {
		t.Errorf("job %+v", j)
	}
	if diff := cmp.Diff([]bulk.RowError{{Row: 2, CustomerID: missingID, Message: "customer not found"}}, j.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	for id, want := range map[string]string{a.ID: "Retail", b.ID: "Retail", c.ID: ""} {
		got := e.customerJSON(id)
		prefs := got["communication_preferences"].(map[string]any)
		if got["industry"] != want && !(want == "" && got["industry"] == nil) {
			t.Errorf("%s: industry %v, want %q", got["name"], got["industry"], want)
		}
		if updated := want != ""; prefs["marketing_emails"] != updated || prefs["service_notifications"] != true {
			t.Errorf("%s: preferences %v, want marketing_emails %v merged into the rest", got["name"], prefs, updated)
		}
	}
	var audit struct {
		Entries []struct {
			Action  string `json:"action"`
			ActorID string `json:"actor_id"`
		} `json:"audit_entries"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + a.ID + "/audit", key: adminKey}).want(t, 200).decode(t, &audit)
	var actions []string
	for _, en := range audit.Entries {
		actions = append(actions, en.Action)
	}
	if slices.Sort(actions); !slices.Equal(actions, []string{"create", "update"}) {
		t.Errorf("audit of a repeated id: %v, want its create and one update", actions)
	}

	again := e.run(e.submit(updatePath, body).ID)
	if again.Counts != (bulk.Counts{Unchanged: 2, Failed: 1}) {
		t.Errorf("the same update again: %+v, want every customer unchanged", again.Counts)
	}
}

// TestBulkUpdateByFilter updates the customers the list's filters select,
// a number given as JSON or as its text, an analytics filter read through
// the analytics service.
func TestBulkUpdateByFilter(t *testing.T) { runOnStores(t, testBulkUpdateByFilter) }

func testBulkUpdateByFilter(t *testing.T, e *env) {
	chicago := map[string]any{"street": "1 Wacker Dr", "city": "Chicago", "state": "IL", "postal_code": "60601", "country": "US"}
	high := e.bulkCustomer(1, map[string]any{"credit_score": 750})
	low := e.bulkCustomer(2, map[string]any{"credit_score": 650})
	far := e.bulkCustomer(3, map[string]any{"credit_score": 800, "billing_address": chicago})
	tests := []struct {
		name   string
		filter map[string]any
		notes  string
		want   []string
	}{
		{"number", map[string]any{"city": "springfield", "min_credit_score": 700}, "first", []string{high.ID}},
		{"number as text", map[string]any{"min_credit_score": "640", "max_credit_score": 760}, "second", []string{high.ID, low.ID}},
		{"analytics filter", map[string]any{"city": "Chicago", "max_churn_score": 100}, "third", []string{far.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := e.submit(updatePath, map[string]any{"filter": tt.filter, "updates": map[string]any{"notes": tt.notes}})
			if j.Progress.Total != len(tt.want) {
				t.Errorf("total %d, want %d", j.Progress.Total, len(tt.want))
			}
			if j = e.run(j.ID); j.Counts != (bulk.Counts{Updated: len(tt.want)}) {
				t.Errorf("counts %+v, want %d updated", j.Counts, len(tt.want))
			}
			var got []string
			for _, id := range []string{high.ID, low.ID, far.ID} {
				if e.customerJSON(id)["notes"] == tt.notes {
					got = append(got, id)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("customers updated (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBulkUpdateBySegment suspends the members of a segment (whose rules
// include an analytics filter) and reactivates them by id; suspending
// them again is a row error per customer.
func TestBulkUpdateBySegment(t *testing.T) { runOnStores(t, testBulkUpdateBySegment) }

func testBulkUpdateBySegment(t *testing.T, e *env) {
	chicago := map[string]any{"street": "1 Wacker Dr", "city": "Chicago", "state": "IL", "postal_code": "60601", "country": "US"}
	a := e.bulkCustomer(1, map[string]any{"billing_address": chicago})
	b := e.bulkCustomer(2, map[string]any{"billing_address": chicago})
	other := e.bulkCustomer(3, nil)
	seg := e.createSegment(map[string]any{"name": "Chicago", "rules": map[string]any{"city": "Chicago", "max_churn_score": 100}})
	suspend := map[string]any{"segment_id": seg.ID, "action": map[string]any{"type": "suspend", "reason": "fraud", "notes": "bulk review"}}
	j := e.run(e.submit(updatePath, suspend).ID)
	if j.Counts != (bulk.Counts{Updated: 2}) {
		t.Errorf("suspend: %+v", j.Counts)
	}
	statuses := func() []string {
		var out []string
		for _, c := range []created{a, b, other} {
			out = append(out, e.customerJSON(c.ID)["status"].(string))
		}
		return out
	}
	if diff := cmp.Diff([]string{"suspended", "suspended", "active"}, statuses()); diff != "" {
		t.Errorf("statuses after the suspension (-want +got):\n%s", diff)
	}
	if s := e.customerJSON(a.ID)["suspension"].(map[string]any); s["reason"] != "fraud" || s["notes"] != "bulk review" {
		t.Errorf("suspension %v", s)
	}

	j = e.run(e.submit(updatePath, suspend).ID)
	if j.Counts != (bulk.Counts{Failed: 2}) || j.ErrorCount != 2 || j.Errors[0].CustomerID == "" {
		t.Errorf("suspend again: %+v, want a row error per customer", j)
	}

	j = e.run(e.submit(updatePath, map[string]any{"customer_ids": []string{a.ID, b.ID}, "action": map[string]any{"type": "reactivate"}}).ID)
	if j.Counts != (bulk.Counts{Updated: 2}) {
		t.Errorf("reactivate: %+v", j.Counts)
	}
	if diff := cmp.Diff([]string{"active", "active", "active"}, statuses()); diff != "" {
		t.Errorf("statuses after the reactivation (-want +got):\n%s", diff)
	}

	p := e.do(req{method: "POST", path: updatePath, key: adminKey,
		body: map[string]any{"segment_id": missingID, "action": map[string]any{"type": "reactivate"}}}).want(t, 404).problem(t)
	if p.Code != "not_found" {
		t.Errorf("unknown segment: %+v", p)
	}
}

// TestBulkChangeDryRun counts exactly as the real run and changes and
// sends nothing.
func TestBulkChangeDryRun(t *testing.T) { runOnStores(t, testBulkChangeDryRun) }

func testBulkChangeDryRun(t *testing.T, e *env) {
	a, b := e.bulkCustomer(1, nil), e.bulkCustomer(2, nil)
	update := map[string]any{"customer_ids": []string{a.ID, missingID, b.ID}, "updates": map[string]any{"notes": "changed"}}
	dry := e.run(e.submit(updatePath+"?dry_run=true", update).ID)
	for _, c := range []created{a, b} {
		if got := e.customerJSON(c.ID); got["notes"] == "changed" || got["version"] != 1.0 {
			t.Errorf("a dry run changed %v", got)
		}
	}
	real := e.run(e.submit(updatePath+"?dry_run=false", update).ID)
	if !dry.DryRun || real.DryRun || dry.Counts != real.Counts || dry.Counts != (bulk.Counts{Updated: 2, Failed: 1}) || dry.Progress != real.Progress {
		t.Errorf("dry run %+v, real %+v", dry, real)
	}
	if diff := cmp.Diff(real.Errors, dry.Errors); diff != "" {
		t.Errorf("dry run errors (-real +dry):\n%s", diff)
	}

	send := map[string]any{"customer_ids": []string{a.ID, b.ID}, "channel": "email", "category": "marketing", "subject": "Hi", "body": "Hello {{.Name}}"}
	e.do(req{method: "PATCH", path: "/api/v1/customers/" + a.ID, key: agentKey, body: `{"communication_preferences":{"marketing_emails":true}}`,
		header: map[string]string{"Content-Type": "application/merge-patch+json"}}).want(t, 200)
	dry = e.run(e.submit(communicationPath+"?dry_run=true", send).ID)
	e.deliver()
	if dry.Counts != (bulk.Counts{Created: 1, Skipped: 1}) || *dry.Messages != (messageCounts{}) {
		t.Errorf("dry run communication %+v, messages %+v; want the counts of a real run and no message", dry, dry.Messages)
	}
	if sent := e.sent.messages(); len(sent) != 0 {
		t.Errorf("a dry run sent %+v", sent)
	}
}

// TestBulkUpdateRefused checks the requests refused before any job is
// queued, each 400 naming its field.
func TestBulkUpdateRefused(t *testing.T) {
	e := newEnv(t)
	a := e.bulkCustomer(1, nil)
	ids := []string{a.ID}
	tests := []struct {
		name   string
		query  string
		body   any
		fields []string
	}{
		{"bad updates field", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"credit_score": "high"}}, []string{"updates.credit_score"}},
		{"bad nested updates field", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"billing_address": map[string]any{"city": 7}}},
			[]string{"updates.billing_address.city"}},
		{"server-owned updates field", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"status": "closed"}}, []string{"updates.status"}},
		{"unknown updates field", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"shoe_size": 9}}, []string{"updates.shoe_size"}},
		{"updates and action", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"notes": "x"}, "action": map[string]any{"type": "reactivate"}}, []string{"updates"}},
		{"no change", "", map[string]any{"customer_ids": ids}, []string{"updates"}},
		{"no target", "", map[string]any{"updates": map[string]any{"notes": "x"}}, []string{"customer_ids"}},
		{"two targets", "", map[string]any{"customer_ids": ids, "segment_id": missingID, "updates": map[string]any{"notes": "x"}}, []string{"customer_ids"}},
		{"unknown filter", "", map[string]any{"filter": map[string]any{"nickname": "ada"}, "updates": map[string]any{"notes": "x"}}, []string{"filter.nickname"}},
		{"bad filter value", "", map[string]any{"filter": map[string]any{"min_credit_score": "lots"}, "updates": map[string]any{"notes": "x"}}, []string{"filter.min_credit_score"}},
		{"unknown action", "", map[string]any{"customer_ids": ids, "action": map[string]any{"type": "close"}}, []string{"action.type"}},
		{"suspend without reason", "", map[string]any{"customer_ids": ids, "action": map[string]any{"type": "suspend"}}, []string{"action.reason"}},
		{"unknown action field", "", map[string]any{"customer_ids": ids, "action": map[string]any{"type": "reactivate", "override": true}}, []string{"action.override"}},
		{"unknown body field", "", map[string]any{"customer_ids": ids, "updates": map[string]any{"notes": "x"}, "dry_run": true}, []string{"dry_run"}},
		{"bad dry_run", "?dry_run=maybe", map[string]any{"customer_ids": ids, "updates": map[string]any{"notes": "x"}}, []string{"dry_run"}},
		{"unknown parameter", "?mode=upsert", map[string]any{"customer_ids": ids, "updates": map[string]any{"notes": "x"}}, []string{"mode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.do(req{method: "POST", path: updatePath + tt.query, key: adminKey, body: tt.body}).want(t, 400).problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("problem fields (-want +got):\n%s\n%+v", diff, p)
			}
		})
	}
	e.do(req{method: "POST", path: updatePath, key: adminKey, body: `{"customer_ids":[]}`, header: map[string]string{"Content-Type": "text/plain"}}).want(t, 415)
	if jobs := e.jobs(); len(jobs) != 0 {
		t.Errorf("refused updates left jobs: %+v", jobs)
	}

	// A value of the right type is validated per customer, as a PATCH is:
	// a row error naming the field.
	j := e.run(e.submit(updatePath, map[string]any{"customer_ids": ids, "updates": map[string]any{"email": "not-an-email"}}).ID)
	if j.Counts != (bulk.Counts{Failed: 1}) || len(j.Errors) != 1 || j.Errors[0].Field != "email" || j.Errors[0].CustomerID != a.ID {
		t.Errorf("an invalid email for every customer: %+v", j)
	}
}

// TestBulkCommunicationConsent sends one message per category to the
// same customers, each of whom consents to one category only: the one
// who consents gets it, rendered for them; the others are skipped as
// opted out, and a deleted customer as closed.
func TestBulkCommunicationConsent(t *testing.T) { runOnStores(t, testBulkCommunicationConsent) }

func testBulkCommunicationConsent(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	prefs := []string{"marketing_emails", "service_notifications", "billing_reminders", "outage_alerts"}
	consenting := map[string]created{}
	ids := []string{}
	for i, pref := range prefs {
		p := map[string]any{}
		for _, q := range prefs {
			p[q] = q == pref
		}
		c := e.bulkCustomer(i+1, map[string]any{"communication_preferences": p})
		consenting[pref] = c
		ids = append(ids, c.ID)
	}
	gone := e.bulkCustomer(9, nil)
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + gone.ID, key: adminKey}).want(t, 204)
	ids = append(ids, gone.ID)

	for i, tt := range []struct{ category, pref string }{
		{"marketing", "marketing_emails"}, {"service", "service_notifications"}, {"billing", "billing_reminders"}, {"outage", "outage_alerts"},
	} {
		t.Run(tt.category, func(t *testing.T) {
			r := e.do(req{method: "POST", path: communicationPath, key: adminKey, body: map[string]any{"customer_ids": ids, "channel": "email",
				"category": tt.category, "subject": "{{.Name}}: " + tt.category, "body": "Dear {{.Name}}, about account {{.AccountNumber}}."}}).want(t, 202)
			matchSchema(t, doc, "Job", r.body)
			var j jobResp
			r.decode(t, &j)
			if j.Kind != "communication" || j.Messages == nil || *j.Messages != (messageCounts{}) {
				t.Errorf("queued job %+v, messages %+v", j, j.Messages)
			}
			j = e.run(j.ID)
			if j.Counts != (bulk.Counts{Created: 1, Skipped: 4}) {
				t.Errorf("counts %+v", j.Counts)
			}
			if diff := cmp.Diff(map[string]int{"opted_out": 3, "closed": 1}, j.SkippedBy); diff != "" {
				t.Errorf("skipped_by (-want +got):\n%s", diff)
			}
			if *j.Messages != (messageCounts{Queued: 1, Skipped: 3}) {
				t.Errorf("messages before delivery %+v", j.Messages)
			}

			e.deliver()
			r = e.do(req{method: "GET", path: "/api/v1/jobs/" + j.ID, key: adminKey}).want(t, 200)
			matchSchema(t, doc, "Job", r.body)
			r.decode(t, &j)
			if *j.Messages != (messageCounts{Sent: 1, Skipped: 3}) {
				t.Errorf("messages after delivery %+v", j.Messages)
			}
			c := consenting[tt.pref]
			account := e.customerJSON(c.ID)["account_number"].(string)
			sent := e.sent.messages()
			if len(sent) != i+1 {
				t.Fatalf("%d messages sent in all, want %d", len(sent), i+1)
			}
			msgs := e.messages(j.ID, "")
			m := msgs[c.ID]
			want := notify.Message{ID: m.ID, Channel: notify.ChannelEmail, To: fmt.Sprintf("c%d@example.com", slices.Index(prefs, tt.pref)+1),
				Subject: fmt.Sprintf("Customer %d: %s", slices.Index(prefs, tt.pref)+1, tt.category),
				Body:    fmt.Sprintf("Dear Customer %d, about account %s.", slices.Index(prefs, tt.pref)+1, account)}
			if !slices.Contains(sent, want) {
				t.Errorf("sent %+v, want among them %+v", sent, want)
			}
			statuses := map[string]string{}
			for id, m := range msgs {
				statuses[id] = m.Status + " " + m.SkipReason
			}
			wantStatuses := map[string]string{}
			for _, p := range prefs {
				wantStatuses[consenting[p].ID] = "skipped opted_out"
			}
			wantStatuses[c.ID] = "sent "
			if diff := cmp.Diff(wantStatuses, statuses); diff != "" {
				t.Errorf("message statuses (-want +got):\n%s", diff)
			}
			if m.Attempts != 1 || m.SentAt == nil || m.To != want.To || m.Body != want.Body {
				t.Errorf("the message sent: %+v", m)
			}
		})
	}
}

// TestBulkCommunicationSMS sends an SMS to the customers of a filter: the
// notifier gets it at their E.164 phone, without a subject; a recipient
// the gateway refuses for good is failed.
func TestBulkCommunicationSMS(t *testing.T) { runOnStores(t, testBulkCommunicationSMS) }

func testBulkCommunicationSMS(t *testing.T, e *env) {
	ok := e.bulkCustomer(1, map[string]any{"phone": "(212) 555-0142"})
	refused := e.bulkCustomer(2, nil)
	e.sent.refuseTo("+12125550102")
	j := e.run(e.submit(communicationPath, map[string]any{"filter": map[string]any{"city": "Springfield"}, "channel": "sms", "category": "outage",
		"body": "Outage in {{.BillingAddress.City}} tonight, {{.Name}}."}).ID)
	if j.Counts != (bulk.Counts{Created: 2}) {
		t.Errorf("counts %+v", j.Counts)
	}
	e.deliver()
	msgs := e.messages(j.ID, "")
	want := []notify.Message{{ID: msgs[ok.ID].ID, Channel: notify.ChannelSMS, To: "+12125550142", Body: "Outage in Springfield tonight, Customer 1."}}
	if diff := cmp.Diff(want, e.sent.messages()); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if m := msgs[refused.ID]; m.Status != "failed" || !strings.Contains(m.LastError, "550") || m.Attempts != 1 || m.SentAt != nil {
		t.Errorf("the refused message %+v", m)
	}
	if j = e.job(j.ID); *j.Messages != (messageCounts{Sent: 1, Failed: 1}) {
		t.Errorf("messages %+v", j.Messages)
	}
	failed := e.messages(j.ID, "status=failed")
	if _, ok := failed[refused.ID]; len(failed) != 1 || !ok {
		t.Errorf("status=failed lists %+v", failed)
	}
}

// TestBulkCommunicationRefused checks the requests refused before any
// job is queued: bad templates and fields, each 400 naming its field.
func TestBulkCommunicationRefused(t *testing.T) {
	e := newEnv(t)
	a := e.bulkCustomer(1, nil)
	body := func(overrides map[string]any) map[string]any {
		b := map[string]any{"customer_ids": []string{a.ID}, "channel": "email", "category": "service", "subject": "Hello {{.Name}}", "body": "Dear {{.Name}}"}
		for k, v := range overrides {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"unknown template field", body(map[string]any{"body": "Dear {{.Nickname}}"}), []string{"body"}},
		{"template syntax", body(map[string]any{"body": "Dear {{if .Name}}"}), []string{"body"}},
		{"bad subject template", body(map[string]any{"subject": "{{.Name"}), []string{"subject"}},
		{"both templates bad", body(map[string]any{"subject": "{{", "body": "{{end}}"}), []string{"subject", "body"}},
		{"email without subject", body(map[string]any{"subject": nil}), []string{"subject"}},
		{"sms with subject", body(map[string]any{"channel": "sms"}), []string{"subject"}},
		{"empty body", body(map[string]any{"body": " "}), []string{"body"}},
		{"unknown channel", body(map[string]any{"channel": "fax"}), []string{"channel"}},
		{"unknown category", body(map[string]any{"category": "gossip"}), []string{"category"}},
		{"no target", body(map[string]any{"customer_ids": nil}), []string{"customer_ids"}},
		{"unknown field", body(map[string]any{"from": "ceo@example.com"}), []string{"from"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.do(req{method: "POST", path: communicationPath, key: adminKey, body: tt.body}).want(t, 400).problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("problem fields (-want +got):\n%s\n%+v", diff, p)
			}
		})
	}
	e.do(req{method: "POST", path: communicationPath, key: adminKey, body: body(map[string]any{"customer_ids": nil, "segment_id": missingID})}).want(t, 404)
	if jobs := e.jobs(); len(jobs) != 0 {
		t.Errorf("refused communications left jobs: %+v", jobs)
	}
}

// TestJobMessages pages through a job's messages, filtered by status,
// and refuses a bad status or page size; an unknown job is 404.
func TestJobMessages(t *testing.T) { runOnStores(t, testJobMessages) }

func testJobMessages(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	var ids []string
	for i := 1; i <= 5; i++ {
		ids = append(ids, e.bulkCustomer(i, nil).ID)
	}
	j := e.run(e.submit(communicationPath, map[string]any{"customer_ids": ids, "channel": "email", "category": "billing",
		"subject": "Your bill", "body": "Dear {{.Name}}"}).ID)
	if len(e.messages(j.ID, "status=queued")) != 5 || len(e.messages(j.ID, "status=sent")) != 0 {
		t.Errorf("before delivery: not every message queued")
	}

	var got []string
	seen := map[string]bool{}
	path := "/api/v1/jobs/" + j.ID + "/messages?limit=2"
	for page := 0; ; page++ {
		r := e.do(req{method: "GET", path: path, key: adminKey}).want(t, 200)
		matchSchema(t, doc, "JobMessageList", r.body)
		var p messagePage
		r.decode(t, &p)
		if len(p.Messages) > 2 || page > 3 {
			t.Fatalf("page %d: %+v", page, p)
		}
		for _, m := range p.Messages {
			if seen[m.ID] || m.JobID != j.ID || m.Status != "queued" {
				t.Errorf("page %d: message %+v repeated or not the job's queued one", page, m)
			}
			seen[m.ID] = true
			got = append(got, m.CustomerID)
		}
		if !p.HasMore {
			break
		}
		path = "/api/v1/jobs/" + j.ID + "/messages?limit=2&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(ids))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("customers of the pages (-want +got):\n%s", diff)
	}

	e.deliver()
	if n := len(e.messages(j.ID, "status=sent")); n != 5 {
		t.Errorf("%d sent after delivery, want 5", n)
	}
	if n := len(e.messages(j.ID, "status=queued")); n != 0 {
		t.Errorf("%d queued after delivery, want 0", n)
	}
	for query, field := range map[string]string{"status=delivered": "status", "limit=0": "limit", "limit=201": "limit", "sort=id": "sort"} {
		p := e.do(req{method: "GET", path: "/api/v1/jobs/" + j.ID + "/messages?" + query, key: adminKey}).want(t, 400).problem(t)
		if !slices.Contains(p.fields(), field) {
			t.Errorf("%s: problem %+v, want one naming %s", query, p, field)
		}
	}
	for _, id := range []string{"0195f0a0-0000-7000-8000-000000000007", "not-a-job"} {
		if p := e.do(req{method: "GET", path: "/api/v1/jobs/" + id + "/messages", key: adminKey}).want(t, 404).problem(t); p.Code != "not_found" {
			t.Errorf("%s: %+v", id, p)
		}
	}
	// An import has no messages.
	imp := e.submitCSV("", importHeader+importRow(20, "import@example.com"))
	if msgs := e.messages(imp.ID, ""); len(msgs) != 0 || e.job(imp.ID).Messages != nil {
		t.Errorf("an import's messages: %+v", msgs)
	}
}

// TestBulkChangesAdminOnly: the bulk changes and the messages list are
// admin only.
func TestBulkChangesAdminOnly(t *testing.T) {
	e := newEnv(t)
	a := e.bulkCustomer(1, nil)
	j := e.submit(updatePath, map[string]any{"customer_ids": []string{a.ID}, "updates": map[string]any{"notes": "x"}})
	for _, r := range []req{
		{method: "POST", path: updatePath, body: map[string]any{"customer_ids": []string{a.ID}, "updates": map[string]any{"notes": "y"}}},
		{method: "POST", path: communicationPath, body: map[string]any{"customer_ids": []string{a.ID}, "channel": "sms", "category": "service", "body": "Hi"}},
		{method: "GET", path: "/api/v1/jobs/" + j.ID + "/messages"},
	} {
		for _, key := range []string{agentKey, viewerKey} {
			r.key = key
			if p := e.do(r).want(t, 403).problem(t); p.Code != "forbidden" {
				t.Errorf("%s %s as %s: %+v", r.method, r.path, key, p)
			}
		}
	}
	if jobs := e.jobs(); len(jobs) != 1 {
		t.Errorf("%d jobs, want the admin's alone", len(jobs))
	}
}

// TestBulkChangeIdempotency: a retried bulk change with its
// Idempotency-Key replays the first 202 and queues no second job;
// another body under the key is 422.
func TestBulkChangeIdempotency(t *testing.T) { runOnStores(t, testBulkChangeIdempotency) }

func testBulkChangeIdempotency(t *testing.T, e *env) {
	a := e.bulkCustomer(1, nil)
	for _, tt := range []struct {
		path       string
		body, diff map[string]any
	}{
		{updatePath, map[string]any{"customer_ids": []string{a.ID}, "updates": map[string]any{"notes": "x"}},
			map[string]any{"customer_ids": []string{a.ID}, "updates": map[string]any{"notes": "y"}}},
		{communicationPath, map[string]any{"customer_ids": []string{a.ID}, "channel": "sms", "category": "service", "body": "Hi"},
			map[string]any{"customer_ids": []string{a.ID}, "channel": "sms", "category": "service", "body": "Hello"}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			key := map[string]string{"Idempotency-Key": "k-" + tt.path}
			first := e.do(req{method: "POST", path: tt.path, key: adminKey, body: tt.body, header: key}).want(t, 202)
			again := e.do(req{method: "POST", path: tt.path, key: adminKey, body: tt.body, header: key}).want(t, 202)
			if again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(first.body) ||
				again.header.Get("Location") != first.header.Get("Location") {
				t.Errorf("retry: replayed %q, Location %q, body %s; want the first response %s", again.header.Get("Idempotent-Replayed"),
					again.header.Get("Location"), again.body, first.body)
			}
			if p := e.do(req{method: "POST", path: tt.path, key: adminKey, body: tt.diff, header: key}).want(t, 422).problem(t); p.Code != "idempotency_mismatch" {
				t.Errorf("another body: %+v", p)
			}
		})
	}
	if jobs := e.jobs(); len(jobs) != 2 {
		t.Errorf("%d jobs, want one per key", len(jobs))
	}
}

// TestBulkModuleLeftOut: without the bulk service, the bulk names answer
// 404 (not implemented yet), the jobs are not served, and the document
// leaves their operations and schemas out.
func TestBulkModuleLeftOut(t *testing.T) {
	e := newEnv(t, func(c *httpapi.Config) {
		svc := *c.Services
		svc.Bulk = nil
		c.Services = &svc
	})
	for _, path := range []string{updatePath, communicationPath, importPath} {
		p := e.do(req{method: "POST", path: path, key: adminKey, body: `{}`}).want(t, 404).problem(t)
		if !strings.Contains(p.Detail, "not implemented yet") {
			t.Errorf("%s: %+v", path, p)
		}
	}
	e.do(req{method: "GET", path: "/api/v1/jobs", key: adminKey}).want(t, 404)
	doc, _ := loadOpenAPI(t, e)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	for _, s := range []string{"Job", "JobMessageList", "BulkUpdateRequest", "BulkCommunicationRequest", "BulkFilter"} {
		if doc.Components.Schemas[s] != nil {
			t.Errorf("the document has schema %s", s)
		}
	}
	if doc.Paths.Find("/api/v1/customers/bulk-update") != nil {
		t.Errorf("the document lists bulk-update")
	}
}
