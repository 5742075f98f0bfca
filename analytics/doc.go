// Package analytics is the read model that billing, the network and the
// helpdesk fill, and the Service that applies its rules over any
// Repository: invoices, payments, daily usage of a customer's services and
// support tickets, each fed in batches by its source system.
//
// # Feeds
//
// A batch holds 1 to MaxBatch records and is validated whole before
// anything is written: one bad record fails the batch with an invalid
// error naming it by index ("invoices[3].amount") and nothing lands.
// Records carry their source system's id (invoice_id, transaction_id,
// ticket_id; usage is keyed by service_id and date), and a batch upserts
// by that id within the customer: a record seen before with the same
// fields is unchanged, one with other fields replaces the stored one
// (which keeps its created_at), and a new one is created. So a replayed
// feed changes nothing and a corrected record replaces the old one. The
// answer is the Counts of each outcome. Backdated records are normal:
// dates and times need only lie between crm.MinDate and crm.MaxDate.
//
// A payment's invoice_id is the source id of the invoice it pays; it is
// not checked against the stored invoices, since payment and billing feeds
// arrive in no particular order. A usage record's service_id must be a
// service (customer.Subscription) of the customer.
//
// Each batch that changes something gets a new id and writes, in its
// transaction, one audit entry (entity "invoices", "payments", "usage" or
// "tickets", the batch id as entity_id, action "ingest", the counts as its
// changes) and one outbox event ("invoices.ingested", …) whose payload is
// the batch id, the counts and the keys of the created and updated records
// under "changed". A batch that changes nothing writes neither.
//
// # Customer details
//
// The Service is the customer.Insights and the customer.BalanceSource of
// the customer module (app.New plugs it in): the billing summary, the
// account metrics and the tickets of a customer's details, and the balance
// that holds a non-payment suspension, are computed from the feeds. The
// sums are the store's (Repository.BillingFigures and AccountFigures, one
// read each), so the details never load a customer's payments. The balance
// is the customer's open invoices minus its succeeded payments plus its
// refunds, counting only the payments and refunds that do not name a
// settled (paid, void or uncollectible) invoice of the customer; see
// BillingFigures for that rule and the others.
//
// # Payment history
//
// Service.PaymentHistory sums up a customer's payments of the last 1 to 60
// months (see PaymentSummary for each figure's rule) and lists them newest
// first. PaymentHistoryOf is that computation over records already
// read; the Service reads only the window (Repository.PaymentHistoryRecords).
//
// # Segments and analytics lists
//
// A ProfileFilter selects customers by their Profile; a customer whose
// profile has not been computed yet is judged by NoProfile (zeros, churn
// level low, no services). Service.ListCustomers is the customer list
// (customer.Service.List's sort, cursor and total) restricted by a
// ProfileFilter and a segment; HighValue ranks by predicted lifetime value
// (the top HighValuePercent by default, or the bounds given) and AtRisk by
// churn score (HighScore and up by default). The stores answer them with
// one query over customers and their profiles (Repository.ListProfiled).
//
// A Segment is a saved list query: its Rules are the list's filter
// parameters by name, read by the very parsers that read the query string
// (customer.ParseFilter and ParseProfileFilter, through ParseRules), so a
// rule means and is refused exactly as the parameter is. Its members are
// whoever meets the rules when asked; MemberCount is counted on each read.
// Segment writes are audited under the entity "segments", without a
// customer.
//
// # Erasure
//
// Invoices, payments and usage are kept for the books when their customer
// is deleted; free text about the person (a ticket's subject, a payment's
// notes) is not, so Service.EraseCustomer, a customer.Eraser, replaces it
// with crm.Redacted.
//
// The package depends on crm, on customer for the customer and its
// services, and never on a store, Bun or net/http.
package analytics
