// Package contact is the people an ISP deals with on a customer's behalf:
// the primary, billing, technical and emergency contacts of a customer
// account, and the Service that applies their rules over any Repository.
//
// A customer has at most one primary contact of each type; making a
// contact primary demotes the previous one in the same transaction. Every
// mutation writes, in that transaction, an audit entry (field-level
// before/after with personal data masked) and an outbox event. Contacts
// live and die with their customer: Service.EraseCustomer, a
// customer.Eraser, removes them in the transaction that deletes it.
//
// The package depends on crm (ids, pages, audit helpers) and on customer
// only for the customer itself (customer.Reader, its contact methods), and
// never on a store, Bun or net/http.
package contact
