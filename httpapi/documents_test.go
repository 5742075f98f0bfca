package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestDocumentUploadTypes uploads a file of every accepted type, with a
// misleading client file name and part type, and downloads it again.
func TestDocumentUploadTypes(t *testing.T) { runOnStores(t, testDocumentUploadTypes) }

func testDocumentUploadTypes(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	tests := []struct {
		name, mime, ext string
		content         []byte
	}{
		{"pdf", "application/pdf", ".pdf", samplePDF},
		{"png", "image/png", ".png", samplePNG(t)},
		{"jpeg", "image/jpeg", ".jpg", sampleJPEG(t)},
		{"tiff", "image/tiff", ".tiff", sampleTIFF},
		{"text", "text/plain; charset=utf-8", ".txt", sampleText},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", sampleDOCX(t)},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", sampleXLSX(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(uploadReq(t, c.ID, agentKey,
				field("name", "Ünïcode \"quoted\" name; x"), field("document_type", "technical_specs"),
				filePart("../../etc/passwd.exe", "application/x-msdownload", tt.content))).want(t, 201)
			var d docResp
			r.decode(t, &d)
			if d.MimeType != tt.mime || d.FileSize != int64(len(tt.content)) || d.SHA256 != hexSHA256(tt.content) {
				t.Errorf("mime_type %q size %d sha256 %s; want %q, %d, %s", d.MimeType, d.FileSize, d.SHA256, tt.mime, len(tt.content), hexSHA256(tt.content))
			}
			want := "/api/v1/customers/" + c.ID + "/documents/" + d.ID
			if loc := r.header.Get("Location"); loc != want || d.FileURL != want+"/content" {
				t.Errorf("Location %q, file_url %q; want %q and its /content", loc, d.FileURL, want)
			}
			if d.UploadedBy != httpapi.KeyID(agentKey) || !d.IsActive || d.ScanStatus != "not_scanned" ||
				d.SignatureStatus != "not_required" || d.Tags == nil || d.Version != 1 {
				t.Errorf("document = %+v", d)
			}

			got := e.do(req{method: "GET", path: d.FileURL, key: viewerKey}).want(t, 200)
			if !bytes.Equal(got.body, tt.content) {
				t.Errorf("downloaded %d bytes differ from the %d uploaded", len(got.body), len(tt.content))
			}
			h := got.header
			wantCD := `attachment; filename="_n_code _quoted_ name_ x` + tt.ext + `"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22%20name%3B%20x` + tt.ext
			for k, v := range map[string]string{
				"Content-Type": tt.mime, "X-Content-Type-Options": "nosniff", "ETag": `"` + d.SHA256 + `"`,
				"Content-Disposition": wantCD, "Accept-Ranges": "bytes",
			} {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
		})
	}
}

