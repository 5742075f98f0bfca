-- Two fields for customers imported from another system.
--
-- external_id is the customer's id in the source system
-- (customer.Customer.ExternalID), "C"-collated like the other keys compared
-- in Go. NULL when empty, so the partial unique index ignores missing
-- values. Unique among non-deleted customers, as email and phone are: the
-- delete erases it, and the name of the index is what errors.go maps to the
-- field.
ALTER TABLE customers ADD COLUMN external_id text COLLATE "C";
CREATE UNIQUE INDEX customers_external_id_key ON customers (external_id)
    WHERE deleted_at IS NULL AND external_id IS NOT NULL;

-- customer_since is the date the relationship started
-- (customer.Customer.CustomerSince): the creation date (UTC) unless it was
-- backdated, which is what the existing customers get.
ALTER TABLE customers ADD COLUMN customer_since date;
UPDATE customers SET customer_since = (created_at AT TIME ZONE 'UTC')::date;
ALTER TABLE customers ALTER COLUMN customer_since SET NOT NULL;
