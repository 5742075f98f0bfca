package bulk_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// recorder is a Notifier that keeps what it was sent and fails as told.
type recorder struct {
	mu   sync.Mutex
	sent []notify.Message
	// fail returns the error for a message (nil: sent).
	fail func(m notify.Message) error
}

func (r *recorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(m); err != nil {
			return err
		}
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) to() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, m := range r.sent {
		out[m.To]++
	}
	return out
}

// withNotifier gives the fixture a service that sends through n.
func (f *jobFixture) withNotifier(n notify.Notifier) {
	f.svc = bulk.NewService(f.st, store.Tx[bulk.Repository](f.st), f.customers, bulk.Options{BatchSize: 2, CreateBatchSize: 2, Now: f.clock.Now,
		Notifier: n, SendRate: 10000, SendRetryDelay: time.Minute})
}

// deliver sends until nothing is due.
func (f *jobFixture) deliver(t *testing.T) {
	t.Helper()
	for {
		n, err := f.svc.DeliverDue(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// messages returns the job's messages by customer id.
func (f *jobFixture) messages(t *testing.T, jobID string) map[string]bulk.Message {
	t.Helper()
	page, err := f.svc.ListMessages(ctx(t), jobID, "", "", 200)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bulk.Message{}
	for _, m := range page.Items {
		out[m.CustomerID] = m
	}
	return out
}

// TestCommunicationConsent: who consents to the category gets the
// message, rendered for them; the rest are skipped by reason.
func TestCommunicationConsent(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		rec := &recorder{}
		f.withNotifier(rec)
		cs := f.seed(t, 4) // marketing and outage consent, from the CSV
		// One opts out of marketing; one is erased.
		if _, err := f.customers.Update(ctx(t), cs[1].ID, 0, func(in *customer.Input) error {
			in.CommunicationPreferences.MarketingEmails = false
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.customers.Delete(ctx(t), cs[3].ID, customer.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		req := bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: []string{cs[0].ID, cs[1].ID, cs[2].ID, cs[3].ID}},
			Channel: notify.ChannelEmail, Category: bulk.CategoryMarketing,
			Subject: "Hello {{.Name}}", Body: "Account {{.AccountNumber}}: faster fibre is here."}
		j, err := f.svc.SubmitCommunication(ctx(t), req)
		if err != nil {
			t.Fatal(err)
		}
		j = f.drain(t, f.svc, j.ID)
		if j.Counts != (bulk.Counts{Created: 2, Skipped: 2}) || j.SkippedBy[bulk.SkipOptedOut] != 1 || j.SkippedBy[bulk.SkipClosed] != 1 {
			t.Fatalf("counts %+v skipped_by %v errors %+v", j.Counts, j.SkippedBy, j.Errors)
		}
		f.deliver(t)
		msgs := f.messages(t, j.ID)
		for _, c := range []*customer.Customer{cs[0], cs[2]} {
			m := msgs[c.ID]
			if m.Status != bulk.MessageSent || m.Subject != "Hello "+c.Name || !strings.Contains(m.Body, c.AccountNumber) || m.SentAt == nil {
				t.Errorf("message of %s: %+v", c.Name, m)
			}
		}
		if m := msgs[cs[1].ID]; m.Status != bulk.MessageSkipped || m.SkipReason != bulk.SkipOptedOut || m.Body != "" {
			t.Errorf("opted out: %+v", m)
		}
		if got := rec.to(); len(got) != 2 || got[cs[0].Email] != 1 || got[cs[2].Email] != 1 {
			t.Errorf("sent to %v", got)
		}

		// The outage category needs outage_alerts, which all three have.
		outage := req
		outage.Category, outage.Channel, outage.Subject = bulk.CategoryOutage, notify.ChannelSMS, ""
		o := f.drain(t, f.svc, mustSubmitCommunication(t, f, outage).ID)
		if o.Counts != (bulk.Counts{Created: 3, Skipped: 1}) {
			t.Errorf("outage counts %+v %v", o.Counts, o.SkippedBy)
		}
	})
}

func mustSubmitCommunication(t *testing.T, f *jobFixture, req bulk.CommunicationRequest) *bulk.Job {
	t.Helper()
	j, err := f.svc.SubmitCommunication(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestCommunicationRefused: bad templates and fields are refused before
// anything is queued.
func TestCommunicationRefused(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		ids := bulk.Target{CustomerIDs: []string{crm.NewID()}}
		for _, tc := range []struct {
			name  string
			req   bulk.CommunicationRequest
			field string
		}{
			{"unparsable body", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelSMS, Category: bulk.CategoryService, Body: "Hi {{.Name"}, "body"},
			{"unknown field", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelSMS, Category: bulk.CategoryService, Body: "Hi {{.TaxID}}"}, "body"},
			{"bad subject", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelEmail, Category: bulk.CategoryService, Subject: "{{if}}", Body: "x"}, "subject"},
			{"email without subject", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelEmail, Category: bulk.CategoryService, Body: "x"}, "subject"},
			{"sms with subject", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelSMS, Category: bulk.CategoryService, Subject: "s", Body: "x"}, "subject"},
			{"bad channel", bulk.CommunicationRequest{Target: ids, Channel: "fax", Category: bulk.CategoryService, Body: "x"}, "channel"},
			{"bad category", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelSMS, Category: "gossip", Body: "x"}, "category"},
			{"no body", bulk.CommunicationRequest{Target: ids, Channel: notify.ChannelSMS, Category: bulk.CategoryService}, "body"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.SubmitCommunication(ctx(t), tc.req)
				var named bool
				for _, fe := range crm.ErrorFields(err) {
					named = named || fe.Field == tc.field
				}
				if crm.ErrorCode(err) != crm.CodeInvalid || !named {
					t.Fatalf("error %v, want invalid naming %s", err, tc.field)
				}
			})
		}
		if jobs, _ := f.svc.List(ctx(t), "", 0); len(jobs.Items) != 0 {
			t.Errorf("%d jobs queued", len(jobs.Items))
		}
	})
}

