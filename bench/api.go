package main

import (
	"log/slog"

	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store"
)

// apiConfig is the API over st as the server wires it, with svc as the
// customer service. The benchmarks measure customer reads, but the API
// needs its contact and document services too (files in memory here).
func apiConfig(st store.Store, svc *customer.Service, keys []httpapi.APIKey, logger *slog.Logger) httpapi.Config {
	return httpapi.Config{
		Customers: svc,
		Contacts:  contact.NewService(st, store.Tx[contact.Repository](st), contact.Options{}),
		Documents: document.NewService(st, store.Tx[document.Repository](st), memblob.OpenBucket(nil), document.Options{}),
		Backend:   st,
		Keys:      keys,
		Logger:    logger,
	}
}
