-- The analytics feeds (package analytics): invoices, payments, daily usage
-- and support tickets, as billing, the network and the helpdesk send them.
-- Each row is keyed by its customer and the source system's own id, so a
-- replayed feed upserts onto the same rows; like every child table they are
-- keyed and indexed by customer_id first, so the schema can be distributed
-- by customer_id. Amounts are in minor units (cents). Rows stay when their
-- customer is deleted (kept for the books); ticket subjects are redacted.
CREATE TABLE invoices (
    customer_id  text COLLATE "C" NOT NULL REFERENCES customers (id),
    invoice_id   text COLLATE "C" NOT NULL,
    issued_at    date NOT NULL,
    due_date     date NOT NULL,
    amount       bigint NOT NULL,
    status       text NOT NULL,
    delivery     text NOT NULL,
    period_start date,
    period_end   date,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (customer_id, invoice_id)
);

-- The newest-first invoice list of a customer.
CREATE INDEX invoices_issued_idx ON invoices (customer_id, issued_at DESC, invoice_id DESC);

CREATE TABLE payments (
    customer_id    text COLLATE "C" NOT NULL REFERENCES customers (id),
    transaction_id text COLLATE "C" NOT NULL,
    amount         bigint NOT NULL,
    paid_at        timestamptz NOT NULL,
    payment_method text NOT NULL,
    autopay        boolean NOT NULL,
    status         text NOT NULL,
    invoice_id     text COLLATE "C" NOT NULL,
    failure_reason text NOT NULL,
    notes          text NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (customer_id, transaction_id)
);

-- A customer's payments newest first.
CREATE INDEX payments_paid_idx ON payments (customer_id, paid_at DESC, transaction_id DESC);

CREATE TABLE usage_days (
    customer_id    text COLLATE "C" NOT NULL REFERENCES customers (id),
    service_id     text COLLATE "C" NOT NULL,
    day            date NOT NULL,
    download_bytes bigint NOT NULL,
    upload_bytes   bigint NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (customer_id, service_id, day)
);

-- A customer's usage by day.
CREATE INDEX usage_days_day_idx ON usage_days (customer_id, day, service_id);

CREATE TABLE tickets (
    customer_id  text COLLATE "C" NOT NULL REFERENCES customers (id),
    ticket_id    text COLLATE "C" NOT NULL,
    subject      text NOT NULL,
    category     text NOT NULL,
    priority     text NOT NULL,
    status       text NOT NULL,
    opened_at    timestamptz NOT NULL,
    resolved_at  timestamptz,
    satisfaction smallint,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (customer_id, ticket_id)
);

-- A customer's tickets newest first.
CREATE INDEX tickets_opened_idx ON tickets (customer_id, opened_at DESC, ticket_id DESC);