// TestDeliveryRetries: a transient failure is retried later, a permanent
// one fails the message at once.
func TestDeliveryRetries(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		cs := f.seed(t, 2)
		flaky := true
		rec := &recorder{fail: func(m notify.Message) error {
			switch {
			case m.To == cs[0].Email && flaky:
				return errors.New("421 try later")
			case m.To == cs[1].Email:
				return errors.Join(notify.ErrPermanent, errors.New("550 no such user"))
			}
			return nil
		}}
		f.withNotifier(rec)
		j := f.drain(t, f.svc, mustSubmitCommunication(t, f, bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: []string{cs[0].ID, cs[1].ID}},
			Channel: notify.ChannelEmail, Category: bulk.CategoryOutage, Subject: "Outage", Body: "Sorry, {{.Name}}."}).ID)
		f.deliver(t)
		msgs := f.messages(t, j.ID)
		if m := msgs[cs[0].ID]; m.Status != bulk.MessageQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "421") {
			t.Fatalf("transient: %+v", m)
		}
		if m := msgs[cs[1].ID]; m.Status != bulk.MessageFailed || m.Attempts != 1 {
			t.Fatalf("permanent: %+v", m)
		}
		flaky = false
		f.deliver(t) // not due yet
		if m := f.messages(t, j.ID)[cs[0].ID]; m.Status != bulk.MessageQueued {
			t.Fatalf("retried before its time: %+v", m)
		}
		f.clock.Add(time.Minute)
		f.deliver(t)
		if m := f.messages(t, j.ID)[cs[0].ID]; m.Status != bulk.MessageSent || m.Attempts != 2 {
			t.Fatalf("after the retry: %+v", m)
		}
		counts, err := f.svc.MessageCounts(ctx(t), j.ID)
		if err != nil || counts[bulk.MessageSent] != 1 || counts[bulk.MessageFailed] != 1 {
			t.Errorf("counts %v (%v)", counts, err)
		}
	})
}

