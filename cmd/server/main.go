// Command server runs the customer-management HTTP API (package httpapi)
// over the memory store or PostgreSQL, with the background work the API
// relies on: scheduled reactivations and the purge of old idempotency keys.
//
// Usage:
//
//	server            serve the API (the default)
//	server migrate    apply the database migrations to DATABASE_URL and exit
//	server help       print the configuration variables
//
// Configuration comes from the environment (ADDR, DATABASE_URL, API_KEYS,
// ENCRYPTION_KEY, ...; see config.go or `server help`). Logs are JSON lines
// on stderr. SIGINT or SIGTERM drains in-flight requests, stops the
// background loops and exits 0.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// main only wires the process to run, which tests call directly.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default behaviour so a second
		// Ctrl-C ends a shutdown that takes too long.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}
