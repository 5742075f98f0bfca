-- Indexes for filtered lists, from the 1M-customer benchmark (bench/):
-- a selective filter combined with a sort that had no matching index walked
-- the sort index and discarded rows (state=RI&sort=name: 24k rows, 152 ms).
-- With (filter, sort key, id) the page is an index range scan. The default
-- order is created_at, so each address filter gets that composite; the
-- single-column indexes they replace are dropped (a prefix serves the same
-- lookups).
CREATE INDEX customers_state_created_idx ON customers (billing_state_key, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_state_name_idx ON customers (billing_state_key, name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_city_created_idx ON customers (billing_city_key, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_postal_created_idx ON customers (billing_postal_code, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_type_credit_idx ON customers (customer_type, (coalesce(credit_score, 0)), id) WHERE deleted_at IS NULL;
DROP INDEX customers_city_idx;
DROP INDEX customers_state_idx;
DROP INDEX customers_postal_code_idx;

-- Postgres estimates ~100 matches for any LIKE '%…%' with the default
-- statistics target, so a common word (a frequent last name: ~0.5% of rows)
-- made it take the trigram index and recheck thousands of heap rows instead
-- of walking the created_at index until a page is full. A larger sample
-- lets it tell common terms from rare ones.
ALTER TABLE customers ALTER COLUMN search_text SET STATISTICS 1000;
