package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var messageTests = []test{
	{"RoundTrip", testMessageRoundTrip},
	{"Insert", testInsertMessages},
	{"InsertLarge", testInsertMessagesLarge},
	{"InsertRefused", testInsertMessagesRefused},
	{"NotFound", testMessageNotFound},
	{"UpdateAtVersion", testMessageUpdate},
	{"List", testListMessages},
	{"Count", testCountMessages},
	{"Due", testDueMessages},
	{"DueSkipsLocked", testDueMessagesSkipLocked},
	{"DueDrainedOnce", testDueMessagesDrainedOnce},
	{"Redact", testRedactMessages},
	{"Rollback", testMessageRollback},
	{"Aliasing", testMessageAliasing},
}

// newMessage returns a message of the job to the customer with every field
// set. The workflow never writes this mix (a sent message is not due),
// but a store keeps each field as it is given.
func newMessage(t testing.TB, jobID, customerID string) *bulk.Message {
	return &bulk.Message{
		ID: newID(t), JobID: jobID, CustomerID: customerID, Channel: notify.ChannelEmail,
		To: "ann.lee@example.org", Subject: "Ihre Rechnung für März: \"ü\"",
		Body:   "Dear Ann,\n\nyour invoice\tis ready.\n",
		Status: bulk.MessageFailed, SkipReason: bulk.SkipOptedOut, Attempts: 5,
		LastError: "smtp: 550 mailbox unavailable", SentAt: ptr(at(time.Second)),
		DueAt: ptr(at(time.Minute)), ClaimedBy: "claim-" + newID(t), Version: 7,
		CreatedAt: base, UpdatedAt: at(time.Hour),
	}
}

// queuedMessage returns a message just queued, due at due: an SMS without
// a subject, nothing sent, tried or claimed yet.
func queuedMessage(id, jobID, customerID string, due *time.Time) *bulk.Message {
	return &bulk.Message{
		ID: id, JobID: jobID, CustomerID: customerID, Channel: notify.ChannelSMS, To: "+13035550100",
		Body: "Planned outage tonight", Status: bulk.MessageQueued, DueAt: due,
		Version: 1, CreatedAt: base, UpdatedAt: base,
	}
}

// messageStore returns a new store holding a queued job and n customers.
func messageStore(t *testing.T, newStore newStoreFunc, n int) (store.Store, *bulk.Job, []*customer.Customer) {
	t.Helper()
	s := newStore(t)
	j := queuedJob(newID(t), nil)
	j.Kind = bulk.KindCommunication
	createJobs(t, s, j)
	return s, j, newCustomers(t, s, n)
}

