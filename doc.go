// Package crm is the shared vocabulary of the ISP customer-management core:
// coded errors, the actor behind a request, money and calendar dates, audit
// entries, outbox events and idempotency records. It imports none of the
// project's other packages, so every one of them can import it.
//
// The business logic lives in the domain packages (customer, contact, and
// later document, verify, analytics, bulk); storage behind store.Store;
// the HTTP API in httpapi; the bundled server in cmd/server.
package crm
