-- An Idempotency-Key record names the claim that holds it, so that only
-- that request stores or releases it once another request has taken an
-- abandoned claim over, and the customer its response concerns, so that
-- erasing the customer drops it. '' means none.
ALTER TABLE idempotency_keys
    ADD COLUMN claim_id    text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN customer_id text COLLATE "C" NOT NULL DEFAULT '';

-- Erasing a customer deletes its records.
CREATE INDEX idempotency_keys_customer_id_idx ON idempotency_keys (customer_id) WHERE customer_id <> '';