// newCustomers stores n new customers in one transaction.
func newCustomers(t *testing.T, s store.Store, n int) []*customer.Customer {
	t.Helper()
	cs := make([]*customer.Customer, n)
	for i := range cs {
		cs[i] = newCustomer(t, fmt.Sprintf("Recipient %d", i))
	}
	err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
		for _, c := range cs {
			if err := tx.CreateCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	ok(t, "CreateCustomer", err)
	return cs
}

// insertMessages stores ms, failing the test unless every one is added.
func insertMessages(t *testing.T, s store.Store, ms ...*bulk.Message) {
	t.Helper()
	n, err := s.InsertMessages(t.Context(), messageValues(ms))
	ok(t, "InsertMessages", err)
	if n != len(ms) {
		t.Fatalf("InsertMessages added %d messages, want %d", n, len(ms))
	}
}

// messageValues copies the messages ms points at.
func messageValues(ms []*bulk.Message) []bulk.Message {
	out := make([]bulk.Message, len(ms))
	for i, m := range ms {
		out[i] = *deepCopy(m)
	}
	return out
}

// mustGetMessage reads a message, failing the test on any error.
func mustGetMessage(t *testing.T, s store.Store, jobID, id string) *bulk.Message {
	t.Helper()
	m, err := s.GetMessage(t.Context(), jobID, id)
	ok(t, "GetMessage", err)
	return m
}

// listMessages reads every message of the job, failing the test on any
// error.
func listMessages(t *testing.T, s store.Store, jobID string) []bulk.Message {
	t.Helper()
	ms, err := s.ListMessages(t.Context(), jobID, "", "", 0)
	ok(t, "ListMessages", err)
	return ms
}

// Every field of a message comes back as it was stored; times as Postgres
// keeps them.
func testMessageRoundTrip(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 3)
	zone := time.FixedZone("UTC-7", -7*3600)
	skew := func(t time.Time) time.Time { return t.Add(999 * time.Nanosecond).In(zone) }
	skewed := newMessage(t, j.ID, cs[2].ID)
	skewedWant := deepCopy(skewed)
	skewed.CreatedAt, skewed.UpdatedAt = skew(skewed.CreatedAt), skew(skewed.UpdatedAt)
	skewed.SentAt, skewed.DueAt = ptr(skew(*skewed.SentAt)), ptr(skew(*skewed.DueAt))

	for _, tc := range []struct {
		name     string
		in, want *bulk.Message
	}{
		{"every field", newMessage(t, j.ID, cs[0].ID), nil},
		{"queued", queuedMessage(newID(t), j.ID, cs[1].ID, ptr(base)), nil},
		{"times in another zone with nanoseconds", skewed, skewedWant},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = deepCopy(tc.in)
			}
			insertMessages(t, s, tc.in)
			check(t, "GetMessage", want, mustGetMessage(t, s, j.ID, tc.in.ID))
		})
	}
}

// A message whose job already has one for its customer is left out,
// whether that one is stored or earlier in the same call; the count says
// how many were added, and the first of each customer is the one kept.
func testInsertMessages(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 3)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	insert := func(what string, want int, ms ...*bulk.Message) {
		t.Helper()
		n, err := s.InsertMessages(ctx, messageValues(ms))
		ok(t, "InsertMessages of "+what, err)
		if n != want {
			t.Errorf("InsertMessages of %s added %d messages, want %d", what, n, want)
		}
	}

	toA, toB := newMessage(t, j.ID, cs[0].ID), queuedMessage(newID(t), j.ID, cs[1].ID, ptr(base))
	againA := queuedMessage(newID(t), j.ID, cs[0].ID, ptr(base))
	othersA := queuedMessage(newID(t), other.ID, cs[0].ID, ptr(base))
	insert("a batch repeating a customer", 3, toA, toB, againA, othersA)

	toC := queuedMessage(newID(t), j.ID, cs[2].ID, nil)
	othersB := newMessage(t, other.ID, cs[1].ID)
	insert("a batch repeating stored customers", 2,
		queuedMessage(newID(t), j.ID, cs[1].ID, nil), toC, queuedMessage(newID(t), j.ID, cs[2].ID, ptr(base)), othersB)
	insert("the first batch again", 0, toA, toB, againA, othersA)
	insert("no messages", 0)

	want := []bulk.Message{*toA, *toB, *toC}
	check(t, "messages of the job", want, listMessages(t, s, j.ID))
	check(t, "messages of the other job", []bulk.Message{*othersA, *othersB}, listMessages(t, s, other.ID))
	_, err := s.GetMessage(ctx, j.ID, againA.ID)
	wantCode(t, "GetMessage of a message left out", err, crm.CodeNotFound)
}

// A batch as large as the workflow writes lands in one call, and a batch
// retried over part of it adds only the rest.
func testInsertMessagesLarge(t *testing.T, newStore newStoreFunc) {
	const n = 1000
	s, j, cs := messageStore(t, newStore, n)
	batch := func(from, to int) []bulk.Message {
		ids := newIDs(t, to-from)
		out := make([]bulk.Message, to-from)
		for i := range out {
			out[i] = *queuedMessage(ids[i], j.ID, cs[from+i].ID, ptr(at(time.Duration(i)*time.Millisecond)))
		}
		return out
	}
	first := batch(0, 600)
	added, err := s.InsertMessages(t.Context(), first)
	ok(t, "InsertMessages of 600", err)
	check(t, "added of 600", 600, added)
	all := batch(0, n)
	added, err = s.InsertMessages(t.Context(), all)
	ok(t, "InsertMessages of 1000 over the 600", err)
	check(t, "added of 1000 over the 600", 400, added)
	check(t, "messages", append(slices.Clone(first), all[600:]...), listMessages(t, s, j.ID))
}

