// Package crm is the shared vocabulary and kit of the ISP customer-management
// core: coded errors, the actor behind a request, money and calendar dates,
// ids, pages, version checks, audit entries with their masked field diffs,
// outbox events, idempotency records and the transaction runner type. It
// imports none of the project's other packages, so every one of them can
// import it.
//
// The business logic lives in the domain packages (customer, contact,
// document); storage behind store.Store; the wiring of every service in
// app; the HTTP API in httpapi; the bundled server in cmd/server.
package crm
