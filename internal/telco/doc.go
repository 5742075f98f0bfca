// Package telco maps the rows of IBM's Telco Customer Churn sample onto
// the API, exactly as issue 8 §4 and the README's "Churn model" section
// specify, and loads them: through the Go API into any store (LoadGo; the
// churn model is fitted that way, so its training rows go through the same
// feature code that scores live customers) and through the HTTP API into a
// running server (Client, used by cmd/telco).
//
// A Plan is everything one row becomes: the customer, its services, its
// invoices INV-k and payments TX-k. The customer's name, phone number and
// address are generated from the Telco customerID, so a row always maps to
// the same customer; none of them is a model input.
package telco
