package main

import (
	"context"
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
	return newAPIWith(st, app.Options{TaxIDs: cipher, Logger: logger}, keys)
}

// newAPIWith is newAPI over services configured by opts (the bulk phases
// set their bulk options); the document files are kept in memory.
func newAPIWith(st store.Store, opts app.Options, keys []httpapi.APIKey) (*app.Services, http.Handler, error) {
	opts.Bucket = memblob.OpenBucket(nil)
	svc, err := app.New(st, opts)
	if err != nil {
		return nil, nil, err
	}
	h, err := httpapi.New(httpapi.Config{
		Services: svc,
		Backend:  st,
		Keys:     keys,
		Logger:   opts.Logger,
	})
	return svc, h, err
}

// bulkServer is an API server that runs its bulk jobs and delivers their
// messages (bulk.Service.Run), as cmd/server does.
type bulkServer struct {
	*server
	svc  *app.Services
	stop context.CancelFunc
	done chan struct{}
}

// startBulkServer serves the API over st with services configured by
// opts on a loopback port, its bulk runner going.
func startBulkServer(ctx context.Context, name string, st store.Store, opts app.Options, keys []httpapi.APIKey) (*bulkServer, error) {
	svc, h, err := newAPIWith(st, opts, keys)
	if err != nil {
		return nil, err
	}
	s, err := serve(name, h)
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(ctx)
	bs := &bulkServer{server: s, svc: svc, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(bs.done)
		svc.Bulk.Run(ctx) //nolint:errcheck // returns nil when ctx ends
	}()
	return bs, nil
}

// close stops the runner and the server.
func (s *bulkServer) close() {
	s.stop()
	<-s.done
	s.server.close()
}
