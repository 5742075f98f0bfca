package bulk_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// seed imports n customers (the CSV rows of csvRow) and returns them in
// order.
func (f *jobFixture) seed(t *testing.T, n int) []*customer.Customer {
	t.Helper()
	body := csvHeader
	for i := 1; i <= n; i++ {
		body += csvRow(i, "c"+string(rune('a'+i))+"@example.com")
	}
	j := f.drain(t, f.svc, f.submit(t, bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, body).ID)
	if j.Counts.Created != n {
		t.Fatalf("seed: %+v %+v", j.Counts, j.Errors)
	}
	var out []*customer.Customer
	for i := 1; i <= n; i++ {
		c, err := f.st.GetCustomerByExternalID(t.Context(), "ext-"+string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestUpdateByIDs: each customer gets the merge patch and its own audit
// entry; ids that are not customers are row errors.
func TestUpdateByIDs(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		cs := f.seed(t, 3)
		ids := []string{cs[0].ID, cs[1].ID, crm.NewID(), cs[2].ID, "nope", cs[0].ID}
		j, err := f.svc.SubmitUpdate(ctx(t), bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: ids},
			Updates: json.RawMessage(`{"notes": "moved to fibre", "communication_preferences": {"marketing_emails": false}}`)})
		if err != nil {
			t.Fatal(err)
		}
		if j.Progress.Total != 5 || j.Kind != bulk.KindUpdate {
			t.Fatalf("submitted %+v", j)
		}
		j = f.drain(t, f.svc, j.ID)
		if j.State != bulk.StateSucceeded || j.Counts != (bulk.Counts{Updated: 3, Failed: 2}) || j.Progress.Processed != 5 {
			t.Fatalf("job %s %+v %+v %+v", j.State, j.Counts, j.Progress, j.Errors)
		}
		if len(j.Errors) != 2 || j.Errors[0].Row != 3 || j.Errors[1].Row != 5 || j.Errors[1].Field != "customer_ids" {
			t.Errorf("errors %+v", j.Errors)
		}
		for _, c := range cs {
			got, err := f.customers.Get(ctx(t), c.ID)
			// The patch names one preference; the others keep their values.
			want := c.CommunicationPreferences
			want.MarketingEmails = false
			if err != nil || got.Notes != "moved to fibre" || got.CommunicationPreferences != want || !c.CommunicationPreferences.MarketingEmails {
				t.Errorf("customer %s: %+v (%v)", c.ID, got, err)
			}
			entries, err := st.ListAudit(t.Context(), c.ID, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			if e := entries[0]; e.Action != "update" || e.ActorID != "key-admin" || e.RequestID != "job:"+j.ID {
				t.Errorf("audit of %s: %+v", c.ID, e)
			}
		}
		// Applied again, the patch changes nothing.
		again := f.drain(t, f.svc, mustSubmitUpdate(t, f, bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: ids[:2]},
			Updates: json.RawMessage(`{"notes": "moved to fibre"}`)}).ID)
		if again.Counts != (bulk.Counts{Unchanged: 2}) {
			t.Errorf("again: %+v", again.Counts)
		}
	})
}

