DROP INDEX IF EXISTS customers_external_id_key;
ALTER TABLE customers DROP COLUMN IF EXISTS customer_since, DROP COLUMN IF EXISTS external_id;
