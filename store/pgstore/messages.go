package pgstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
)

// The messages of communication jobs are rows of job_messages, written as
// jobs are: a statement that cannot write because the job is absent
// changes nothing, rather than fail on the foreign key and abort the
// caller's transaction, and a second read explains it. A batch of messages
// is one INSERT over one array per column, unnested in order, so queueing
// a batch of a thousand recipients is one round trip.
//
// The senders' queue is the partial due_at index: DueMessages reads it
// FOR UPDATE SKIP LOCKED as DueJobs reads the jobs'.

const (
	messageColumns = `id, job_id, customer_id, channel, to_address, subject, body, status, skip_reason,
	attempts, last_error, sent_at, due_at, claimed_by, version, created_at, updated_at`

	// insertMessagesSQL writes the batch in order, leaving out a message
	// whose job has one for its customer (stored, or earlier in the
	// batch), or nothing when one of the jobs is absent.
	insertMessagesSQL = `INSERT INTO job_messages (` + messageColumns + `)
		SELECT m.id, m.job_id, m.customer_id, m.channel, m.to_address, m.subject, m.body, m.status, m.skip_reason,
			m.attempts, m.last_error, m.sent_at, m.due_at, m.claimed_by, m.version, m.created_at, m.updated_at
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::integer[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::bigint[],
			$16::timestamptz[], $17::timestamptz[]) WITH ORDINALITY
			AS m (id, job_id, customer_id, channel, to_address, subject, body, status, skip_reason,
			attempts, last_error, sent_at, due_at, claimed_by, version, created_at, updated_at, n)
		WHERE NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS j (id) WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = j.id))
		ORDER BY m.n
		ON CONFLICT (job_id, customer_id) DO NOTHING`
	// messageJobsExistSQL is true when every job of the array $1 exists.
	messageJobsExistSQL = `SELECT NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS j (id)
		WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = j.id))`

	getMessageSQL = `SELECT ` + messageColumns + ` FROM job_messages WHERE id = $1 AND job_id = $2`
	// updateMessageSQL writes every column but the two that find the row.
	updateMessageSQL = `UPDATE job_messages SET customer_id = $3, channel = $4, to_address = $5, subject = $6,
		body = $7, status = $8, skip_reason = $9, attempts = $10, last_error = $11, sent_at = $12, due_at = $13,
		claimed_by = $14, version = $15::bigint, created_at = $16, updated_at = $17
		WHERE id = $1 AND job_id = $2 AND version = $15::bigint - 1`
	messageVersionSQL = `SELECT version FROM job_messages WHERE id = $1 AND job_id = $2`
	listMessagesSQL   = `SELECT ` + messageColumns + ` FROM job_messages WHERE job_id = $1 AND id > $2 ORDER BY id LIMIT $3`
	listMessagesOfSQL = `SELECT ` + messageColumns + ` FROM job_messages WHERE job_id = $1 AND id > $2 AND status = $3
		ORDER BY id LIMIT $4`
	countMessagesSQL = `SELECT status, count(*) FROM job_messages WHERE job_id = $1 GROUP BY status`
	dueMessagesSQL   = `SELECT ` + messageColumns + ` FROM job_messages WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2
		FOR UPDATE SKIP LOCKED`
	// redactMessagesSQL replaces the non-empty address, subject and body
	// of the customer's messages not redacted yet, as a change (a new
	// version), so a sender holding an older copy cannot write the text
	// back.
	redactMessagesSQL = `UPDATE job_messages SET
		to_address = CASE WHEN to_address = '' THEN '' ELSE $2 END,
		subject = CASE WHEN subject = '' THEN '' ELSE $2 END,
		body = CASE WHEN body = '' THEN '' ELSE $2 END,
		version = version + 1
		WHERE customer_id = $1
		  AND (to_address NOT IN ('', $2) OR subject NOT IN ('', $2) OR body NOT IN ('', $2))`
)

