// Package bulk is the bulk operations on customers: import, update,
// communication and export. Import, update and communication run as
// durable jobs (Job): stored, claimed by one server at a time with a
// lease, committed in batches that are never half applied, resumed at the
// last committed batch after a crash, and cancellable between batches.
// Export streams instead: it holds no state and its memory does not grow
// with the number of customers.
package bulk