// A call that cannot add every message it should adds none: an unknown
// job or customer is not_found, a taken id a conflict.
func testInsertMessagesRefused(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 3)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	stored := queuedMessage(newID(t), j.ID, cs[0].ID, ptr(base))
	insertMessages(t, s, stored)

	for _, tc := range []struct {
		name string
		ms   []*bulk.Message
		code crm.Code
	}{
		{"an unknown job", []*bulk.Message{
			newMessage(t, j.ID, cs[1].ID), newMessage(t, newID(t), cs[2].ID)}, crm.CodeNotFound},
		{"only unknown jobs", []*bulk.Message{newMessage(t, newID(t), cs[1].ID)}, crm.CodeNotFound},
		{"an unknown customer", []*bulk.Message{
			newMessage(t, j.ID, cs[1].ID), newMessage(t, j.ID, newID(t))}, crm.CodeNotFound},
		{"a taken id", []*bulk.Message{
			newMessage(t, j.ID, cs[1].ID), queuedMessage(stored.ID, j.ID, cs[2].ID, nil)}, crm.CodeConflict},
		{"an id taken in another job", []*bulk.Message{
			newMessage(t, other.ID, cs[1].ID), queuedMessage(stored.ID, other.ID, cs[0].ID, nil)}, crm.CodeConflict},
		{"an id twice", func() []*bulk.Message {
			a, b := newMessage(t, j.ID, cs[1].ID), newMessage(t, j.ID, cs[2].ID)
			b.ID = a.ID
			return []*bulk.Message{a, b}
		}(), crm.CodeConflict},
	} {
		_, err := s.InsertMessages(ctx, messageValues(tc.ms))
		wantCode(t, "InsertMessages of "+tc.name, err, tc.code)
	}
	check(t, "messages after refused calls", []bulk.Message{*stored}, listMessages(t, s, j.ID))
	check(t, "other job's messages after refused calls", []bulk.Message(nil), listMessages(t, s, other.ID))

	// An unknown job fails only the call, not the transaction it is in.
	later := newMessage(t, j.ID, cs[1].ID)
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		_, err := tx.InsertMessages(ctx, messageValues([]*bulk.Message{newMessage(t, newID(t), cs[1].ID)}))
		wantCode(t, "InsertMessages of an unknown job in tx", err, crm.CodeNotFound)
		_, err = tx.InsertMessages(ctx, messageValues([]*bulk.Message{later}))
		return err
	})
	ok(t, "RunInTx(InsertMessages after an unknown job)", err)
	check(t, "messages after the transaction", []bulk.Message{*stored, *later}, listMessages(t, s, j.ID))
}

// A message is found only with its own job.
func testMessageNotFound(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 1)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	m := newMessage(t, j.ID, cs[0].ID)
	insertMessages(t, s, m)

	for _, tc := range []struct{ name, jobID, id string }{
		{"an unknown id", j.ID, newID(t)},
		{"another job's message", other.ID, m.ID},
		{"an unknown job", newID(t), m.ID},
	} {
		_, err := s.GetMessage(ctx, tc.jobID, tc.id)
		wantCode(t, "GetMessage of "+tc.name, err, crm.CodeNotFound)
		u := deepCopy(m)
		u.JobID, u.ID, u.Version, u.Status = tc.jobID, tc.id, m.Version+1, bulk.MessageSent
		wantCode(t, "UpdateMessage of "+tc.name, s.UpdateMessage(ctx, u), crm.CodeNotFound)
	}
	check(t, "message after refused updates", m, mustGetMessage(t, s, j.ID, m.ID))
}

