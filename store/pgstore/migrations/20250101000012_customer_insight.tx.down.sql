ALTER TABLE customer_analytics DROP COLUMN insight;
