package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ispstack/crm/httpapi"
)

// TestDocumentRangeProblems checks that every 416 of a download is a
// problem document with Content-Range, whether http.ServeContent finds the
// Range unsatisfiable or malformed or the API refuses its many ranges, and
// that a few ranges are still served.
func TestDocumentRangeProblems(t *testing.T) { runOnStores(t, testDocumentRangeProblems) }

func testDocumentRangeProblems(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	d := e.upload(c.ID, uploadForm{content: sampleText})
	size := "bytes */" + strconv.Itoa(len(sampleText))
	tests := []struct {
		name, rng, contentRange, detail string
	}{
		{"outside the file", "bytes=5000-6000", size, "outside the file"},
		{"malformed", "bytes=x-y", "", "malformed"},
		{"six ranges", "bytes=0-0,2-2,4-4,6-6,8-8,10-10", size, "6 ranges"},
		{"many ranges", "bytes=" + strings.Repeat("0-0,", 200) + "1-1", size, "201 ranges"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: d.FileURL, key: viewerKey, header: map[string]string{"Range": tt.rng}}).want(t, 416)
			p := r.problem(t)
			if p.Code != "range_not_satisfiable" || !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("problem = %+v, want code range_not_satisfiable and a detail with %q", p, tt.detail)
			}
			if got := r.header.Get("Content-Range"); got != tt.contentRange {
				t.Errorf("Content-Range = %q, want %q", got, tt.contentRange)
			}
			for _, h := range []string{"Content-Disposition", "ETag"} {
				if v := r.header.Get(h); v != "" {
					t.Errorf("416 carries %s: %q", h, v)
				}
			}
		})
	}
	r := e.do(req{method: "GET", path: d.FileURL, key: viewerKey, header: map[string]string{"Range": "bytes=0-0,2-2,4-4,6-6,8-8"}}).want(t, 206)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/byteranges") {
		t.Errorf("five ranges: Content-Type = %q", ct)
	}
}

// TestHeaderTooLarge checks that headers beyond httpapi.MaxHeaderBytes are
// 431 as a problem document, through a real server too (whose own,
// plain-text limit lies above), while headers just below the limit pass.
func TestHeaderTooLarge(t *testing.T) {
	e := newEnv(t)
	big := func(n int) map[string]string { return map[string]string{"X-Padding": strings.Repeat("a", n)} }
	e.do(req{method: "GET", path: "/api/v1/customers", key: viewerKey, header: big(httpapi.MaxHeaderBytes - 1024)}).want(t, 200)
	p := e.do(req{method: "GET", path: "/api/v1/customers", key: viewerKey, header: big(httpapi.MaxHeaderBytes)}).want(t, 431).problem(t)
	if p.Code != "request_header_too_large" {
		t.Errorf("code = %q", p.Code)
	}

	srv := httptest.NewServer(e.h)
	defer srv.Close()
	hr, err := http.NewRequest("GET", srv.URL+"/api/v1/customers", nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+viewerKey)
	hr.Header.Set("X-Padding", strings.Repeat("a", 2*httpapi.MaxHeaderBytes))
	res, err := srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 431 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("over a real server: %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}

// TestHeaderBytes checks the count of a request's header bytes against the
// request as written on the wire.
func TestHeaderBytes(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/v1/customers?q=x", nil)
	r.Header.Set("Authorization", "Bearer k")
	r.Header.Add("Accept", "a")
	r.Header.Add("Accept", "b")
	wire := "GET /api/v1/customers?q=x HTTP/1.1\r\nHost: example.com\r\nAuthorization: Bearer k\r\nAccept: a\r\nAccept: b\r\n"
	if got := httpapi.HeaderBytes(r); got != len(wire) {
		t.Errorf("HeaderBytes = %d, want %d", got, len(wire))
	}
}

// TestUnavailableRetryAfter checks that every 503 tells the client when
// to retry.
func TestUnavailableRetryAfter(t *testing.T) {
	e := newEnv(t)
	down := newEnvOn(t, e.store, func(c *httpapi.Config) { c.Backend = downBackend{c.Backend} })
	closed := newEnv(t)
	closed.store.Close()
	tests := []struct {
		name string
		e    *env
		r    req
	}{
		{"readyz", down, req{method: "GET", path: "/readyz"}},
		{"list on a closed store", closed, req{method: "GET", path: "/api/v1/customers", key: viewerKey}},
		{"create on a closed store", closed, req{method: "POST", path: "/api/v1/customers", key: agentKey, body: customerBody(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.e.do(tt.r).want(t, 503)
			r.problem(t)
			if got := r.header.Get("Retry-After"); got != "5" {
				t.Errorf("Retry-After = %q, want 5", got)
			}
		})
	}
}