// UpdateMessage replaces every field, clearing the optional ones too,
// over the version before; a stale version changes nothing. The customer
// may change to one the job has no message for.
func testMessageUpdate(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 3)
	ctx := t.Context()
	m := queuedMessage(newID(t), j.ID, cs[0].ID, ptr(base))
	toB := queuedMessage(newID(t), j.ID, cs[1].ID, ptr(base))
	insertMessages(t, s, m, toB)

	next := newMessage(t, j.ID, cs[0].ID)
	next.ID, next.Version = m.ID, m.Version+1
	ok(t, "UpdateMessage", s.UpdateMessage(ctx, next))
	check(t, "updated message", next, mustGetMessage(t, s, j.ID, m.ID))

	back := deepCopy(m)
	back.Version = next.Version + 1
	ok(t, "UpdateMessage back", s.UpdateMessage(ctx, back))
	check(t, "message updated back", back, mustGetMessage(t, s, j.ID, m.ID))

	for _, version := range []int64{back.Version, back.Version + 2, 1} {
		stale := deepCopy(next)
		stale.Version = version
		wantCode(t, fmt.Sprintf("UpdateMessage at version %d over %d", version, back.Version), s.UpdateMessage(ctx, stale),
			crm.CodePreconditionFailed)
	}
	check(t, "message after refused updates", back, mustGetMessage(t, s, j.ID, m.ID))

	taken := deepCopy(back)
	taken.CustomerID, taken.Version = cs[1].ID, back.Version+1
	wantCode(t, "UpdateMessage to a customer with a message", s.UpdateMessage(ctx, taken), crm.CodeConflict)
	moved := deepCopy(back)
	moved.CustomerID, moved.Version = cs[2].ID, back.Version+1
	ok(t, "UpdateMessage to another customer", s.UpdateMessage(ctx, moved))
	check(t, "moved message", moved, mustGetMessage(t, s, j.ID, m.ID))
	// The customer it left has no message any more; the one it moved to has.
	n, err := s.InsertMessages(ctx, []bulk.Message{
		*queuedMessage(newID(t), j.ID, cs[0].ID, nil), *queuedMessage(newID(t), j.ID, cs[2].ID, nil)})
	ok(t, "InsertMessages after the move", err)
	check(t, "added after the move", 1, n)
}

// ListMessages pages a job's messages by id, whatever the order they were
// added in, all of them or those of one status.
func testListMessages(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 6)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	ids := newIDs(t, 7)
	statuses := []bulk.MessageStatus{bulk.MessageQueued, bulk.MessageSent, bulk.MessageSkipped,
		bulk.MessageSent, bulk.MessageFailed, bulk.MessageSent}
	all := make([]bulk.Message, 6)
	var ms []*bulk.Message
	for _, i := range []int{3, 0, 5, 1, 4, 2} {
		m := queuedMessage(ids[i], j.ID, cs[i].ID, nil)
		m.Status = statuses[i]
		all[i] = *m
		ms = append(ms, m)
	}
	// The other job's message sorts among the job's.
	ms = append(ms, queuedMessage(ids[6], other.ID, cs[0].ID, nil))
	insertMessages(t, s, ms...)
	sent := []bulk.Message{all[1], all[3], all[5]}

	list := func(jobID, afterID string, status bulk.MessageStatus, limit int) []bulk.Message {
		t.Helper()
		got, err := s.ListMessages(ctx, jobID, afterID, status, limit)
		ok(t, "ListMessages", err)
		return got
	}
	for _, tc := range []struct {
		name    string
		afterID string
		status  bulk.MessageStatus
		limit   int
		want    []bulk.Message
	}{
		{"all", "", "", 0, all},
		{"limit past the end", "", "", 100, all},
		{"first two", "", "", 2, all[:2]},
		{"after the second", ids[1], "", 0, all[2:]},
		{"after the second, limit 2", ids[1], "", 2, all[2:4]},
		{"after the last", ids[5], "", 10, nil},
		{"sent", "", bulk.MessageSent, 0, sent},
		{"sent, limit 2", "", bulk.MessageSent, 2, sent[:2]},
		{"sent after the second", ids[1], bulk.MessageSent, 0, sent[1:]},
		{"sent after the fourth, limit 1", ids[3], bulk.MessageSent, 1, sent[2:]},
		{"failed", "", bulk.MessageFailed, 0, all[4:5]},
		{"of a status none has", "", "bounced", 0, nil},
	} {
		check(t, "ListMessages "+tc.name, tc.want, list(j.ID, tc.afterID, tc.status, tc.limit))
	}
	for _, status := range []bulk.MessageStatus{"", bulk.MessageSent} {
		want := all
		if status != "" {
			want = sent
		}
		for _, limit := range []int{1, 2, 4} {
			var got []bulk.Message
			after := ""
			for {
				page := list(j.ID, after, status, limit)
				got = append(got, page...)
				if len(page) < limit {
					break
				}
				after = page[len(page)-1].ID
			}
			check(t, fmt.Sprintf("ListMessages of status %q in pages of %d", status, limit), want, got)
		}
	}
	check(t, "ListMessages of the other job", []bulk.Message{*ms[6]}, list(other.ID, "", "", 0))
	check(t, "ListMessages of an unknown job", []bulk.Message(nil), list(newID(t), "", "", 0))
}

