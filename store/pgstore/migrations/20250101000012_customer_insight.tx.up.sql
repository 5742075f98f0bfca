-- What a customer's details show of its billing and its metrics
-- (customer.Insight, JSON), kept with its profile so GET /customers/{id}
-- reads it with the customer in one statement instead of computing it
-- from the feeds. NULL until the profile is next refreshed (a feed batch,
-- a change of the customer or the sweep): the details then compute it.
ALTER TABLE customer_analytics ADD COLUMN insight jsonb;
