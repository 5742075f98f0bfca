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
// the customer module (app.New plugs it in): the billing summary and the
// account metrics of a customer's details (InsightOf, from the Facts),
// the tickets, and the balance that holds a non-payment suspension, are
// computed from the feeds. The details' figures are stored with the
// customer's Profile (Profile.Insight), which every feed batch, every
// change of the customer or its services and the sweep refresh, so the
// store returns them with the customer in the detail read; the Service
// computes them on the read only for a customer whose profile was never
// stored. The balance (Facts.Balance) is the customer's open invoices
// minus its succeeded payments plus its refunds, counting only the
// payments and refunds that do not name a settled (paid, void or
// uncollectible) invoice of the customer; the reactivation rule reads it
// live, never stored.
//
// # Payment history
//
// Service.PaymentHistory sums up a customer's payments of the last 1 to 60
// months (see PaymentSummary for each figure's rule) and lists them newest
// first. PaymentHistoryOf is that computation over records already
// read; the Service reads only the window (Repository.PaymentHistoryRecords).
//
// # Usage history
//
// Service.UsageHistory cuts a customer's usage of the days from From to
// To (the last DefaultHistoryMonths by default) into days, ISO weeks or
// calendar months (at most MaxUsagePeriods), every period present, and
// adds the totals, the usage of each service and the trend: the last
// TrendMonths before the clock against the TrendMonths before, as the
// churn feature usage_trend measures it (UsageChange over WindowsOf). The
// store sums the records (Repository.UsageSums, whose rule is SumUsage),
// so a history reads one row per period and per service; UsageHistoryOf
// is the computation over those sums.
//
// # Churn model
//
// FeaturesOf computes a customer's churn features from its Facts, and a
// Model scores them; DefaultModel is the shipped one, fitted on the Telco
// training split by cmd/churnfit. Fit fits a Model by L2-regularised
// logistic regression on standardised features, AUC and
// CrossValidatedAUC measure one, and Service.RefitChurnModel fits one on
// the operator's own history.
//
// # Churn risk and lifetime value
//
// Service.ChurnRisk scores a customer now: its Facts at the clock
// (Repository.CustomerFacts), the Features computed from them
// (FeaturesOf), and the Service's Model (Options.Model, DefaultModel
// when nil), with the largest parts of the log-odds as factors and the
// actions they call for (see Action). Service.LifetimeValue values its
// services over the months the same probability lets it stay
// (LifetimeValueOf, LTVFormula). Both read and write nothing.
//
// # Stored profiles
//
// Each customer's Profile (what the lists, segments and analytics filters
// read) is recomputed in the transaction of every feed batch that changes
// something, in the transaction of every change to the customer's
// services or status (the Service is a customer.Watcher), and by Service.Sweep,
// which every server may run (RunSweeps) and which walks every customer
// once per SweepInterval in batches, each claimed under the locked
// SweepState, so servers share the rounds without refreshing a batch
// twice.
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