// InsertMessages adds ms in one statement, in order, and returns how many
// it added: a message whose job already has one for its customer, stored
// or earlier in ms, is left out. not_found, adding nothing, when a job of
// ms is absent; a taken id (conflict) or an absent customer (not_found)
// fails the statement, which aborts the caller's transaction: neither is
// expected, since ids are new and callers queue customers they have just
// read. No messages is nothing to write.
func (s *Store) InsertMessages(ctx context.Context, ms []bulk.Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	b := newMessageBatch(len(ms))
	for i := range ms {
		b.add(i, &ms[i])
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "insert messages", insertMessagesSQL, b.values()...)
	if err != nil || n == len(ms) {
		return n, err
	}
	var exist bool
	if err := h.q.QueryRowContext(ctx, messageJobsExistSQL, b.jobIDs).Scan(&exist); err != nil {
		return 0, s.mapErr(err, "find jobs")
	}
	if !exist {
		return 0, crm.NotFound("job")
	}
	return n, nil
}

// GetMessage returns the message of the job; not_found when absent or of
// another job.
func (s *Store) GetMessage(ctx context.Context, jobID, id string) (*bulk.Message, error) {
	return getRecord[bulk.Message, messageRow](ctx, s, "message", getMessageSQL, id, jobID)
}

// UpdateMessage stores m over the row of m.JobID and m.ID at m.Version-1:
// not_found when absent (or of another job), precondition_failed when at
// another version.
func (s *Store) UpdateMessage(ctx context.Context, m *bulk.Message) error {
	r := messageToRow(m)
	return s.writeVersioned(ctx, "update message", versioned{what: "message", id: m.ID, want: m.Version - 1,
		versionSQL: messageVersionSQL, versionArgs: []any{m.ID, m.JobID}}, updateMessageSQL, r.values()...)
}

// ListMessages returns up to limit (all when limit <= 0) messages of the
// job by id, strictly after afterID, of status when it is not "". Each
// form has its own statement, so each plan uses its own index.
func (s *Store) ListMessages(ctx context.Context, jobID, afterID string, status bulk.MessageStatus, limit int) ([]bulk.Message, error) {
	if status == "" {
		return listRecords[bulk.Message, messageRow](ctx, s, "list messages", listMessagesSQL, jobID, afterID, limitArg(limit))
	}
	return listRecords[bulk.Message, messageRow](ctx, s, "list messages", listMessagesOfSQL, jobID, afterID, string(status), limitArg(limit))
}

// CountMessages counts the job's messages by status; a status without
// messages is absent.
func (s *Store) CountMessages(ctx context.Context, jobID string) (map[bulk.MessageStatus]int, error) {
	out := map[bulk.MessageStatus]int{}
	err := s.query(ctx, countMessagesSQL, []any{jobID}, func(rows rowScanner) error {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return err
		}
		out[bulk.MessageStatus(status)] = n
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "count messages")
	}
	return out, nil
}

// DueMessages returns up to limit (all when limit <= 0) messages due at
// or before now, by due time then id, selected FOR UPDATE SKIP LOCKED:
// inside RunInTx they stay locked and rows another transaction holds are
// skipped, so two senders never claim the same message.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]bulk.Message, error) {
	return listRecords[bulk.Message, messageRow](ctx, s, "due messages", dueMessagesSQL, ts(now), limitArg(limit))
}

// RedactMessages replaces the non-empty To, Subject and Body of the
// customer's messages with crm.Redacted, each redacted message at a new
// version.
func (s *Store) RedactMessages(ctx context.Context, customerID string) error {
	return s.exec(ctx, "redact messages", redactMessagesSQL, customerID, crm.Redacted)
}

// messageBatch is a batch of messages as one array per column, in
// messageColumns order, every time as ts keeps it.
type messageBatch struct {
	ids, jobIDs, customerIDs, channels, tos, subjects, bodies, statuses, skipReasons []string
	attempts                                                                         []int
	lastErrors                                                                       []string
	sentAts, dueAts                                                                  []*time.Time
	claimedBy                                                                        []string
	versions                                                                         []int64
	createdAts, updatedAts                                                           []time.Time
}

// newMessageBatch returns the columns of a batch of n messages.
func newMessageBatch(n int) *messageBatch {
	strs := func() []string { return make([]string, n) }
	return &messageBatch{
		ids: strs(), jobIDs: strs(), customerIDs: strs(), channels: strs(), tos: strs(), subjects: strs(),
		bodies: strs(), statuses: strs(), skipReasons: strs(), attempts: make([]int, n), lastErrors: strs(),
		sentAts: make([]*time.Time, n), dueAts: make([]*time.Time, n), claimedBy: strs(),
		versions: make([]int64, n), createdAts: make([]time.Time, n), updatedAts: make([]time.Time, n),
	}
}

