package telco_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/telco"
	"github.com/ispstack/crm/store/memstore"
)

// newServer serves the API over a fresh memory store with an agent key,
// and returns the client of that key and the store.
func newServer(t *testing.T) (*telco.Client, *memstore.Store) {
	t.Helper()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	svc, err := app.New(st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := httpapi.ParseAPIKeys("agent:telco-test-key")
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpapi.New(httpapi.Config{Services: svc, Backend: st, Keys: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &telco.Client{URL: srv.URL, Key: "telco-test-key", Concurrency: 4}, st
}

// customerOf returns the id of the customer the row was loaded as.
func customerOf(t *testing.T, st *memstore.Store, r telco.Row) string {
	t.Helper()
	svc, _ := app.New(st, app.Options{})
	page, err := svc.Customers.List(t.Context(), customer.ListParams{Filter: customer.Filter{Query: telco.Email(r.CustomerID)}})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("customer %s: %d found, %v", r.CustomerID, len(page.Items), err)
	}
	return page.Items[0].ID
}

// TestLoadHTTP loads the sample through the HTTP API and checks that every
// customer's services, invoices and payments landed, and that its churn
// features are those of the same rows loaded through the Go API (which the
// shipped model is fitted on).
func TestLoadHTTP(t *testing.T) {
	ctx := t.Context()
	client, st := newServer(t)
	rows := readRows(t, "sample.csv")
	today := crm.DateOf(time.Now())
	plans := telco.Plans(rows, today)
	rep, err := client.Load(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (telco.LoadReport{Loaded: len(rows)}) {
		t.Errorf("load report %+v", rep)
	}

	ids := make([]string, len(rows))
	for i, r := range rows {
		id := customerOf(t, st, r)
		ids[i] = id
		subs, _ := st.ListSubscriptions(ctx, id, "", 0)
		invoices, _ := st.ListInvoices(ctx, id, nil, 0)
		payments, _ := st.ListPayments(ctx, id)
		var mrr, paid crm.Money
		for _, s := range subs {
			mrr += s.MonthlyPrice
		}
		for _, p := range payments {
			paid += p.Amount
		}
		if len(subs) != len(plans[i].Services) || mrr != r.MonthlyCharges || len(invoices) != r.Tenure ||
			len(payments) != r.Tenure || paid != r.TotalCharges {
			t.Errorf("%s: %d services of %s, %d invoices, %d payments of %s; want %d, %s, %d, %d, %s", r.CustomerID,
				len(subs), mrr, len(invoices), len(payments), paid, len(plans[i].Services), r.MonthlyCharges, r.Tenure, r.Tenure, r.TotalCharges)
		}
	}

	asOf := time.Now()
	viaHTTP, err := st.CustomerFacts(ctx, ids, asOf)
	if err != nil {
		t.Fatal(err)
	}
	goStore := memstore.New()
	defer goStore.Close()
	goSvc, _ := app.New(goStore, app.Options{})
	goIDs, err := telco.LoadGo(ctx, goSvc, telco.Plans(rows, today))
	if err != nil {
		t.Fatal(err)
	}
	viaGo, err := goStore.CustomerFacts(ctx, goIDs, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if diff := cmp.Diff(analytics.FeaturesOf(&viaGo[i], asOf), analytics.FeaturesOf(&viaHTTP[i], asOf)); diff != "" {
			t.Errorf("%s: features through HTTP differ from the Go API's (-go +http):\n%s", rows[i].CustomerID, diff)
		}
	}

	// The same load again replays; nothing is added twice.
	if rep, err := client.Load(ctx, plans); err != nil || rep != (telco.LoadReport{Loaded: len(rows)}) {
		t.Errorf("second load: %+v, %v", rep, err)
	}
	// Another day's load finds every customer there already.
	if rep, err := client.Load(ctx, telco.Plans(rows, telco.AddMonths(today, 1))); err != nil || rep != (telco.LoadReport{Existing: len(rows)}) {
		t.Errorf("later load: %+v, %v", rep, err)
	}
	for i, id := range ids {
		if subs, _ := st.ListSubscriptions(ctx, id, "", 0); len(subs) != len(plans[i].Services) {
			t.Errorf("%s has %d services after reloading, want %d", rows[i].CustomerID, len(subs), len(plans[i].Services))
		}
	}
}

// TestLoadHTTPTakesAnotherPhone loads a row whose phone number another
// customer holds: it gets its next candidate.
func TestLoadHTTPTakesAnotherPhone(t *testing.T) {
	ctx := t.Context()
	client, st := newServer(t)
	rows := readRows(t, "sample.csv")[:1]
	holder := telco.Identity("0000-HOLDR", 0)
	holder.Phone = telco.Phone(rows[0].CustomerID, 0)
	svc, _ := app.New(st, app.Options{})
	if _, err := svc.Customers.Create(ctx, holder); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Load(ctx, telco.Plans(rows, crm.DateOf(time.Now()))); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Customers.Get(ctx, customerOf(t, st, rows[0]))
	if err != nil || c.Phone != telco.Phone(rows[0].CustomerID, 1) {
		t.Errorf("customer %v, %v: want phone %s", c, err, telco.Phone(rows[0].CustomerID, 1))
	}
}

// TestEval reads the churn risk of the loaded customers from a fake
// server: two pages of customers, one row missing, one 429 retried.
func TestEval(t *testing.T) {
	probs := map[string]float64{"id-a": 0.9, "id-b": 0.2, "id-c": 0.1}
	var limited atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer viewer-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/v1/customers" && r.URL.Query().Get("q") == "@example.com" && r.URL.Query().Get("cursor") == "":
			fmt.Fprint(w, `{"customers": [{"id": "id-a", "email": "A-1@example.com"}, {"id": "id-b", "email": "b-2@example.com"}], "next_cursor": "p2", "has_more": true}`)
		case r.URL.Path == "/api/v1/customers" && r.URL.Query().Get("cursor") == "p2":
			fmt.Fprint(w, `{"customers": [{"id": "id-c", "email": "c-3@example.com"}, {"id": "id-x", "email": "someone@example.com"}], "next_cursor": null, "has_more": false}`)
		case strings.HasSuffix(r.URL.Path, "/churn-risk"):
			if !limited.Swap(true) {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/customers/"), "/churn-risk")
			p, ok := probs[id]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"customer_id": id, "probability": p, "score": math.Round(100 * p)})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	rows := []telco.Row{{CustomerID: "A-1", Churn: true}, {CustomerID: "B-2"}, {CustomerID: "C-3", Churn: true}, {CustomerID: "D-4"}}
	client := &telco.Client{URL: srv.URL, Key: "viewer-key", Concurrency: 2}
	rep, err := client.Eval(context.Background(), rows)
	if err != nil {
		t.Fatal(err)
	}
	// Churned A (0.9) and C (0.1) against B (0.2): one pair of two ordered.
	if rep != (telco.EvalReport{Rows: 4, Scored: 3, Missing: 1, Churned: 2, AUC: 0.5}) {
		t.Errorf("report %+v", rep)
	}

	client.Key = "wrong"
	if _, err := client.Eval(context.Background(), rows); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("eval with a wrong key: %v", err)
	}
}