func mustSubmitUpdate(t *testing.T, f *jobFixture, req bulk.UpdateRequest) *bulk.Job {
	t.Helper()
	j, err := f.svc.SubmitUpdate(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestUpdateByFilterAndActions suspends the customers a filter selects,
// across batches, then reactivates them; a customer already in the state
// is a row error.
func TestUpdateByFilterAndActions(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		cs := f.seed(t, 5)
		if _, err := f.customers.Suspend(ctx(t), cs[4].ID, customer.SuspendInput{Reason: customer.ReasonOther}); err != nil {
			t.Fatal(err)
		}
		suspend := bulk.UpdateRequest{Target: bulk.Target{Filter: map[string]bulk.FilterValue{"customer_type": "residential"}},
			Action: &bulk.Action{Type: bulk.ActionSuspend, Reason: customer.ReasonNonPayment, Notes: "bulk"}}
		dry := mustSubmitUpdate(t, f, suspend)
		j := f.drain(t, f.svc, dry.ID)
		if j.Counts != (bulk.Counts{Updated: 4, Failed: 1}) || j.Progress != (bulk.Progress{Processed: 5, Total: 5}) {
			t.Fatalf("suspend: %+v %+v %+v", j.Counts, j.Progress, j.Errors)
		}
		if !strings.Contains(j.Errors[0].Message, "suspend") || j.Errors[0].CustomerID != cs[4].ID {
			t.Errorf("errors %+v", j.Errors)
		}
		n, err := st.CountCustomers(t.Context(), customer.Filter{Status: customer.StatusSuspended})
		if err != nil || n != 5 {
			t.Fatalf("%d suspended (%v), want 5", n, err)
		}
		re := f.drain(t, f.svc, mustSubmitUpdate(t, f, bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{cs[0].ID, cs[1].ID}},
			Action: &bulk.Action{Type: bulk.ActionReactivate, Notes: "paid"}}).ID)
		if re.Counts != (bulk.Counts{Updated: 2}) {
			t.Fatalf("reactivate: %+v %+v", re.Counts, re.Errors)
		}
	})
}

// TestUpdateDryRun counts as the real run and changes nothing.
func TestUpdateDryRun(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		cs := f.seed(t, 3)
		req := bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{cs[0].ID, cs[1].ID, cs[2].ID, crm.NewID()}},
			Updates: json.RawMessage(`{"email": "same@example.com"}`), DryRun: true}
		dry := f.drain(t, f.svc, mustSubmitUpdate(t, f, req).ID)
		if got, _ := f.customers.Get(ctx(t), cs[0].ID); got.Email != cs[0].Email {
			t.Fatalf("a dry run changed the email to %s", got.Email)
		}
		req.DryRun = false
		real := f.drain(t, f.svc, mustSubmitUpdate(t, f, req).ID)
		// One customer can take the email; the next two collide with it.
		if dry.Counts != real.Counts || real.Counts != (bulk.Counts{Updated: 1, Failed: 3}) {
			t.Errorf("dry %+v real %+v", dry.Counts, real.Counts)
		}
	})
}

// TestUpdateRefused: the request is checked before a job is queued.
func TestUpdateRefused(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		id := crm.NewID()
		notes := json.RawMessage(`{"notes": "x"}`)
		for _, tc := range []struct {
			name  string
			req   bulk.UpdateRequest
			field string
		}{
			{"no target", bulk.UpdateRequest{Updates: notes}, "customer_ids"},
			{"two targets", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}, SegmentID: id}, Updates: notes}, "customer_ids"},
			{"unknown filter", bulk.UpdateRequest{Target: bulk.Target{Filter: map[string]bulk.FilterValue{"colour": "red"}}, Updates: notes}, "filter.colour"},
			{"no change", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}}, "updates"},
			{"unknown field", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}, Updates: json.RawMessage(`{"colour": "red"}`)}, "updates.colour"},
			{"server field", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}, Updates: json.RawMessage(`{"status": "closed"}`)}, "updates.status"},
			{"wrong type", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}, Updates: json.RawMessage(`{"credit_score": "high"}`)}, "updates.credit_score"},
			{"bad action", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}, Action: &bulk.Action{Type: "close"}}, "action.type"},
			{"suspend without reason", bulk.UpdateRequest{Target: bulk.Target{CustomerIDs: []string{id}}, Action: &bulk.Action{Type: bulk.ActionSuspend}}, "action.reason"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.SubmitUpdate(ctx(t), tc.req)
				if crm.ErrorCode(err) != crm.CodeInvalid {
					t.Fatalf("error %v, want invalid", err)
				}
				var named bool
				for _, fe := range crm.ErrorFields(err) {
					named = named || fe.Field == tc.field
				}
				if !named {
					t.Errorf("%v does not name %s", err, tc.field)
				}
			})
		}
	})
}
