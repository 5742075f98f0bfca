package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestDocumentsOnFileBucket uploads and downloads a document through the
// real server with BLOB_URL pointing at a directory that does not exist
// yet, checks the file lands there under a generated key, and that
// MAX_UPLOAD_BYTES is enforced.
func TestDocumentsOnFileBucket(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "documents")
	s := startServer(t, map[string]string{"API_KEYS": testKeys, "BLOB_URL": "file://" + dir, "MAX_UPLOAD_BYTES": "1024"})
	var c customerResp
	if code := call(t, "POST", s.URL+"/api/v1/customers", adminKey, customerJSON(7), &c); code != http.StatusCreated {
		t.Fatalf("create customer: status %d", code)
	}
	content := []byte("%PDF-1.4\n% a contract\n%%EOF\n")
	upload := func(file []byte) *http.Response {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("name", "Contract")
		_ = mw.WriteField("document_type", "contract")
		fw, _ := mw.CreateFormFile("file", "../contract.pdf")
		_, _ = fw.Write(file)
		_ = mw.Close()
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/customers/"+c.ID+"/documents", &body)
		req.Header.Set("Authorization", "Bearer "+adminKey)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := upload(content)
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("upload: status %d: %s", resp.StatusCode, b)
	}
	var d struct {
		ID      string `json:"id"`
		FileURL string `json:"file_url"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(dir, "customers", c.ID, d.ID))
	if err != nil || !bytes.Equal(stored, content) {
		t.Errorf("file in the bucket directory: %q, %v", stored, err)
	}
	req, _ := http.NewRequest("GET", s.URL+d.FileURL, nil)
	req.Header.Set("Authorization", "Bearer "+viewerKey)
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	b, _ := io.ReadAll(got.Body)
	if got.StatusCode != http.StatusOK || !bytes.Equal(b, content) || got.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("download: %d %q %q", got.StatusCode, got.Header.Get("Content-Type"), b)
	}
	if resp := upload(append(content, make([]byte, 1024)...)); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("upload over MAX_UPLOAD_BYTES: status %d, want 413", resp.StatusCode)
	}
}