// CountMessages counts a job's messages by status as they change.
func testCountMessages(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 5)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	var ms []*bulk.Message
	for i, status := range []bulk.MessageStatus{bulk.MessageQueued, bulk.MessageQueued, bulk.MessageSent,
		bulk.MessageSkipped, bulk.MessageQueued} {
		m := queuedMessage(newID(t), j.ID, cs[i].ID, nil)
		m.Status = status
		ms = append(ms, m)
	}
	insertMessages(t, s, append(ms, newMessage(t, other.ID, cs[0].ID))...)
	count := func(jobID string) map[bulk.MessageStatus]int {
		t.Helper()
		got, err := s.CountMessages(ctx, jobID)
		ok(t, "CountMessages", err)
		return got
	}
	check(t, "counts", map[bulk.MessageStatus]int{bulk.MessageQueued: 3, bulk.MessageSent: 1, bulk.MessageSkipped: 1}, count(j.ID))

	for _, m := range ms[:2] {
		m.Status, m.Version = bulk.MessageSent, m.Version+1
		ok(t, "UpdateMessage", s.UpdateMessage(ctx, m))
	}
	ms[4].Status, ms[4].Version = bulk.MessageFailed, ms[4].Version+1
	ok(t, "UpdateMessage", s.UpdateMessage(ctx, ms[4]))
	check(t, "counts after updates", map[bulk.MessageStatus]int{bulk.MessageSent: 3, bulk.MessageSkipped: 1, bulk.MessageFailed: 1}, count(j.ID))
	check(t, "counts of the other job", map[bulk.MessageStatus]int{bulk.MessageFailed: 1}, count(other.ID))
	check(t, "counts of an unknown job", map[bulk.MessageStatus]int{}, count(newID(t)))
}

func testDueMessages(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 6)
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	now := at(24 * time.Hour)
	ids := newIDs(t, 7)
	// The ties on DueAt get ids in the order opposite to their creation,
	// and messages of two jobs are due.
	tieB := queuedMessage(ids[1], j.ID, cs[0].ID, ptr(now.Add(-time.Hour)))
	tieA := queuedMessage(ids[0], other.ID, cs[0].ID, ptr(now.Add(-time.Hour)))
	oldest := newMessage(t, j.ID, cs[1].ID)
	oldest.ID, oldest.DueAt = ids[5], ptr(now.Add(-48*time.Hour))
	exactlyNow := queuedMessage(ids[2], j.ID, cs[2].ID, ptr(now))
	later := queuedMessage(ids[3], j.ID, cs[3].ID, ptr(now.Add(time.Microsecond)))
	sent := queuedMessage(ids[4], j.ID, cs[4].ID, nil)
	sent.Status, sent.SentAt = bulk.MessageSent, ptr(now.Add(-time.Hour))
	insertMessages(t, s, tieB, tieA, oldest, exactlyNow, later, sent)

	all := []bulk.Message{*oldest, *tieA, *tieB, *exactlyNow}
	dueInOrder(t, s, messageQueue, now, all, *later)
}

