// Package examples holds runnable examples of using the module as a
// library: embedding customer.Service over the memory store, and mounting
// the HTTP API (httpapi) in an application's own http.ServeMux. They live in
// tests (package examples_test), so `go test ./...` keeps them working.
package examples
