package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// checkGenerated creates the first n generated customers through
// customer.Service (wired by app.New) on a scratch memory store and checks that validation
// accepts each one unchanged: the loaded data is valid and normalised.
func checkGenerated(ctx context.Context, gen *generator, cipher *customer.TaxIDCipher, n int) error {
	ms := memstore.New()
	defer ms.Close()
	svcs, err := app.New(ms, app.Options{TaxIDs: cipher})
	if err != nil {
		return err
	}
	svc := svcs.Customers
	for i := range n {
		c, tax, err := gen.customer(i)
		if err != nil {
			return err
		}
		if c.Status == customer.StatusClosed {
			continue
		}
		in := customer.InputOf(c)
		if tax != "" {
			t := formatTaxID(tax, c.Type)
			in.TaxID = &t
		}
		got, err := svc.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("generated customer %d is not valid: %w", i, err)
		}
		a, _ := json.Marshal(customer.InputOf(c))
		b, _ := json.Marshal(customer.InputOf(got))
		if string(a) != string(b) || got.TaxIDLast4 != c.TaxIDLast4 {
			return fmt.Errorf("generated customer %d is not normalised:\n generated %s\n stored    %s", i, a, b)
		}
	}
	return nil
}

// fillMemstore returns a memory store holding n generated customers (the
// erased ones left out) and their ids.
func fillMemstore(ctx context.Context, n int, now time.Time, cipher *customer.TaxIDCipher) (store.Store, []string, error) {
	gen, err := newGenerator(n, now, cipher)
	if err != nil {
		return nil, nil, err
	}
	ms := memstore.New()
	var ids []string
	start := time.Now()
	for i := range n {
		c, _, err := gen.customer(i)
		if err != nil {
			return nil, nil, err
		}
		if c.DeletedAt != nil {
			continue
		}
		if err := ms.CreateCustomer(ctx, c); err != nil {
			return nil, nil, fmt.Errorf("memstore: customer %d: %w", i, err)
		}
		ids = append(ids, c.ID)
	}
	log.Printf("memstore: %d customers in %s", len(ids), time.Since(start).Round(time.Millisecond))
	return ms, ids, nil
}

// sampleIDs returns up to n random ids of loaded, non-deleted customers.
func sampleIDs(ctx context.Context, pool *pgxpool.Pool, maxID string, n int) ([]string, error) {
	rows, err := pool.Query(ctx, `SELECT id FROM customers WHERE deleted_at IS NULL AND id <= $1 ORDER BY random() LIMIT $2`, maxID, n)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err == nil && len(ids) == 0 {
		err = fmt.Errorf("no customers to GET")
	}
	return ids, err
}

// checkSameRow checks that the real and the bare handler return the same
// customer for id, so the comparison is like for like.
func checkSameRow(ctx context.Context, g *goClient, realURL, bareURL, id string) error {
	var docs [2]map[string]any
	for k, req := range []struct{ url, path string }{{realURL, "/api/v1/customers/" + id + leanGetQuery}, {bareURL, "/customers/" + id}} {
		status, body, err := g.do(ctx, req.url, request{method: http.MethodGet, path: req.path})
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("GET %s%s: status %d, %v: %.300s", req.url, req.path, status, err, body)
		}
		if err := json.Unmarshal(body, &docs[k]); err != nil {
			return err
		}
	}
	a, _ := json.Marshal(docs[0])
	b, _ := json.Marshal(docs[1])
	if string(a) != string(b) {
		return fmt.Errorf("the real and the bare handler disagree on customer %s:\n real %s\n bare %s", id, a, b)
	}
	return nil
}

// searchQueries returns q searches over fragments of n stored customers:
// names, email local parts, phone digits, account numbers, company words.
func searchQueries(ctx context.Context, pool *pgxpool.Pool, maxID string, n int) ([]request, error) {
	rows, err := pool.Query(ctx, `SELECT name, email, phone, account_number, company FROM customers
		WHERE deleted_at IS NULL AND id <= $1 ORDER BY random() LIMIT $2`, maxID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []request
	add := func(kind, q string) {
		out = append(out, request{kind: "q " + kind, method: http.MethodGet, path: "/api/v1/customers?" + url.Values{"q": {q}, "limit": {"50"}}.Encode()})
	}
	for k := 0; rows.Next(); k++ {
		var name, email, phone, account, company string
		if err := rows.Scan(&name, &email, &phone, &account, &company); err != nil {
			return nil, err
		}
		words := strings.Fields(name)
		last := words[len(words)-1]
		switch k % 8 {
		case 0:
			add("name (last)", last)
		case 1:
			add("name (full)", name)
		case 2:
			add("name (fragment)", last[:min(4, len(last))])
		case 3:
			local, _, _ := strings.Cut(email, "@")
			add("email (local part)", local)
		case 4:
			add("phone (last 7 digits)", phone[len(phone)-7:])
		case 5:
			add("phone (10 digits)", phone[2:])
		case 6:
			add("account number", account)
		default:
			if company != "" {
				add("company (word)", words[len(words)/2])
			} else {
				add("email (domain)", email[strings.IndexByte(email, '@')+1:])
			}
		}
	}
	return out, rows.Err()
}

// listQueries returns n filtered list requests in a fixed mix, with values
// drawn from what the generator stores.
func listQueries(gen *generator, n int) []request {
	r := rand.New(rand.NewPCG(1, 2))
	var out []request
	add := func(kind string, v url.Values) {
		v.Set("limit", "50")
		out = append(out, request{kind: kind, method: http.MethodGet, path: "/api/v1/customers?" + v.Encode()})
	}
	for k := range n {
		p := pick(r, gen.places)
		switch k % 8 {
		case 0:
			add("status+state", url.Values{"status": {"active"}, "state": {p.state}})
		case 1:
			add("type+sort=-credit_score", url.Values{"customer_type": {string(pick(r, customer.Types))}, "sort": {"-credit_score"}})
		case 2:
			add("city", url.Values{"city": {p.city}})
		case 3:
			lo := 450 + r.IntN(300)
			add("credit score range", url.Values{"min_credit_score": {strconv.Itoa(lo)}, "max_credit_score": {strconv.Itoa(lo + 40)}})
		case 4:
			add("status=suspended+contact", url.Values{"status": {"suspended"}, "preferred_contact": {string(pick(r, customer.ContactMethods))}})
		case 5:
			add("postal_code", url.Values{"postal_code": {p.zip}})
		case 6:
			add("state+sort=name", url.Values{"state": {p.state}, "sort": {"name"}})
		default:
			add("type+state+sort=-created_at", url.Values{"customer_type": {"small_business"}, "state": {p.state}, "sort": {"-created_at"}})
		}
	}
	return out
}

// cleanup removes what the run created through the API, so the next run
// finds the database as loaded: the customers, the feed records the
// analytics phase ingested, its segment, the bulk jobs with their
// messages, and the rows every write adds.
func cleanup(ctx context.Context, pool *pgxpool.Pool, maxID string) error {
	if _, err := pool.Exec(ctx, "DELETE FROM customers WHERE id > $1", maxID); err != nil {
		return err
	}
	if err := removeBenchFeeds(ctx, pool); err != nil {
		return err
	}
	_, err := pool.Exec(ctx, "TRUNCATE customer_status_changes, audit_entries, outbox_events, idempotency_keys, segments, jobs, job_errors, job_inputs, job_messages")
	return err
}
