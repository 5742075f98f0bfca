// Package pgstore is the PostgreSQL implementation of store.Store.
//
// It talks to Postgres through pgx's database/sql adapter (pgx/v5/stdlib)
// wrapped in Bun (with pgdialect). The hot paths (GetCustomer, CreateCustomer,
// UpdateCustomer, ListCustomers and the writes that accompany every mutation)
// run hand-written SQL with $n placeholders straight on the *sql.DB or
// *sql.Tx beneath Bun, so pgx prepares each statement once per connection and
// reuses its plan; Bun's interpolating query builder, which would make every
// call a new statement, is kept to rarely run queries. Bun also provides the
// transactions and savepoints behind RunInTx and the migrator.
//
// Transactions behave as in store/memstore: RunInTx binds the Store it hands
// to fn to a transaction, calls made with fn's context join that transaction
// even through the root Store, nested calls are savepoints, and the usual
// failures (a duplicate, a stale version) are detected without aborting the
// transaction, so fn may handle them and go on.
//
// The schema lives in embedded SQL files (migrations/*.sql) applied by
// Migrate; it keeps customer_id on every child table and leading its indexes
// so it can later be distributed by customer id. Bun types never appear in
// the exported API.
//
// Errors are *crm.Error values. A duplicate is conflict naming every clashing
// field, found by the writing statement itself; a unique violation (SQLSTATE
// 23505) left by a concurrent writer is mapped by its constraint name, never
// by message text. Serialization failures, deadlocks and connection problems
// become unavailable, missing rows not_found and stale versions
// precondition_failed.
package pgstore
