-- Verifications of a customer (package verify): identity (KYC), credit
-- checks and address verifications in one history. As every child table,
-- keyed and indexed by customer_id first, so the schema can be distributed
-- by customer_id. The workflow's bookkeeping (verify.Job) is in columns,
-- since workers select on due_at; what only the kind's own code reads
-- (verify.Identity, CreditCheck or AddressCheck) is one JSON object,
-- {"identity": …}, {"credit": …} or {"address": …}. Rows are deleted when
-- their customer is erased.
CREATE TABLE verifications (
    customer_id text COLLATE "C" NOT NULL REFERENCES customers (id),
    id          text COLLATE "C" NOT NULL,
    kind        text NOT NULL,
    subject     text NOT NULL,
    status      text NOT NULL,
    detail      jsonb NOT NULL,
    due_at      timestamptz,
    claimed_by  text NOT NULL,
    claims      integer NOT NULL,
    attempts    integer NOT NULL,
    last_error  text NOT NULL,
    version     bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);

-- At most one open (pending or in progress) identity verification per
-- customer, whatever the race. The writes check the rule themselves; the
-- index is the backstop, and its name is what pgstore maps to the
-- conflict.
CREATE UNIQUE INDEX verifications_open_identity_key ON verifications (customer_id)
    WHERE kind = 'identity' AND status IN ('pending', 'in_progress');

-- The newest verification of a kind and subject (the last identity
-- verification, the last hard check). The history of every kind, newest
-- first, reads the primary key backwards.
CREATE INDEX verifications_latest_idx ON verifications (customer_id, kind, subject, id DESC);

-- The workers' queue: only verifications a worker has something to do
-- with have a due_at, usually few.
CREATE INDEX verifications_due_idx ON verifications (due_at, id) WHERE due_at IS NOT NULL;
