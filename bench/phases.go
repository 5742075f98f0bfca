package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
)

// getPostgres compares GET by id through the API (default and lean) with
// the bare handler, in rounds whose order rotates so drift hits all alike.
func (b *bench) getPostgres(ctx context.Context, realS, bareS *server, ids []string) error {
	var realPaths, leanPaths, barePaths, bareDetailPaths []string
	for _, id := range ids {
		realPaths = append(realPaths, "/api/v1/customers/"+id)
		leanPaths = append(leanPaths, "/api/v1/customers/"+id+leanGetQuery)
		barePaths = append(barePaths, "/customers/"+id)
		bareDetailPaths = append(bareDetailPaths, "/customers/"+id+"/details")
	}
	type side struct {
		name  string
		url   string
		paths []string
		file  string
		out   *[]*runResult
	}
	sides := []*side{
		{name: "bare", url: bareS.url, paths: barePaths, out: &b.rep.bareGet},
		{name: "bare-details", url: bareS.url, paths: bareDetailPaths, out: &b.rep.bareDetails},
		{name: "pg-get", url: realS.url, paths: realPaths, out: &b.rep.realGet},
		{name: "pg-get-lean", url: realS.url, paths: leanPaths, out: &b.rep.leanGet},
	}
	for _, s := range sides {
		var err error
		if s.file, err = b.lg.pathsFile(s.name+".txt", s.paths); err != nil {
			return err
		}
	}
	for round := range b.cfg.rounds {
		for k := range sides {
			s := sides[(k+round)%len(sides)]
			stop := func() {}
			if s.url != bareS.url {
				stop = b.profile(fmt.Sprintf("%s-%d", s.name, round+1))
			}
			r, err := b.lg.get(ctx, s.url, s.file, s.paths, b.cfg.pgConns, b.cfg.warmup, b.cfg.duration)
			stop()
			if err != nil {
				return err
			}
			log.Printf("GET %-12s round %d: %8.0f req/s  p50 %s  p95 %s  errors %d  foreign CPU %.2f cores", s.name, round+1, r.rps, r.p50, r.p95, r.errors, r.foreign)
			*s.out = append(*s.out, r)
		}
	}
	return nil
}

// getMemory compares GET by id over memstore with hello-JSON.
func (b *bench) getMemory(ctx context.Context, now time.Time, cipher *customer.TaxIDCipher, keys []httpapi.APIKey, logger *slog.Logger) error {
	mem, memIDs, err := fillMemstore(ctx, b.cfg.memRows, now, cipher)
	if err != nil {
		return err
	}
	defer mem.Close()
	memSvc, memH, err := newAPI(mem, cipher, keys, logger)
	if err != nil {
		return err
	}
	// As on a running server, whose sweep has stored every customer's
	// profile: the details then read the stored figures, not the feeds.
	if _, err := memSvc.Analytics.Sweep(ctx); err != nil {
		return fmt.Errorf("store the memory store's profiles: %w", err)
	}
	memS, err := serve("memory", memH)
	if err != nil {
		return err
	}
	defer memS.close()
	helloS, err := serve("hello", helloHandler())
	if err != nil {
		return err
	}
	defer helloS.close()
	var memPaths []string
	for _, id := range memIDs {
		memPaths = append(memPaths, "/api/v1/customers/"+id)
	}
	helloPaths := []string{"/hello"}
	memFile, err := b.lg.pathsFile("mem-get.txt", memPaths)
	if err != nil {
		return err
	}
	helloFile, err := b.lg.pathsFile("hello.txt", helloPaths)
	if err != nil {
		return err
	}
	for round := range b.cfg.rounds {
		for k := range 2 {
			if (k+round)%2 == 0 {
				r, err := b.lg.get(ctx, helloS.url, helloFile, helloPaths, b.cfg.memConns, b.cfg.warmup, b.cfg.duration)
				if err != nil {
					return err
				}
				log.Printf("GET %-12s round %d: %8.0f req/s  p50 %s  p95 %s  errors %d  foreign CPU %.2f cores", "hello", round+1, r.rps, r.p50, r.p95, r.errors, r.foreign)
				b.rep.hello = append(b.rep.hello, r)
				continue
			}
			stop := b.profile(fmt.Sprintf("mem-get-%d", round+1))
			r, err := b.lg.get(ctx, memS.url, memFile, memPaths, b.cfg.memConns, b.cfg.warmup, b.cfg.duration)
			stop()
			if err != nil {
				return err
			}
			log.Printf("GET %-12s round %d: %8.0f req/s  p50 %s  p95 %s  errors %d  foreign CPU %.2f cores", "mem-get", round+1, r.rps, r.p50, r.p95, r.errors, r.foreign)
			b.rep.memGet = append(b.rep.memGet, r)
		}
	}
	return nil
}

// latency runs a mix of GET requests (kind → paths) with a few concurrent
// clients and records each request's latency.
func (b *bench) latency(ctx context.Context, name, baseURL string, mix []request) *runResult {
	next := func(r *rand.Rand) request { return mix[r.IntN(len(mix))] }
	waitQuiet()
	b.client.run(ctx, baseURL, b.cfg.listClients, b.cfg.warmup, next)
	stop := b.profile(name)
	res, _ := measured(func() (*runResult, error) {
		return b.client.run(ctx, baseURL, b.cfg.listClients, b.cfg.duration, next), nil
	})
	stop()
	log.Printf("%s: %d requests, %.0f req/s, p50 %s, p95 %s, errors %d, foreign CPU %.2f cores %s", name, res.requests, res.rps, res.p50, res.p95, res.errors, res.foreign, res.firstErr)
	return res
}

// creates POSTs new customers, each with its own email and phone (generator
// indexes past the loaded rows).
func (b *bench) creates(ctx context.Context, baseURL string, gen *generator, from int) *runResult {
	var next atomic.Int64
	next.Store(int64(from))
	mk := func(*rand.Rand) request {
		for {
			i := int(next.Add(1))
			c, tax, err := gen.customer(i)
			if err != nil || c.Status == customer.StatusClosed {
				continue // erased: nothing to create
			}
			body, err := json.Marshal(createBody{Input: customer.InputOf(c), TaxID: formatTaxID(tax, c.Type)})
			if err != nil {
				continue
			}
			return request{kind: "create", method: http.MethodPost, path: "/api/v1/customers", body: body}
		}
	}
	waitQuiet()
	b.client.run(ctx, baseURL, b.cfg.createClients, b.cfg.warmup, mk)
	stop := b.profile("create")
	res, _ := measured(func() (*runResult, error) {
		return b.client.run(ctx, baseURL, b.cfg.createClients, b.cfg.duration, mk), nil
	})
	stop()
	log.Printf("create: %d requests, %.0f req/s, p50 %s, p95 %s, errors %d, foreign CPU %.2f cores %s", res.requests, res.rps, res.p50, res.p95, res.errors, res.foreign, res.firstErr)
	return res
}

// createBody is the body of POST /api/v1/customers.
type createBody struct {
	customer.Input
	TaxID string `json:"tax_id,omitempty"`
}

// formatTaxID writes tax id digits as people type them.
func formatTaxID(digits string, t customer.Type) string {
	switch {
	case digits == "":
		return ""
	case t == customer.TypeResidential:
		return digits[:3] + "-" + digits[3:5] + "-" + digits[5:]
	default:
		return digits[:2] + "-" + digits[2:]
	}
}
