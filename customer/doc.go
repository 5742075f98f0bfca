// Package customer is the customer record of an ISP: the Customer type, its
// addresses and lifecycle (active, suspended, closed), the services
// (subscriptions) delivered to it, validation, and the Service that applies
// the business rules over any Repository.
//
// Every mutation the Service makes writes, in the same transaction, an audit
// entry (field-level before/after with personal data masked) and an outbox
// event. Tax ids are encrypted before they reach the Repository.
package customer
