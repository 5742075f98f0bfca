-- The outbox of communication jobs (bulk.Message): one row per recipient
-- of a job, at most one per customer, so a batch queued again after a
-- crash adds nobody twice. The customer is a column of the row and of an
-- index, so erasing a customer redacts its messages without a scan.
CREATE TABLE job_messages (
    id          text COLLATE "C" PRIMARY KEY,
    job_id      text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    customer_id text COLLATE "C" NOT NULL REFERENCES customers (id),
    channel     text NOT NULL,
    to_address  text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    status      text NOT NULL,
    skip_reason text NOT NULL,
    attempts    integer NOT NULL,
    last_error  text NOT NULL,
    sent_at     timestamptz,
    due_at      timestamptz,
    claimed_by  text NOT NULL,
    version     bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (job_id, customer_id)
);

-- A job's messages by id (its messages resource), by status then id (the
-- resource filtered by status, and the counts per status).
CREATE INDEX job_messages_job_idx ON job_messages (job_id, id);
CREATE INDEX job_messages_job_status_idx ON job_messages (job_id, status, id);

-- The senders' queue: only queued messages have a due_at.
CREATE INDEX job_messages_due_idx ON job_messages (due_at, id) WHERE due_at IS NOT NULL;

-- A customer's messages, for redaction when the customer is erased.
CREATE INDEX job_messages_customer_idx ON job_messages (customer_id);
