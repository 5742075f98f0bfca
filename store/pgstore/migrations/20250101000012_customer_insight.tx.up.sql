-- What a customer's details show of its billing and its metrics
-- (customer.Insight, JSON), kept with its profile so GET /customers/{id}
-- reads it with the customer in one statement instead of computing it
-- from the feeds. NULL until the profile is next refreshed (a feed batch,
-- a change of the customer or the sweep): the details then compute it.
ALTER TABLE customer_analytics ADD COLUMN insight jsonb;

-- The Facts a refresh gathers read, for each customer, every invoice's
-- status, due date, issue date and amount (the balance sums the open ones;
-- each payment is matched to the invoice it names, to tell applied money
-- and late payments): with those columns included, an index-only scan of a
-- leaf page or two per customer instead of a heap page per invoice, as a
-- monthly billing feed spreads them.
CREATE INDEX invoices_facts_idx ON invoices (customer_id) INCLUDE (invoice_id, status, due_date, issued_at, amount);
