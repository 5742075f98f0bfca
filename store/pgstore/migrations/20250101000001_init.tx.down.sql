DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS outbox_events;
DROP TABLE IF EXISTS audit_entries;
DROP TABLE IF EXISTS services;
DROP TABLE IF EXISTS customer_status_changes;
DROP TABLE IF EXISTS customers;
