DROP INDEX IF EXISTS idempotency_keys_customer_id_idx;
ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS customer_id, DROP COLUMN IF EXISTS claim_id;
