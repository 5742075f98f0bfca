-- Bulk jobs (package bulk): a table of their own, not below a customer.
-- What the runners select on or the API reads is in columns: the state,
-- the progress and counts, the lease. The first bulk.MaxJobErrors row
-- errors are one JSON array (read with the job, never queried); the
-- request and the checkpoint are the kind's raw JSON, stored as json, not
-- jsonb, so they come back byte for byte.
CREATE TABLE jobs (
    id               text COLLATE "C" PRIMARY KEY,
    kind             text NOT NULL,
    state            text NOT NULL,
    dry_run          boolean NOT NULL,
    processed        integer NOT NULL,
    total            integer NOT NULL,
    created          integer NOT NULL,
    updated          integer NOT NULL,
    unchanged        integer NOT NULL,
    skipped          integer NOT NULL,
    failed           integer NOT NULL,
    errors           jsonb NOT NULL,
    error_count      integer NOT NULL,
    failure          text NOT NULL,
    cancel_requested boolean NOT NULL,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    request          json,
    checkpoint       json,
    due_at           timestamptz,
    claimed_by       text NOT NULL,
    claims           integer NOT NULL,
    version          bigint NOT NULL,
    updated_at       timestamptz NOT NULL,
    skipped_by       jsonb NOT NULL
);

-- The runners' queue: only jobs not yet final have a due_at, usually few.
-- The list of jobs, newest first, reads the primary key backwards.
CREATE INDEX jobs_due_idx ON jobs (due_at, id) WHERE due_at IS NOT NULL;

-- Every row error of a job, numbered in the order written (the k-th error
-- of the job is number k), so a batch retried after a crash writes the
-- same numbers and clashes instead of doubling.
CREATE TABLE job_errors (
    job_id      text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    row         integer NOT NULL,
    customer_id text NOT NULL,
    field       text NOT NULL,
    message     text NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- A job's input (an uploaded file) in chunks numbered from 0, kept until
-- the job is final.
CREATE TABLE job_inputs (
    job_id text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    integer NOT NULL,
    data   bytea NOT NULL,
    PRIMARY KEY (job_id, seq)
);