// TestDocumentUploadErrors checks every refusal of an upload, and that a
// refused upload leaves no file behind.
func TestDocumentUploadErrors(t *testing.T) {
	teststore.ForEach(t, func(t *testing.T, open func(t testing.TB) store.Store) {
		const limit = 4 << 10
		e := newDocEnv(t, open(t), document.Options{MaxSize: limit})
		c := e.createCustomer(nil)
		other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550199"})
		otherDoc := e.upload(other.ID, uploadForm{})
		before := e.objectKeys()
		base := uploadForm{}.parts()
		meta, file := base[:2], base[2]
		withFile := func(content []byte) []part {
			return append(slices.Clone(meta), filePart("invoice.pdf", "application/pdf", content))
		}
		tests := []struct {
			name   string
			r      req
			status int
			code   string
			fields []string
		}{
			{"unknown customer", uploadReq(t, "0195f0a0-0000-7000-8000-00000000dead", agentKey, base...), 404, "not_found", nil},
			{"malformed customer id", uploadReq(t, "nope", agentKey, base...), 404, "not_found", nil},
			{"bad document_type", uploadReq(t, c.ID, agentKey, field("name", "x"), field("document_type", "passport"), file), 400, "invalid", []string{"document_type"}},
			{"bad document_type after the file", uploadReq(t, c.ID, agentKey, field("name", "x"), file, field("document_type", "passport")), 400, "invalid", []string{"document_type"}},
			{"missing name after the file", uploadReq(t, c.ID, agentKey, file, field("document_type", "contract")), 400, "invalid", []string{"name"}},
			{"bad expiration_date", uploadReq(t, c.ID, agentKey, append(slices.Clone(base), field("expiration_date", "31/12/2030"))...), 400, "invalid", []string{"expiration_date"}},
			{"bad requires_signature", uploadReq(t, c.ID, agentKey, field("requires_signature", "yes"), file), 400, "invalid", []string{"requires_signature"}},
			{"too many tags", uploadReq(t, c.ID, agentKey, append(slices.Clone(meta), field("tags", "t0,t1,t2,t3,t4,t5,t6,t7,t8,t9,t10,t11,t12,t13,t14,t15,t16,t17,t18,t19,t20"), file)...), 400, "invalid", []string{"tags"}},
			{"tag too long", uploadReq(t, c.ID, agentKey, append(slices.Clone(meta), field("tags", strings.Repeat("x", 51)), file)...), 400, "invalid", []string{"tags[0]"}},
			{"missing file part", uploadReq(t, c.ID, agentKey, meta...), 400, "invalid", []string{"file"}},
			{"two files", uploadReq(t, c.ID, agentKey, append(slices.Clone(base), file)...), 400, "invalid", []string{"file"}},
			{"unknown field", uploadReq(t, c.ID, agentKey, append(slices.Clone(base), field("owner", "me"))...), 400, "invalid", []string{"owner"}},
			{"empty file", uploadReq(t, c.ID, agentKey, withFile([]byte{})...), 400, "invalid", []string{"file"}},
			{"oversize file", uploadReq(t, c.ID, agentKey, withFile(append(slices.Clone(samplePDF), make([]byte, limit)...))...), 413, "payload_too_large", nil},
			{"oversize field", uploadReq(t, c.ID, agentKey, append(slices.Clone(base), field("tags", strings.Repeat("n", 9<<10)))...), 400, "invalid", []string{"tags"}},
			{"oversize body", uploadReq(t, c.ID, agentKey, append(slices.Clone(meta), slices.Repeat([]part{field("tags", strings.Repeat("n", 8<<10))}, 10)...)...), 413, "payload_too_large", nil},
			{"executable named invoice.pdf", uploadReq(t, c.ID, agentKey, withFile(sampleEXE)...), 415, "unsupported_media_type", nil},
			{"plain zip", uploadReq(t, c.ID, agentKey, withFile(sampleZip(t, "notes.txt"))...), 415, "unsupported_media_type", nil},
			{"html", uploadReq(t, c.ID, agentKey, withFile([]byte("<!DOCTYPE html><html><script>alert(1)</script></html>"))...), 415, "unsupported_media_type", nil},
			{"not multipart", req{method: "POST", path: "/api/v1/customers/" + c.ID + "/documents", key: agentKey, body: `{"name":"x"}`}, 415, "unsupported_media_type", nil},
			{"no boundary", req{method: "POST", path: "/api/v1/customers/" + c.ID + "/documents", key: agentKey, body: "x",
				header: map[string]string{"Content-Type": "multipart/form-data"}}, 400, "invalid", nil},
			{"viewer", uploadReq(t, c.ID, viewerKey, base...), 403, "forbidden", nil},
			{"bad Idempotency-Key", func() req {
				r := uploadReq(t, c.ID, agentKey, base...)
				r.header["Idempotency-Key"] = "k\x01"
				return r
			}(), 400, "invalid", []string{"Idempotency-Key"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := e.do(tt.r).want(t, tt.status).problem(t)
				if p.Code != tt.code {
					t.Errorf("code %q, want %q (%s)", p.Code, tt.code, p.Detail)
				}
				for _, f := range tt.fields {
					if !slices.Contains(p.fields(), f) {
						t.Errorf("fields %v do not name %q", p.fields(), f)
					}
				}
				if keys := e.objectKeys(); !slices.Equal(keys, before) {
					t.Errorf("objects after a refused upload: %v, want %v", keys, before)
				}
			})
		}
		// Another customer's document is not found under this one.
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/documents/" + otherDoc.ID, key: viewerKey}).want(t, 404)
		e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/documents/" + otherDoc.ID + "/content", key: viewerKey}).want(t, 404)
		e.do(req{method: "PATCH", path: "/api/v1/customers/" + c.ID + "/documents/" + otherDoc.ID, key: agentKey, body: `{"name":"x"}`}).want(t, 404)
		e.do(req{method: "DELETE", path: "/api/v1/customers/" + c.ID + "/documents/" + otherDoc.ID, key: agentKey}).want(t, 404)
		e.do(req{method: "GET", path: "/api/v1/customers/" + other.ID + "/documents/" + otherDoc.ID, key: viewerKey}).want(t, 200)
	})
}

