ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS -1;
CREATE INDEX customers_city_idx ON customers (billing_city_key) WHERE deleted_at IS NULL;
CREATE INDEX customers_state_idx ON customers (billing_state_key) WHERE deleted_at IS NULL;
CREATE INDEX customers_postal_code_idx ON customers (billing_postal_code) WHERE deleted_at IS NULL;
DROP INDEX customers_type_credit_idx;
DROP INDEX customers_postal_created_idx;
DROP INDEX customers_city_created_idx;
DROP INDEX customers_state_name_idx;
DROP INDEX customers_state_created_idx;