// claimMessages is what a sender does with the messages DueMessages gave
// it: takes each over with a lease that ends after now, in the transaction
// that selected it.
func claimMessages(ctx context.Context, tx store.Store, ms []bulk.Message, sender string, now time.Time) error {
	for i := range ms {
		m := ms[i]
		m.DueAt, m.ClaimedBy, m.Attempts, m.Version = ptr(now.Add(time.Hour)), sender, m.Attempts+1, m.Version+1
		if err := tx.UpdateMessage(ctx, &m); err != nil {
			return err
		}
	}
	return nil
}

// messageQueue is the messages as the claim tests drive them.
var messageQueue = claimQueue[bulk.Message]{
	due: func(ctx context.Context, tx store.Store, now time.Time, limit int) ([]bulk.Message, error) {
		return tx.DueMessages(ctx, now, limit)
	},
	claim: claimMessages,
	id:    func(m bulk.Message) string { return m.ID },
}

// Two transactions that select due messages at once get different ones
// (see skipsLocked).
func testDueMessagesSkipLocked(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 4)
	now := at(24 * time.Hour)
	ids := newIDs(t, 4)
	for i, id := range ids {
		insertMessages(t, s, queuedMessage(id, j.ID, cs[i].ID, ptr(now.Add(time.Duration(i-10)*time.Minute))))
	}
	skipsLocked(t, s, messageQueue, now, ids)
}

// Senders draining the queue at once each claim what they select: every
// due message is claimed exactly once, and no claim fails.
func testDueMessagesDrainedOnce(t *testing.T, newStore newStoreFunc) {
	const n = 30
	s, j, cs := messageStore(t, newStore, n)
	now := at(24 * time.Hour)
	var want []string
	for i := range n {
		m := queuedMessage(newID(t), j.ID, cs[i].ID, ptr(now.Add(-time.Duration(i%5)*time.Minute)))
		insertMessages(t, s, m)
		want = append(want, m.ID)
	}
	drainedOnce(t, s, messageQueue, now, want)
}

// RedactMessages replaces the non-empty address, subject and body of the
// customer's messages in every job, each at a new version, and leaves
// empty texts, other customers' messages and what is already redacted as
// they are.
func testRedactMessages(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 2)
	ctx := t.Context()
	other := queuedJob(newID(t), nil)
	createJobs(t, s, other)
	a, b := cs[0].ID, cs[1].ID
	email := newMessage(t, j.ID, a)
	sms := queuedMessage(newID(t), other.ID, a, ptr(base))
	skipped := queuedMessage(newID(t), j.ID, b, nil)
	skipped.To, skipped.Body, skipped.Status, skipped.SkipReason = "", "", bulk.MessageSkipped, bulk.SkipNoAddress
	ofB := newMessage(t, other.ID, b)
	insertMessages(t, s, email, sms, skipped, ofB)
	ok(t, "RedactMessages", s.RedactMessages(ctx, a))

	redacted := func(m *bulk.Message) bulk.Message {
		r := *deepCopy(m)
		for _, f := range []*string{&r.To, &r.Subject, &r.Body} {
			if *f != "" {
				*f = crm.Redacted
			}
		}
		r.Version++
		return r
	}
	wantJ, wantOther := []bulk.Message{redacted(email), *skipped}, []bulk.Message{redacted(sms), *ofB}
	check(t, "messages of the job after redaction", wantJ, listMessages(t, s, j.ID))
	check(t, "messages of the other job after redaction", wantOther, listMessages(t, s, other.ID))

	// A sender holding a copy from before cannot write the text back.
	stale := deepCopy(email)
	stale.Status, stale.Version = bulk.MessageSent, email.Version+1
	wantCode(t, "UpdateMessage of a copy from before the redaction", s.UpdateMessage(ctx, stale), crm.CodePreconditionFailed)

	ok(t, "RedactMessages again", s.RedactMessages(ctx, a))
	ok(t, "RedactMessages of a customer without text", s.RedactMessages(ctx, b))
	ok(t, "RedactMessages of an unknown customer", s.RedactMessages(ctx, newID(t)))
	wantOther[1] = redacted(ofB)
	check(t, "messages of the job after redacting again", wantJ, listMessages(t, s, j.ID))
	check(t, "messages of the other job after redacting again", wantOther, listMessages(t, s, other.ID))
}

