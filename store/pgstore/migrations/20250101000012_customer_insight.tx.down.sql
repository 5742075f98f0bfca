DROP INDEX invoices_facts_idx;
ALTER TABLE customer_analytics DROP COLUMN insight;