// add sets message i of the batch.
func (c *messageBatch) add(i int, m *bulk.Message) {
	c.ids[i], c.jobIDs[i], c.customerIDs[i], c.channels[i] = m.ID, m.JobID, m.CustomerID, string(m.Channel)
	c.tos[i], c.subjects[i], c.bodies[i] = m.To, m.Subject, m.Body
	c.statuses[i], c.skipReasons[i], c.attempts[i], c.lastErrors[i] = string(m.Status), m.SkipReason, m.Attempts, m.LastError
	c.sentAts[i], c.dueAts[i], c.claimedBy[i] = tsPtr(m.SentAt), tsPtr(m.DueAt), m.ClaimedBy
	c.versions[i], c.createdAts[i], c.updatedAts[i] = m.Version, ts(m.CreatedAt), ts(m.UpdatedAt)
}

// values returns the arrays as the arguments of insertMessagesSQL.
func (c *messageBatch) values() []any {
	return []any{c.ids, c.jobIDs, c.customerIDs, c.channels, c.tos, c.subjects, c.bodies, c.statuses, c.skipReasons,
		c.attempts, c.lastErrors, c.sentAts, c.dueAts, c.claimedBy, c.versions, c.createdAts, c.updatedAts}
}

// tsPtr is ts for an optional time in an array, where nil is NULL.
func tsPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := ts(*t)
	return &u
}

// messageRow is one row of the job_messages table.
type messageRow struct {
	ID, JobID, CustomerID, Channel, To, Subject, Body, Status, SkipReason string
	Attempts                                                              int
	LastError                                                             string
	SentAt, DueAt                                                         sql.NullTime
	ClaimedBy                                                             string
	Version                                                               int64
	CreatedAt, UpdatedAt                                                  time.Time
}

// dest returns scan destinations in messageColumns order.
func (r *messageRow) dest() []any {
	return []any{&r.ID, &r.JobID, &r.CustomerID, &r.Channel, &r.To, &r.Subject, &r.Body, &r.Status, &r.SkipReason,
		&r.Attempts, &r.LastError, &r.SentAt, &r.DueAt, &r.ClaimedBy, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

// values returns query arguments in messageColumns order.
func (r *messageRow) values() []any {
	return []any{r.ID, r.JobID, r.CustomerID, r.Channel, r.To, r.Subject, r.Body, r.Status, r.SkipReason,
		r.Attempts, r.LastError, r.SentAt, r.DueAt, r.ClaimedBy, r.Version, r.CreatedAt, r.UpdatedAt}
}

// messageToRow converts m for writing, every time as ts keeps it.
func messageToRow(m *bulk.Message) *messageRow {
	return &messageRow{
		ID: m.ID, JobID: m.JobID, CustomerID: m.CustomerID, Channel: string(m.Channel),
		To: m.To, Subject: m.Subject, Body: m.Body, Status: string(m.Status), SkipReason: m.SkipReason,
		Attempts: m.Attempts, LastError: m.LastError, SentAt: nullTime(m.SentAt), DueAt: nullTime(m.DueAt),
		ClaimedBy: m.ClaimedBy, Version: m.Version, CreatedAt: ts(m.CreatedAt), UpdatedAt: ts(m.UpdatedAt),
	}
}

// decode converts a scanned row.
func (r *messageRow) decode() (*bulk.Message, error) {
	return &bulk.Message{
		ID: r.ID, JobID: r.JobID, CustomerID: r.CustomerID, Channel: notify.Channel(r.Channel),
		To: r.To, Subject: r.Subject, Body: r.Body, Status: bulk.MessageStatus(r.Status), SkipReason: r.SkipReason,
		Attempts: r.Attempts, LastError: r.LastError, SentAt: timePtr(r.SentAt), DueAt: timePtr(r.DueAt),
		ClaimedBy: r.ClaimedBy, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}, nil
}
