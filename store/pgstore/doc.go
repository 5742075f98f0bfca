// Package pgstore is the PostgreSQL implementation of store.Store.
//
// # Connections and statements
//
// One pgx pool (pgxpool) holds the connections. database/sql runs on top of
// it (pgx/v5/stdlib), wrapped in Bun with pgdialect, so that transactions
// have a *sql.Tx; both ways in share the pool and its per-connection cache
// of prepared statements. Every statement is hand-written SQL with $n
// placeholders, prepared once per connection by pgx:
//
//   - Reads go through queryRow and query (db.go), and for records through
//     getRecord and listRecords on top of them: outside a transaction they
//     run on pgx natively, which skips database/sql's per-row conversions;
//     inside one, on the transaction's connection. Every Get, List and
//     Count method reads this way (customer lists with
//     pgx.QueryExecModeExec, planned for their values each time).
//   - Writes run on database/sql (execCount and the like in db.go), on the
//     *sql.DB or the transaction's *sql.Tx; bulk writes (CreateCustomers)
//     run COPY on pgx (copy.go), on the transaction's connection, which
//     RunInTx holds for that as a *sql.Conn.
//
// Bun provides the transactions and savepoints behind RunInTx, and the
// migrator; its query builder serves only rare statements (the purge of
// idempotency keys).
//
// # Files
//
// db.go holds what every query runs through: the handle a call uses, the
// reads, and the conversions of times, dates, NULLs and JSON. Each table
// has one file with its SQL and its row struct (customers.go with
// customer_rows.go and list.go, subscriptions.go, contacts.go,
// documents.go, history.go, audit.go, idempotency.go, and analytics.go for
// the four feed tables, upserted a batch per statement, with
// analytics_figures.go for the sums a customer's details read from them,
// one statement each, and analytics_facts.go for the sweep's walk over the
// customers and the Facts of a batch of them, one statement per batch);
// erase.go holds the erasers run when a customer is deleted. Services, contacts and documents
// are a customer's child records, all of one shape; child.go creates and
// updates them from a childTable that names their table and statements.
//
// # Writes that change nothing
//
// A write that cannot be applied is a statement that changes nothing, not
// an error that would abort the caller's transaction: INSERT … WHERE
// EXISTS … ON CONFLICT DO NOTHING, UPDATE … WHERE version = n-1, with
// uniqueness rules checked in the statement itself. A second read then
// says why: not_found (no such record, or no such customer for a new
// child), precondition_failed (another version), conflict (a duplicate id,
// every clashing unique field of a customer, a second primary contact).
//
// # Errors
//
// Errors are *crm.Error values, mapped by mapErr (errors.go) from SQLSTATE
// and constraint names, never from message text. A unique violation
// (23505) left by a concurrent writer is conflict naming the field of its
// index; a foreign-key violation (23503) is not_found naming the parent of
// its constraint ("parent record" for one it does not know); serialization
// failures, deadlocks, lock and statement timeouts, shutdowns, connection
// failures, cancelled contexts and any call after Close are unavailable;
// anything else is internal with the cause kept.
//
// # Transactions
//
// Transactions behave as in store/memstore: RunInTx binds the Store it
// hands to fn to a transaction (READ COMMITTED), calls made with fn's
// context join that transaction even through the root Store, nested calls
// are savepoints, and since the usual failures change nothing instead of
// failing, fn may handle them and go on.
//
// # Schema
//
// The schema lives in embedded SQL files (migrations/*.sql) applied by
// Migrate; it keeps customer_id on every child table and leading its
// indexes, so it can be distributed by customer id. Bun types never appear
// in the exported API.
package pgstore