// A failing transaction leaves no message it added and restores what it
// changed or redacted; the ids and customers of the messages it added are
// free again.
func testMessageRollback(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 3)
	ctx := t.Context()
	kept := newMessage(t, j.ID, cs[0].ID)
	insertMessages(t, s, kept)
	added := []*bulk.Message{queuedMessage(newID(t), j.ID, cs[1].ID, ptr(base)), newMessage(t, j.ID, cs[2].ID)}
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		n, err := tx.InsertMessages(ctx, messageValues(added))
		ok(t, "InsertMessages in tx", err)
		check(t, "added in tx", 2, n)
		u := queuedMessage(kept.ID, j.ID, cs[0].ID, nil)
		u.Version = kept.Version + 1
		ok(t, "UpdateMessage in tx", tx.UpdateMessage(ctx, u))
		ok(t, "RedactMessages in tx", tx.RedactMessages(ctx, cs[0].ID))
		ok(t, "RedactMessages of an added message in tx", tx.RedactMessages(ctx, cs[2].ID))
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	check(t, "messages after rollback", []bulk.Message{*kept}, listMessages(t, s, j.ID))
	counts, err := s.CountMessages(ctx, j.ID)
	ok(t, "CountMessages", err)
	check(t, "counts after rollback", map[bulk.MessageStatus]int{kept.Status: 1}, counts)
	insertMessages(t, s, added...)
}

// scribbleMessage changes every part of m that a shallow copy would share
// with the store, and a field besides.
func scribbleMessage(m *bulk.Message) {
	m.Status = "scribbled"
	*m.SentAt, *m.DueAt = time.Time{}, time.Time{}
}

// Neither the values passed to the writes nor the ones returned by any
// read share memory with what is stored.
func testMessageAliasing(t *testing.T, newStore newStoreFunc) {
	s, j, cs := messageStore(t, newStore, 1)
	ctx := t.Context()
	in := []bulk.Message{*newMessage(t, j.ID, cs[0].ID)}
	want := deepCopy(&in[0])
	_, err := s.InsertMessages(ctx, in)
	ok(t, "InsertMessages", err)
	scribbleMessage(&in[0])
	check(t, "after changing the input", want, mustGetMessage(t, s, j.ID, want.ID))

	scribbleMessage(mustGetMessage(t, s, j.ID, want.ID))
	for _, read := range []func() ([]bulk.Message, error){
		func() ([]bulk.Message, error) { return s.ListMessages(ctx, j.ID, "", "", 0) },
		func() ([]bulk.Message, error) { return s.DueMessages(ctx, at(time.Hour), 0) },
	} {
		ms, err := read()
		ok(t, "read", err)
		check(t, "read", []bulk.Message{*want}, ms)
		scribbleMessage(&ms[0])
	}
	check(t, "after changing what Get, List and Due returned", want, mustGetMessage(t, s, j.ID, want.ID))

	up := deepCopy(want)
	up.Version++
	want = deepCopy(up)
	ok(t, "UpdateMessage", s.UpdateMessage(ctx, up))
	scribbleMessage(up)
	check(t, "after changing the update", want, mustGetMessage(t, s, j.ID, want.ID))
}
