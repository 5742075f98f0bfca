package main

import (
	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
)

// documentsOf is a document service over st with its files in memory: the
// benchmarks measure customer reads, but the API needs a document service.
func documentsOf(st store.Store) *document.Service {
	return document.NewService(st, store.DocumentTx(st), memblob.OpenBucket(nil), document.Options{})
}