// TestDeliveryAfterErasure: a queued message whose customer is erased
// before it is sent (its address and text redacted, as app wires the
// eraser) is skipped as closed, never handed to the notifier.
func TestDeliveryAfterErasure(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		rec := &recorder{}
		f.withNotifier(rec)
		cs := f.seed(t, 2)
		j := f.drain(t, f.svc, mustSubmitCommunication(t, f, bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: []string{cs[0].ID, cs[1].ID}},
			Channel: notify.ChannelSMS, Category: bulk.CategoryOutage, Body: "Outage tonight, {{.Name}}."}).ID)
		if err := st.RedactMessages(ctx(t), cs[0].ID); err != nil {
			t.Fatal(err)
		}
		f.deliver(t)
		msgs := f.messages(t, j.ID)
		if m := msgs[cs[0].ID]; m.Status != bulk.MessageSkipped || m.SkipReason != bulk.SkipClosed || m.Attempts != 0 || m.To != crm.Redacted {
			t.Errorf("the erased customer's message: %+v", m)
		}
		if m := msgs[cs[1].ID]; m.Status != bulk.MessageSent {
			t.Errorf("the other message: %+v", m)
		}
		if got := rec.to(); len(got) != 1 || got[cs[1].Phone] != 1 {
			t.Errorf("sent to %v, want the other customer alone", got)
		}
	})
}

// TestCommunicationResumeSendsOnce: a job resumed after a crash queues no
// recipient twice, and each gets one message.
func TestCommunicationResumeSendsOnce(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		rec := &recorder{}
		f.withNotifier(rec)
		cs := f.seed(t, 5)
		var ids []string
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		j := mustSubmitCommunication(t, f, bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: ids},
			Channel: notify.ChannelSMS, Category: bulk.CategoryOutage, Body: "Outage in your area, {{.Name}}."})
		dying, cancel := context.WithCancel(ctx(t))
		crashed := bulk.NewService(st, crashAfter(st, 2, cancel), f.customers, bulk.Options{BatchSize: 2, CreateBatchSize: 2, Now: f.clock.Now, Notifier: rec})
		if _, err := crashed.ProcessDue(dying); err != nil {
			t.Fatal(err)
		}
		f.deliver(t) // the first batch's messages go out meanwhile
		f.clock.Add(bulk.DefaultLease)
		done := f.drain(t, f.svc, j.ID)
		f.deliver(t)
		if done.Counts != (bulk.Counts{Created: 5}) || done.Lease.Claims != 2 {
			t.Fatalf("after the resume: %+v claims %d", done.Counts, done.Lease.Claims)
		}
		got := rec.to()
		if len(got) != 5 {
			t.Fatalf("sent to %d recipients, want 5: %v", len(got), got)
		}
		for to, n := range got {
			if n != 1 {
				t.Errorf("%s got %d messages", to, n)
			}
		}
	})
}

// TestCommunicationDryRun counts and queues nothing.
func TestCommunicationDryRun(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		rec := &recorder{}
		f.withNotifier(rec)
		cs := f.seed(t, 3)
		j := f.drain(t, f.svc, mustSubmitCommunication(t, f, bulk.CommunicationRequest{
			Target:  bulk.Target{Filter: map[string]bulk.FilterValue{"customer_type": "residential"}},
			Channel: notify.ChannelSMS, Category: bulk.CategoryBilling, Body: "Your bill", DryRun: true}).ID)
		if j.Counts != (bulk.Counts{Skipped: 3}) || j.SkippedBy[bulk.SkipOptedOut] != 3 {
			t.Fatalf("dry run %+v %v", j.Counts, j.SkippedBy)
		}
		f.deliver(t)
		if len(rec.to()) != 0 || len(f.messages(t, j.ID)) != 0 {
			t.Errorf("a dry run queued or sent messages")
		}
		_ = cs
	})
}
