-- The initial schema of the customer store.
--
-- Conventions:
--   * ids and other keys compared in Go are "C"-collated text, so Postgres
--     orders them bytewise exactly like Go's string comparison (and like
--     memstore); UUIDv7 ids are text, not uuid, for the same reason;
--   * every child table carries customer_id and leads its primary key and
--     indexes with it, so the schema can later be distributed by customer_id
--     (Citus) without a redesign; the one foreign key (services to
--     customers) joins on that column, which co-located tables allow;
--   * times are timestamptz written by Go in UTC with microsecond precision;
--   * JSON that callers hand in as raw bytes (audit changes, event payloads)
--     is stored as json, not jsonb, so it comes back byte for byte.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customers (
    id                    text COLLATE "C" PRIMARY KEY,
    account_number        text COLLATE "C" NOT NULL,
    name                  text NOT NULL,
    -- customer.NameKey(name), computed in Go so both stores sort alike.
    name_key              text COLLATE "C" NOT NULL,
    -- NULL when empty, so the partial unique indexes ignore missing values.
    email                 text COLLATE "C",
    phone                 text COLLATE "C",
    customer_type         text NOT NULL,
    status                text NOT NULL,
    billing_street        text NOT NULL,
    billing_unit          text NOT NULL,
    billing_city          text NOT NULL,
    billing_state         text NOT NULL,
    billing_postal_code   text NOT NULL,
    billing_country       text NOT NULL,
    -- strings.ToLower of city and state, computed in Go: the case-insensitive
    -- filters must not depend on the database's locale.
    billing_city_key      text COLLATE "C" NOT NULL,
    billing_state_key     text COLLATE "C" NOT NULL,
    billing_latitude      double precision,
    billing_longitude     double precision,
    service_address       jsonb,
    tax_id_ciphertext     bytea,
    tax_id_blind_index    text COLLATE "C",
    tax_id_last4          text NOT NULL,
    company               text NOT NULL,
    industry              text NOT NULL,
    credit_score          integer,
    preferred_contact     text NOT NULL,
    marketing_emails      boolean NOT NULL,
    service_notifications boolean NOT NULL,
    billing_reminders     boolean NOT NULL,
    outage_alerts         boolean NOT NULL,
    emergency_contact     jsonb,
    notes                 text NOT NULL,
    -- NULL unless suspended; the presence of the reason marks a suspension.
    suspension_reason     text,
    suspension_notes      text NOT NULL,
    suspended_since       timestamptz,
    suspended_until       timestamptz,
    version               bigint NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    deleted_at            timestamptz,
    -- customer.SearchText, computed in Go; matched with LIKE '%q%'.
    search_text           text NOT NULL
);

-- Uniqueness: email and phone among non-deleted customers, account numbers
-- among all (they stay with a closed account, for the books); empty values
-- are never unique. The index names are what errors.go maps to fields.
CREATE UNIQUE INDEX customers_account_number_key ON customers (account_number) WHERE account_number <> '';
CREATE UNIQUE INDEX customers_email_key ON customers (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_phone_key ON customers (phone) WHERE deleted_at IS NULL;

-- Keyset paging: one (sort key, id) index per sort field, in both directions.
CREATE INDEX customers_name_key_idx ON customers (name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_created_at_idx ON customers (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_credit_idx ON customers ((coalesce(credit_score, 0)), id) WHERE deleted_at IS NULL;
CREATE INDEX customers_account_number_idx ON customers (account_number, id) WHERE deleted_at IS NULL;

-- Filters.
CREATE INDEX customers_status_idx ON customers (status, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_type_idx ON customers (customer_type, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_city_idx ON customers (billing_city_key) WHERE deleted_at IS NULL;
CREATE INDEX customers_state_idx ON customers (billing_state_key) WHERE deleted_at IS NULL;
CREATE INDEX customers_postal_code_idx ON customers (billing_postal_code) WHERE deleted_at IS NULL;
CREATE INDEX customers_preferred_contact_idx ON customers (preferred_contact) WHERE deleted_at IS NULL;
CREATE INDEX customers_credit_score_idx ON customers (credit_score) WHERE deleted_at IS NULL;
CREATE INDEX customers_search_idx ON customers USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_tax_id_blind_index_idx ON customers (tax_id_blind_index) WHERE tax_id_blind_index IS NOT NULL;

-- Scheduled reactivation (DueReactivations).
CREATE INDEX customers_suspended_until_idx ON customers (suspended_until, id)
    WHERE status = 'suspended' AND deleted_at IS NULL AND suspended_until IS NOT NULL;

CREATE TABLE customer_status_changes (
    customer_id text COLLATE "C" NOT NULL,
    id          text COLLATE "C" NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    reason      text NOT NULL,
    notes       text NOT NULL,
    until       timestamptz,
    actor_id    text NOT NULL,
    request_id  text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);
CREATE INDEX customer_status_changes_at_idx ON customer_status_changes (customer_id, at, id);

-- Services (customer.Subscription): a read model fed by provisioning and billing.
CREATE TABLE services (
    customer_id             text COLLATE "C" NOT NULL REFERENCES customers (id),
    id                      text COLLATE "C" NOT NULL,
    plan_name               text NOT NULL,
    technology              text NOT NULL,
    status                  text NOT NULL,
    monthly_price           bigint NOT NULL,
    contract_term           text NOT NULL,
    start_date              date NOT NULL,
    end_date                date,
    bandwidth_down_mbps     integer NOT NULL,
    bandwidth_up_mbps       integer NOT NULL,
    service_address         jsonb,
    suspended_with_customer boolean NOT NULL,
    version                 bigint NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);
CREATE INDEX services_status_idx ON services (customer_id, status);

-- Audit entries outlive the erasure of their customer (whose row stays).
CREATE TABLE audit_entries (
    customer_id text COLLATE "C" NOT NULL,
    id          text COLLATE "C" NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    action      text NOT NULL,
    actor_id    text NOT NULL,
    request_id  text NOT NULL,
    changes     json,
    at          timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);
CREATE INDEX audit_entries_at_idx ON audit_entries (customer_id, at, id);

-- The transactional outbox, read in id order by relays.
CREATE TABLE outbox_events (
    id          text COLLATE "C" PRIMARY KEY,
    customer_id text COLLATE "C" NOT NULL,
    type        text NOT NULL,
    payload     json,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX outbox_events_customer_idx ON outbox_events (customer_id, id);

-- Idempotency-Key records shared by every server replica.
CREATE TABLE idempotency_keys (
    scope        text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    request_hash text NOT NULL,
    done         boolean NOT NULL,
    status       integer NOT NULL,
    header       bytea,
    body         bytea,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
