// Package document keeps the documents of a customer: contracts, identity
// proofs, credit applications and the like. Metadata lives in a Repository
// (store.Store implements it); the files themselves live in a
// gocloud.dev/blob bucket (memory, local directory, S3, …), so the database
// stays small and the same code serves every deployment.
//
// Uploads stream: the Service sniffs the first bytes against an allow-list
// of types (never trusting a client's file name or Content-Type), then
// copies the rest to the bucket while it counts and hashes, so a 25 MiB file
// is never held in memory. Objects get generated keys
// ("customers/{customer_id}/{document_id}"); nothing a client sends becomes
// part of a key.
//
// No object outlives its row for long: a failed metadata write deletes the
// object at once, deleting a customer deletes its rows in the deleting
// transaction (Service.EraseCustomer, a customer.Eraser) and purges its
// objects right after the delete commits (Service.OnCustomerDeleted, a customer.Options.AfterDelete
// hook), and Service.SweepOrphans deletes whatever a crash left behind.
// With a Scanner configured a document's content is served only once it has
// been scanned clean.
//
// Every mutation writes, in its transaction, an audit entry (metadata only)
// and an outbox event (document.uploaded, document.updated,
// document.deactivated).
package document
