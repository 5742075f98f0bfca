package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
)

// pgEnv returns the environment of a server on a fresh test database.
func pgEnv(t *testing.T) map[string]string {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	return map[string]string{
		"DATABASE_URL":   pgtest.DSN(t),
		"ENCRYPTION_KEY": base64.StdEncoding.EncodeToString(key),
		"API_KEYS":       testKeys,
	}
}

// runMigrate runs `server migrate` and fails the test unless it succeeds.
func runMigrate(t *testing.T, env map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var log logBuffer
	if err := run(ctx, []string{"server", "migrate"}, mapEnv(env), io.Discard, &log); err != nil {
		t.Fatalf("server migrate: %v\n%s", err, &log)
	}
	if len(log.find("database migrated")) != 1 {
		t.Errorf("server migrate did not log the migration:\n%s", &log)
	}
}

// TestServePostgres migrates with the subcommand, serves, and checks that
// data and demo seeding survive a restart.
func TestServePostgres(t *testing.T) {
	t.Parallel()
	env := pgEnv(t)
	runMigrate(t, env)

	env["SEED_DEMO"] = "true"
	s := startServer(t, maps.Clone(env))
	var created customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(5), &created); code != http.StatusCreated {
		t.Fatalf("create: status %d, want 201", code)
	}
	var got customerResp
	if code := call(t, "GET", s.URL+"/api/v1/customers/"+created.ID, viewerKey, nil, &got); code != http.StatusOK || got.ID != created.ID {
		t.Fatalf("get: status %d, %+v; want 200 and the created customer", code, got)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v, want nil", err)
	}

	// A restart keeps the data and does not seed a second time.
	s = startServer(t, maps.Clone(env))
	if code := call(t, "GET", s.URL+"/api/v1/customers/"+created.ID, viewerKey, nil, &got); code != http.StatusOK || got.ID != created.ID {
		t.Fatalf("get after restart: status %d, %+v", code, got)
	}
	var page struct {
		TotalCount int `json:"total_count"`
	}
	if code := call(t, "GET", s.URL+"/api/v1/customers?include_total=true&limit=1", viewerKey, nil, &page); code != http.StatusOK || page.TotalCount != demoCustomers+1 {
		t.Errorf("after restart: status %d, total_count %d; want %d", code, page.TotalCount, demoCustomers+1)
	}
	if len(s.Log.find("SEED_DEMO: the store already has customers; not seeding")) != 1 {
		t.Errorf("restart with SEED_DEMO=true did not skip seeding:\n%s", s.Log)
	}
}

// TestTwoServersReactivateOnce runs two servers on one database, as two
// replicas behind a load balancer, both running the reactivation loop, and
// checks that each due suspension is lifted exactly once.
func TestTwoServersReactivateOnce(t *testing.T) {
	t.Parallel()
	env := pgEnv(t)
	env["REACTIVATE_INTERVAL"] = "50ms"
	a := startServer(t, maps.Clone(env))
	b := startServer(t, maps.Clone(env))
	servers := []*testServer{a, b}

	// More due customers than one ReactivateDue batch (50), so both servers
	// can be at work at the same moment, each skipping the rows the other
	// holds.
	const n = 80
	ids := make([]string, n)
	start := time.Now()
	parallel(t, n, func(i int) error {
		var c customerResp
		code, err := doJSON("POST", servers[i%2].URL+"/api/v1/customers", adminKey, customerJSON(100+i), &c)
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("create %d: status %d", i, code)
		}
		ids[i] = c.ID
		return err
	})
	// All suspensions end at one moment, after the last has been made:
	// suspending takes about as long as creating did (longer on a slow,
	// busy machine, hence the margin).
	until := time.Now().Add(max(2*time.Second, 3*time.Since(start))).UTC().Format(time.RFC3339Nano)
	parallel(t, n, func(i int) error {
		var c customerResp
		susp := map[string]any{"reason": "customer_request", "notes": "vacation", "until": until}
		code, err := doJSON("POST", servers[i%2].URL+"/api/v1/customers/"+ids[i]+"/suspend", adminKey, susp, &c)
		if err == nil && (code != http.StatusOK || c.Status != "suspended") {
			err = fmt.Errorf("suspend %d: status %d, customer %+v", i, code, c)
		}
		return err
	})

	deadline := time.Now().Add(30 * time.Second)
	for _, id := range ids {
		for {
			var c customerResp
			if code := call(t, "GET", a.URL+"/api/v1/customers/"+id, viewerKey, nil, &c); code != http.StatusOK {
				t.Fatalf("get %s: status %d", id, code)
			}
			if c.Status == "active" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("customer %s still %s 30s after its suspension ended", id, c.Status)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// Let both loops run a few more times: a second reactivation, if the
	// store let one happen, would show up now.
	time.Sleep(500 * time.Millisecond)
	for _, s := range servers {
		if err := s.stop(t); err != nil {
			t.Fatalf("run returned %v", err)
		}
	}

	st, err := pgstore.Open(context.Background(), env["DATABASE_URL"], pgstore.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	services, err := app.New(st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		hist, err := services.Customers.StatusHistory(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		reactivations := 0
		for _, h := range hist {
			if h.From == customer.StatusSuspended && h.To == customer.StatusActive {
				reactivations++
			}
		}
		if reactivations != 1 {
			t.Errorf("customer %s: %d reactivations in its status history, want exactly 1: %+v", id, reactivations, hist)
		}
	}

	// Together the two servers report every reactivation once, and neither
	// ran into the other (a conflict would be logged as a failure).
	total := 0
	for i, s := range servers {
		mine := 0
		for _, l := range s.Log.find("scheduled reactivation") {
			mine += int(l["reactivated"].(float64))
		}
		t.Logf("server %d reactivated %d customers", i+1, mine)
		total += mine
		if f := s.Log.find("scheduled reactivation failed; will retry"); len(f) > 0 {
			t.Errorf("a server's reactivation failed: %v", f)
		}
	}
	if total != n {
		t.Errorf("servers logged %d reactivations in total, want %d", total, n)
	}
}

// parallel calls fn(0) … fn(n-1) from a few goroutines and fails the test
// with the errors they return.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}