// TestDocumentMetadataAfterFile accepts fields sent after the file.
func TestDocumentMetadataAfterFile(t *testing.T) { runOnStores(t, testDocumentMetadataAfterFile) }

func testDocumentMetadataAfterFile(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	var d docResp
	e.do(uploadReq(t, c.ID, agentKey, filePart("", "", sampleText), field("tags", "b, a"), field("tags", "a"),
		field("name", "  Notes "), field("document_type", "technical_specs"), field("requires_signature", "true"),
		field("expiration_date", "2030-12-31"))).want(t, 201).decode(t, &d)
	if d.Name != "Notes" || d.Type != "technical_specs" || !slices.Equal(d.Tags, []string{"b", "a"}) || !d.RequiresSignature ||
		d.SignatureStatus != "pending" || d.ExpirationDate == nil || *d.ExpirationDate != "2030-12-31" {
		t.Errorf("document = %+v", d)
	}
}

// TestDocumentRanges serves byte ranges (206), refuses impossible ones
// (416) and answers a matching If-None-Match with 304.
func TestDocumentRanges(t *testing.T) { runOnStores(t, testDocumentRanges) }

func testDocumentRanges(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	d := e.upload(c.ID, uploadForm{content: sampleText})
	get := func(h map[string]string) resp {
		return e.do(req{method: "GET", path: d.FileURL, key: viewerKey, header: h})
	}
	r := get(map[string]string{"Range": "bytes=0-11"}).want(t, 206)
	if string(r.body) != string(sampleText[:12]) || r.header.Get("Content-Range") != "bytes 0-11/"+strconv.Itoa(len(sampleText)) {
		t.Errorf("206 body %q, Content-Range %q", r.body, r.header.Get("Content-Range"))
	}
	r = get(map[string]string{"Range": "bytes=-5"}).want(t, 206)
	if string(r.body) != string(sampleText[len(sampleText)-5:]) {
		t.Errorf("suffix range body %q", r.body)
	}
	r = get(map[string]string{"Range": "bytes=5000-6000"}).want(t, 416)
	if r.header.Get("Content-Range") != "bytes */"+strconv.Itoa(len(sampleText)) {
		t.Errorf("416 Content-Range %q", r.header.Get("Content-Range"))
	}
	get(map[string]string{"If-None-Match": `"` + d.SHA256 + `"`}).want(t, 304)
	r = get(map[string]string{"Range": "bytes=0-3", "If-Range": `"stale"`}).want(t, 200)
	if !bytes.Equal(r.body, sampleText) {
		t.Error("a stale If-Range did not get the whole file")
	}
}

// TestDocumentLifecycle reads, patches, deactivates and lists documents.
func TestDocumentLifecycle(t *testing.T) { runOnStores(t, testDocumentLifecycle) }

