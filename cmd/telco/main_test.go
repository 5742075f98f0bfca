package main

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store/memstore"
)

const sample = "../../internal/telco/testdata/sample.csv"

// TestLoad loads the sample into a server, with the key from the
// environment.
func TestLoad(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	svc, _ := app.New(st, app.Options{})
	keys, _ := httpapi.ParseAPIKeys("agent:cmd-test-key")
	h, err := httpapi.New(httpapi.Config{Services: svc, Backend: st, Keys: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	env := func(k string) string {
		if k == "CRM_API_KEY" {
			return "cmd-test-key"
		}
		return ""
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"load", "-csv", sample, "-url", srv.URL}, env, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "loaded 21 customers, 0 already there, of 21 rows") {
		t.Errorf("output %q", out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"load", "-csv", sample, "-url", srv.URL, "-key", "cmd-test-key"}, env, &out, &errOut); err != nil ||
		!strings.HasPrefix(out.String(), "loaded 21 customers") {
		t.Errorf("reload: %v, %q", err, out.String())
	}
}

func TestUsage(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{
		nil,
		{"fit"},
		{"load"},
		{"eval", "-csv", sample}, // no key
		{"load", "-csv", "missing.csv", "-key", "k"},
		{"eval", "-csv", sample, "-key", "k", "extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), args, none, &out, &errOut); err == nil {
			t.Errorf("%q succeeded", args)
		}
	}
}
