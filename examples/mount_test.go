package examples_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store/memstore"
)

// Example_mount serves the customer API under /crm/ of an application's own
// mux, next to the application's routes, sharing its listener.
func Example_mount() {
	st := memstore.New()
	defer st.Close()
	// Document files go to a gocloud.dev/blob bucket: memblob here,
	// fileblob or s3blob (blob.OpenBucket with a URL) in production.
	bucket := memblob.OpenBucket(nil)
	defer bucket.Close()
	// app.New wires every service over the store; with a bucket it serves
	// documents, and deleting a customer purges its document files once the
	// delete commits.
	svc, err := app.New(st, app.Options{Bucket: bucket})
	if err != nil {
		log.Fatal(err)
	}

	keys, err := httpapi.ParseAPIKeys("agent:example-agent-key")
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Services: svc,
		Backend:  st, // a store.Store keeps idempotency keys and answers /readyz
		Keys:     keys,
		Logger:   slog.New(slog.DiscardHandler), // your application's logger
		BasePath: "/crm",                        // where the mux mounts it, for Location headers
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from the application")
	})
	// The API routes start at /api/v1, /healthz and /readyz; StripPrefix
	// lets them live below /crm.
	mux.Handle("/crm/", http.StripPrefix("/crm", api))

	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/hello")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.StatusCode, " ", string(body))

	req, _ := http.NewRequest("POST", srv.URL+"/crm/api/v1/customers", strings.NewReader(`{
		"name": "Grace Hopper", "email": "grace@example.com", "phone": "+1 202 555 0107",
		"customer_type": "government", "company": "US Navy",
		"billing_address": {"street": "1000 Navy Pentagon", "city": "Washington",
		                    "state": "DC", "postal_code": "20350", "country": "US"}}`))
	req.Header.Set("Authorization", "Bearer example-agent-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	var created struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, created.Name, created.Status)
	// The Location carries the mount prefix, so it can be followed as is.
	fmt.Println(strings.HasPrefix(resp.Header.Get("Location"), "/crm/api/v1/customers/"))

	resp, err = http.Get(srv.URL + "/crm/api/v1/customers") // no key
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output:
	// 200 hello from the application
	// 201 Grace Hopper active
	// true
	// 401 application/problem+json
}
