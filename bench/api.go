package main

import (
	"log/slog"
	"net/http"

	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store"
)

// newAPI is the API over st as the server wires it, through app.New, and
// the services it serves (the analytics phase runs the profile sweep
// through them). The benchmarks measure customer reads, but the API serves
// its contact and document routes too (files in memory here).
func newAPI(st store.Store, cipher *customer.TaxIDCipher, keys []httpapi.APIKey, logger *slog.Logger) (*app.Services, http.Handler, error) {
	svc, err := app.New(st, app.Options{TaxIDs: cipher, Logger: logger, Bucket: memblob.OpenBucket(nil)})
	if err != nil {
		return nil, nil, err
	}
	h, err := httpapi.New(httpapi.Config{
		Services: svc,
		Backend:  st,
		Keys:     keys,
		Logger:   logger,
	})
	return svc, h, err
}
