package httpapi_test

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store"
)

// exportPath is the export endpoint.
const exportPath = "/api/v1/customers/export"

// TestCustomerExport checks GET /customers/export: admin only, CSV by
// default with formula escaping and no tax id, NDJSON, fields, the list's
// filters and segments, and problems before anything is sent.
func TestCustomerExport(t *testing.T) { runOnStores(t, testCustomerExport) }

func testCustomerExport(t *testing.T, e *env) {
	formula := e.createCustomer(map[string]any{"name": "=SUM(A1)", "tax_id": "123-45-6789"})
	shelby := address()
	shelby["city"] = "Shelbyville"
	grace := e.createCustomer(map[string]any{"name": "Grace Hopper", "email": "grace@example.com", "phone": "+12125550177", "billing_address": shelby})
	alan := e.createCustomer(map[string]any{"name": "Alan Turing", "email": "alan@example.com", "phone": "+12125550178"})

	t.Run("csv", func(t *testing.T) {
		r := e.do(req{method: "GET", path: exportPath, key: adminKey}).want(t, 200)
		for name, want := range map[string]string{
			"Content-Type":        "text/csv; charset=utf-8",
			"Content-Disposition": `attachment; filename="customers-2025-03-01.csv"`,
			"Cache-Control":       "no-store",
		} {
			if got := r.header.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(bulk.ExportColumns().Names(), records[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		cells := func(rec []string) map[string]string {
			m := map[string]string{}
			for i, name := range records[0] {
				m[name] = rec[i]
			}
			return m
		}
		var got []string
		for _, rec := range records[1:] {
			got = append(got, cells(rec)["id"])
		}
		if diff := cmp.Diff([]string{formula.ID, grace.ID, alan.ID}, got); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
		first := cells(records[1])
		if first["name"] != "'=SUM(A1)" || first["phone"] != "'+12125550142" || first["billing_address.city"] != "Springfield" {
			t.Errorf("first record: name %q, phone %q, city %q", first["name"], first["phone"], first["billing_address.city"])
		}
		if strings.Contains(string(r.body), "6789") || strings.Contains(string(r.body), "tax_id") {
			t.Errorf("the export holds the tax id:\n%s", r.body)
		}
	})

	t.Run("ndjson and fields", func(t *testing.T) {
		r := e.do(req{method: "GET", path: exportPath + "?format=ndjson&fields=name,billing_address.city&city=springfield", key: adminKey}).want(t, 200)
		if ct, cd := r.header.Get("Content-Type"), r.header.Get("Content-Disposition"); ct != "application/x-ndjson" ||
			cd != `attachment; filename="customers-2025-03-01.ndjson"` {
			t.Errorf("Content-Type %q, Content-Disposition %q", ct, cd)
		}
		want := `{"name":"=SUM(A1)","billing_address":{"city":"Springfield"}}` + "\n" +
			`{"name":"Alan Turing","billing_address":{"city":"Springfield"}}` + "\n"
		if diff := cmp.Diff(want, string(r.body)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("filters and segments", func(t *testing.T) {
		seg := e.createSegment(map[string]any{"name": "Springfield", "rules": map[string]any{"city": "Springfield"}})
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"city=Shelbyville", []string{grace.ID}},
			{"q=turing", []string{alan.ID}},
			{"segment_id=" + seg.ID, []string{formula.ID, alan.ID}},
			{"segment_id=" + seg.ID + "&q=sum", []string{formula.ID}},
			{"churn_level=low&city=Shelbyville", []string{grace.ID}},
			{"status=suspended", []string{}},
		} {
			r := e.do(req{method: "GET", path: exportPath + "?fields=id&" + tt.query, key: adminKey}).want(t, 200)
			if diff := cmp.Diff(tt.want, strings.Fields(string(r.body))[1:]); diff != "" {
				t.Errorf("%s: ids (-want +got):\n%s", tt.query, diff)
			}
		}
	})

	t.Run("empty ndjson", func(t *testing.T) {
		r := e.do(req{method: "GET", path: exportPath + "?format=ndjson&status=suspended", key: adminKey}).want(t, 200)
		if len(r.body) != 0 || r.header.Get("Content-Type") != "application/x-ndjson" {
			t.Errorf("Content-Type %q, body %q", r.header.Get("Content-Type"), r.body)
		}
	})

	t.Run("problems", func(t *testing.T) {
		for _, tt := range []struct {
			query  string
			status int
			fields []string
		}{
			{"fields=nmae", 400, []string{"fields"}},
			{"fields=name,tax_id", 400, []string{"fields"}},
			{"fields=", 400, []string{"fields"}},
			{"format=xlsx", 400, []string{"format"}},
			{"min_credit_score=high&created_after=yesterday", 400, []string{"created_after", "min_credit_score"}},
			{"colour=red", 400, []string{"colour"}},
			{"segment_id=0195f0a0-0000-7000-8000-000000000009", 404, nil},
		} {
			r := e.do(req{method: "GET", path: exportPath + "?" + tt.query, key: adminKey}).want(t, tt.status)
			p := r.problem(t)
			if diff := cmp.Diff(tt.fields, p.fields()); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tt.query, diff)
			}
			if cd := r.header.Get("Content-Disposition"); cd != "" {
				t.Errorf("%s: Content-Disposition %q on a problem", tt.query, cd)
			}
		}
	})

	t.Run("admin only", func(t *testing.T) {
		for _, key := range []string{agentKey, viewerKey} {
			if p := e.do(req{method: "GET", path: exportPath, key: key}).want(t, 403).problem(t); p.Code != "forbidden" {
				t.Errorf("code = %q", p.Code)
			}
		}
	})

	t.Run("audited", func(t *testing.T) {
		r := e.do(req{method: "GET", path: exportPath + "?city=Shelbyville&fields=id,name", key: adminKey}).want(t, 200)
		entries, err := e.store.ListAudit(t.Context(), "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var last *map[string]string
		var actor, requestID string
		for _, a := range entries { // newest first
			if a.Entity == "exports" {
				m := map[string]string{}
				for _, c := range a.Changes {
					m[c.Field] = string(c.After)
				}
				last, actor, requestID = &m, a.ActorID, a.RequestID
				break
			}
		}
		if last == nil {
			t.Fatal("no export audited")
		}
		want := map[string]string{"complete": "true", "fields": `["id","name"]`, "filter.city": `"Shelbyville"`, "format": `"csv"`, "rows": "1"}
		if diff := cmp.Diff(want, *last); diff != "" {
			t.Errorf("audited (-want +got):\n%s", diff)
		}
		if actor == "" || actor == "system" || requestID != r.header.Get("X-Request-Id") {
			t.Errorf("actor %q, request %q (response %q)", actor, requestID, r.header.Get("X-Request-Id"))
		}
	})
}

// failingList fails every customer list after the first.
type failingList struct {
	store.Store
	lists int
}

func (f *failingList) ListCustomers(ctx context.Context, flt customer.Filter) ([]customer.Customer, error) {
	f.lists++
	if f.lists > 1 {
		return nil, errors.New("boom: connection reset by peer")
	}
	return f.Store.ListCustomers(ctx, flt)
}

// TestCustomerExportCutOff checks that an export failing midway cuts the
// connection, so the client cannot take the part for a whole file, and
// logs why.
func TestCustomerExportCutOff(t *testing.T) {
	e := newEnv(t, func(c *httpapi.Config) {
		svc := *c.Services
		svc.Exports = bulk.NewExportService(&failingList{Store: svc.Store}, svc.Analytics, bulk.ExportOptions{PageSize: 1})
		c.Services = &svc
	})
	e.createCustomer(nil)
	e.createCustomer(map[string]any{"email": "grace@example.com", "phone": "+12125550177"})
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	hr, err := http.NewRequest("GET", srv.URL+exportPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading the body: %v, want unexpected EOF", err)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "export cut off") || !strings.Contains(logs, "connection reset") {
		t.Errorf("logs:\n%s", logs)
	}
}
