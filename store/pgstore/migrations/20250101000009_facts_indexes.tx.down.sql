DROP INDEX payments_paid_idx;
CREATE INDEX payments_paid_idx ON payments (customer_id, paid_at DESC, transaction_id DESC);
