-- A customer's Facts (analytics.Facts) sum up all its payments up to an
-- instant, at every refresh: for a customer with five years of monthly
-- payments, 60 rows that a monthly billing feed wrote on 60 different heap
-- pages. With the columns the Facts and the billing figures read of a
-- payment included in the newest-first index, those reads are index-only
-- scans of a leaf page or two per customer: a third less time per customer
-- with such a history (1,000 customers per call, cached), far less when
-- the heap is not cached. Same key and name: it replaces the index of
-- migration 7, so the writes maintain no more indexes than before.
DROP INDEX payments_paid_idx;
CREATE INDEX payments_paid_idx ON payments (customer_id, paid_at DESC, transaction_id DESC)
    INCLUDE (status, amount, invoice_id, payment_method, autopay);