func testDocumentLifecycle(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID + "/documents"
	contract := e.upload(c.ID, uploadForm{name: "Contract", expirationDate: "2026-06-30", requiresSignature: "true"})
	specs := e.upload(c.ID, uploadForm{name: "Specs", docType: "technical_specs", content: sampleText})
	agreement := e.upload(c.ID, uploadForm{name: "Agreement", docType: "agreement", expirationDate: "2027-01-01"})

	r := e.do(req{method: "GET", path: cp + "/" + contract.ID, key: viewerKey}).want(t, 200)
	if r.header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q", r.header.Get("ETag"))
	}

	// PATCH: stale If-Match changes nothing; a good one applies.
	p := e.do(req{method: "PATCH", path: cp + "/" + contract.ID, key: agentKey, body: `{"signature_status":"signed"}`,
		header: map[string]string{"If-Match": `"7"`}}).want(t, 412).problem(t)
	if p.Code != "precondition_failed" {
		t.Errorf("code %q", p.Code)
	}
	var d docResp
	r = e.do(req{method: "PATCH", path: cp + "/" + contract.ID, key: agentKey,
		body:   `{"signature_status":"signed","tags":["renewed"],"name":"Contract 2025","expiration_date":null}`,
		header: map[string]string{"If-Match": `"1"`, "Content-Type": "application/merge-patch+json"}}).want(t, 200)
	r.decode(t, &d)
	if d.SignatureStatus != "signed" || d.Name != "Contract 2025" || !slices.Equal(d.Tags, []string{"renewed"}) ||
		d.ExpirationDate != nil || d.Version != 2 || r.header.Get("ETag") != `"2"` {
		t.Errorf("patched document = %+v, ETag %s", d, r.header.Get("ETag"))
	}
	for _, tt := range []struct{ body, field string }{
		{`{"signature_status":"maybe"}`, "signature_status"},
		{`{"signature_status":"not_required"}`, "signature_status"},
		{`{"document_type":"passport"}`, "document_type"},
		{`{"sha256":"00"}`, "sha256"},
		{`{"is_active":true}`, "is_active"},
		{`{"color":"red"}`, "color"},
	} {
		p := e.do(req{method: "PATCH", path: cp + "/" + contract.ID, key: agentKey, body: tt.body}).want(t, 400).problem(t)
		if !slices.Contains(p.fields(), tt.field) {
			t.Errorf("PATCH %s: fields %v, want %s", tt.body, p.fields(), tt.field)
		}
	}
	e.do(req{method: "PATCH", path: cp + "/" + contract.ID, key: viewerKey, body: `{"name":"x"}`}).want(t, 403)

	// Filters.
	list := func(query string) []string {
		t.Helper()
		var page struct {
			Documents []docResp `json:"documents"`
			HasMore   bool      `json:"has_more"`
		}
		e.do(req{method: "GET", path: cp + query, key: viewerKey}).want(t, 200).decode(t, &page)
		var names []string
		for _, d := range page.Documents {
			names = append(names, d.Name)
		}
		return names
	}
	check := func(query string, want ...string) {
		t.Helper()
		if got := list(query); !slices.Equal(got, want) {
			t.Errorf("list %q = %v, want %v", query, got, want)
		}
	}
	check("", "Contract 2025", "Specs", "Agreement")
	check("?document_type=technical_specs", "Specs")
	check("?expiring_before=2027-01-02", "Agreement")
	check("?expiring_before=2027-01-01")
	check("?limit=2", "Contract 2025", "Specs")
	for _, q := range []string{"?document_type=passport", "?expiring_before=tomorrow", "?active_only=maybe", "?sort=name"} {
		e.do(req{method: "GET", path: cp + q, key: viewerKey}).want(t, 400)
	}

	// DELETE deactivates: gone from the default list, back with
	// active_only=false, content 404, patch 409, delete again 204.
	e.do(req{method: "DELETE", path: cp + "/" + specs.ID, key: viewerKey}).want(t, 403)
	e.do(req{method: "DELETE", path: cp + "/" + specs.ID, key: agentKey, header: map[string]string{"If-Match": `"9"`}}).want(t, 412)
	e.do(req{method: "DELETE", path: cp + "/" + specs.ID, key: agentKey}).want(t, 204)
	check("", "Contract 2025", "Agreement")
	check("?active_only=false", "Contract 2025", "Specs", "Agreement")
	e.do(req{method: "GET", path: cp + "/" + specs.ID, key: viewerKey}).want(t, 200).decode(t, &d)
	if d.IsActive || d.Version != 2 {
		t.Errorf("deactivated document = %+v", d)
	}
	e.do(req{method: "GET", path: specs.FileURL, key: viewerKey}).want(t, 404)
	e.do(req{method: "PATCH", path: cp + "/" + specs.ID, key: agentKey, body: `{"name":"x"}`}).want(t, 409)
	e.do(req{method: "DELETE", path: cp + "/" + specs.ID, key: agentKey}).want(t, 204)
	e.do(req{method: "GET", path: agreement.FileURL, key: viewerKey}).want(t, 200)

	// Every mutation is audited, with the document name masked.
	var audit struct {
		Entries []struct {
			Entity, Action string
			Changes        []struct {
				Field string
				After any
			}
		} `json:"audit_entries"`
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/audit?limit=200", key: adminKey}).want(t, 200).decode(t, &audit)
	var actions []string
	for _, a := range audit.Entries {
		if a.Entity == "document" {
			actions = append(actions, a.Action)
			for _, ch := range a.Changes {
				if ch.Field == "name" && ch.After != nil && !strings.Contains(ch.After.(string), "***") {
					t.Errorf("audit shows the document name unmasked: %v", ch.After)
				}
			}
		}
	}
	if want := []string{"deactivate", "update", "create", "create", "create"}; !slices.Equal(actions, want) {
		t.Errorf("document audit actions %v, want %v", actions, want)
	}
	events, err := e.store.ListEvents(t.Context(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range events {
		if strings.HasPrefix(ev.Type, "document.") {
			types = append(types, ev.Type)
		}
	}
	if want := []string{"document.uploaded", "document.uploaded", "document.uploaded", "document.updated", "document.deactivated"}; !slices.Equal(types, want) {
		t.Errorf("events %v, want %v", types, want)
	}
}

// fakeScanner calls content with "EICAR" infected and fails while broken.
type fakeScanner struct{ broken atomic.Bool }

func (f *fakeScanner) Scan(ctx context.Context, r io.Reader) (bool, error) {
	if f.broken.Load() {
		return false, errors.New("scanner unreachable")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return false, err
	}
	return !bytes.Contains(b, []byte("EICAR")), nil
}

// TestDocumentScanner serves content only once scanned clean: pending and
// infected content is 409, and ScanPending catches up after a scanner
// failure.
func TestDocumentScanner(t *testing.T) {
	teststore.ForEach(t, func(t *testing.T, open func(t testing.TB) store.Store) {
		sc := &fakeScanner{}
		e := newDocEnv(t, open(t), document.Options{Scanner: sc})
		c := e.createCustomer(nil)
		clean := e.upload(c.ID, uploadForm{content: sampleText})
		infected := e.upload(c.ID, uploadForm{content: []byte("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n")})
		sc.broken.Store(true)
		pending := e.upload(c.ID, uploadForm{content: sampleText})
		for _, tt := range []struct {
			d      docResp
			status string
			code   int
		}{{clean, "clean", 200}, {infected, "infected", 409}, {pending, "pending", 409}} {
			if tt.d.ScanStatus != tt.status {
				t.Errorf("scan_status %q, want %q", tt.d.ScanStatus, tt.status)
			}
			r := e.do(req{method: "GET", path: tt.d.FileURL, key: viewerKey}).want(t, tt.code)
			if tt.code == 409 && !strings.Contains(r.problem(t).Detail, "scan") {
				t.Errorf("409 does not say why: %s", r.body)
			}
		}
		n, err := e.docs.ScanPending(t.Context())
		if err != nil || n != 0 {
			t.Errorf("ScanPending with a broken scanner = %d, %v; want 0, nil", n, err)
		}
		sc.broken.Store(false)
		n, err = e.docs.ScanPending(t.Context())
		if err != nil || n != 1 {
			t.Errorf("ScanPending = %d, %v; want 1, nil", n, err)
		}
		e.do(req{method: "GET", path: pending.FileURL, key: viewerKey}).want(t, 200)
	})
}

// TestDocumentUploadIdempotency checks Idempotency-Key on uploads: a
// retry, sent as a new multipart body (another boundary, the metadata in
// another order), replays the first response and stores nothing more;
// another file under the same key is 422; a refused upload frees the key.
func TestDocumentUploadIdempotency(t *testing.T) { runOnStores(t, testDocumentUploadIdempotency) }

func testDocumentUploadIdempotency(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	withKey := func(r req, key string) req {
		r.header["Idempotency-Key"] = key
		return r
	}
	form := uploadForm{tags: []string{"a"}}
	first := e.do(withKey(uploadReq(t, c.ID, agentKey, form.parts()...), "k-upload")).want(t, 201)
	var created docResp
	first.decode(t, &created)

	parts := form.parts()
	parts[0], parts[1] = parts[1], parts[0] // same fields, other order and boundary
	again := e.do(withKey(uploadReq(t, c.ID, agentKey, parts...), "k-upload")).want(t, 201)
	if again.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.body, first.body) {
		t.Errorf("retry: replayed %q, body %s; want the first response %s", again.header.Get("Idempotent-Replayed"), again.body, first.body)
	}
	if keys := e.objectKeys(); len(keys) != 1 || !strings.HasSuffix(keys[0], created.ID) {
		t.Errorf("objects after the retry: %v, want only %s", keys, created.ID)
	}

	other := uploadForm{tags: []string{"a"}, content: sampleText}
	p := e.do(withKey(uploadReq(t, c.ID, agentKey, other.parts()...), "k-upload")).want(t, 422).problem(t)
	if p.Code != "idempotency_mismatch" {
		t.Errorf("another file under the key: code %q", p.Code)
	}
	if keys := e.objectKeys(); len(keys) != 1 {
		t.Errorf("objects after the mismatch: %v", keys)
	}
	var list struct{ Documents []docResp }
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/documents", key: viewerKey}).want(t, 200).decode(t, &list)
	if len(list.Documents) != 1 {
		t.Errorf("%d documents after the retries, want 1", len(list.Documents))
	}

	// A refused upload does not use the key up: fixed, it goes through.
	bad := uploadForm{docType: "passport"}
	e.do(withKey(uploadReq(t, c.ID, agentKey, bad.parts()...), "k-fix")).want(t, 400)
	e.do(withKey(uploadReq(t, c.ID, agentKey, uploadForm{}.parts()...), "k-fix")).want(t, 201)
}

// TestDocumentMetadataFailure removes the file when recording it fails.
func TestDocumentMetadataFailure(t *testing.T) { runOnStores(t, testDocumentMetadataFailure) }

func testDocumentMetadataFailure(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	e.do(uploadReq(t, c.ID, agentKey, uploadForm{name: nameFail}.parts()...)).want(t, 500)
	if keys := e.objectKeys(); len(keys) != 0 {
		t.Errorf("objects after a failed metadata write: %v", keys)
	}
}

// TestDocumentSweep deletes orphans older than the grace period and keeps
// fresh objects and recorded ones.
func TestDocumentSweep(t *testing.T) {
	teststore.ForEach(t, func(t *testing.T, open func(t testing.TB) store.Store) {
		var now atomic.Pointer[time.Time]
		setNow := func(t time.Time) { now.Store(&t) }
		setNow(time.Now())
		e := newDocEnv(t, open(t), document.Options{Now: func() time.Time { return *now.Load() }})
		c := e.createCustomer(nil)
		live := e.upload(c.ID, uploadForm{})
		ctx := t.Context()
		orphan := "customers/" + c.ID + "/0195f0a0-0000-7000-8000-00000000beef"
		if err := e.bucket.WriteAll(ctx, orphan, samplePDF, nil); err != nil {
			t.Fatal(err)
		}
		res, err := e.docs.SweepOrphans(ctx, time.Hour)
		if err != nil || res != (document.SweepResult{Checked: 2, Deleted: 0}) {
			t.Errorf("sweep of fresh objects = %+v, %v; want 2 checked, none deleted", res, err)
		}
		setNow(time.Now().Add(2 * time.Hour))
		res, err = e.docs.SweepOrphans(ctx, time.Hour)
		if err != nil || res != (document.SweepResult{Checked: 2, Deleted: 1}) {
			t.Errorf("sweep after the grace period = %+v, %v; want 2 checked, 1 deleted", res, err)
		}
		if keys := e.objectKeys(); len(keys) != 1 || !strings.HasSuffix(keys[0], live.ID) {
			t.Errorf("objects after the sweep: %v, want only %s", keys, live.ID)
		}
		e.do(req{method: "GET", path: live.FileURL, key: viewerKey}).want(t, 200)
	})
}

// TestCustomerDeletePurgesDocuments erases a deleted customer's documents
// and files, and only theirs.
func TestCustomerDeletePurgesDocuments(t *testing.T) {
	runOnStores(t, testCustomerDeletePurgesDocuments)
}

func testCustomerDeletePurgesDocuments(t *testing.T, e *env) {
	c := e.createCustomer(nil)
	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550199"})
	d1 := e.upload(c.ID, uploadForm{})
	e.upload(c.ID, uploadForm{content: sampleText})
	kept := e.upload(other.ID, uploadForm{})
	if _, err := e.docs.PurgeCustomer(t.Context(), c.ID); err == nil {
		t.Error("PurgeCustomer of a live customer succeeded")
	}
	if len(e.objectKeys()) != 3 {
		t.Fatalf("objects before delete: %v", e.objectKeys())
	}
	e.do(req{method: "DELETE", path: "/api/v1/customers/" + c.ID, key: adminKey}).want(t, 204)
	if keys := e.objectKeys(); len(keys) != 1 || !strings.HasSuffix(keys[0], kept.ID) {
		t.Errorf("objects after delete: %v, want only %s", keys, kept.ID)
	}
	if _, err := e.store.GetDocument(t.Context(), c.ID, d1.ID); err == nil {
		t.Error("the deleted customer's document row is still there")
	}
	e.do(req{method: "GET", path: "/api/v1/customers/" + c.ID + "/documents", key: viewerKey}).want(t, 404)
	e.do(req{method: "GET", path: kept.FileURL, key: viewerKey}).want(t, 200)
}
