package httpapi_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/textproto"
	"testing"

	"gocloud.dev/blob"
)

// Sample files of every accepted type, built in the test so nothing
// binary is checked in.
var (
	samplePDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	sampleText = []byte("Installation notes: the ONT sits in the garage, left of the breaker panel.\n")
	// sampleTIFF is a little-endian TIFF header followed by an empty IFD.
	sampleTIFF = append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 32)...)
	// sampleEXE is a Windows executable's start: what an invoice.pdf that
	// is really a program begins with.
	sampleEXE = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
)

// sampleImage encodes a small image with enc.
func sampleImage(t testing.TB, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func samplePNG(t testing.TB) []byte { return sampleImage(t, png.Encode) }
func sampleJPEG(t testing.TB) []byte {
	return sampleImage(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
}

// sampleZip builds a zip archive of the named entries, in order.
func sampleZip(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><x/>`); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleDOCX and sampleXLSX are minimal Office Open XML packages.
func sampleDOCX(t testing.TB) []byte {
	return sampleZip(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
}
func sampleXLSX(t testing.TB) []byte {
	return sampleZip(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")
}

// part is one part of a multipart/form-data body.
type part struct {
	name, filename, contentType string
	body                        []byte
}

// field is a plain form field.
func field(name, value string) part { return part{name: name, body: []byte(value)} }

// filePart is the file part, with a client-chosen name and type that the
// server must ignore.
func filePart(filename, contentType string, body []byte) part {
	return part{name: "file", filename: filename, contentType: contentType, body: body}
}

// multipartBody encodes parts and returns the body and its Content-Type.
func multipartBody(t testing.TB, parts ...part) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="` + p.name + `"`
		if p.filename != "" {
			cd += `; filename="` + p.filename + `"`
		}
		h.Set("Content-Disposition", cd)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// uploadReq is an upload request of parts by key.
func uploadReq(t testing.TB, customerID, key string, parts ...part) req {
	body, ct := multipartBody(t, parts...)
	return req{method: "POST", path: "/api/v1/customers/" + customerID + "/documents", key: key, body: body,
		header: map[string]string{"Content-Type": ct}}
}

// uploadForm describes a valid upload; empty fields take defaults.
type uploadForm struct {
	name, docType, expirationDate, requiresSignature string
	tags                                             []string
	content                                          []byte
}

// parts returns the form's parts, metadata first.
func (f uploadForm) parts() []part {
	if f.name == "" {
		f.name = "Service contract"
	}
	if f.docType == "" {
		f.docType = "contract"
	}
	if f.content == nil {
		f.content = samplePDF
	}
	ps := []part{field("name", f.name), field("document_type", f.docType)}
	if f.expirationDate != "" {
		ps = append(ps, field("expiration_date", f.expirationDate))
	}
	if f.requiresSignature != "" {
		ps = append(ps, field("requires_signature", f.requiresSignature))
	}
	for _, tag := range f.tags {
		ps = append(ps, field("tags", tag))
	}
	return append(ps, filePart("contract.pdf", "application/pdf", f.content))
}

// docResp is the part of a document response the tests read.
type docResp struct {
	ID                string   `json:"id"`
	CustomerID        string   `json:"customer_id"`
	Name              string   `json:"name"`
	Type              string   `json:"document_type"`
	FileURL           string   `json:"file_url"`
	FileSize          int64    `json:"file_size"`
	MimeType          string   `json:"mime_type"`
	SHA256            string   `json:"sha256"`
	UploadedBy        string   `json:"uploaded_by"`
	ExpirationDate    *string  `json:"expiration_date"`
	IsActive          bool     `json:"is_active"`
	RequiresSignature bool     `json:"requires_signature"`
	SignatureStatus   string   `json:"signature_status"`
	Tags              []string `json:"tags"`
	ScanStatus        string   `json:"scan_status"`
	Version           int64    `json:"version"`
}

// upload uploads f as agent and returns the document.
func (e *env) upload(customerID string, f uploadForm) docResp {
	e.t.Helper()
	var d docResp
	e.do(uploadReq(e.t, customerID, agentKey, f.parts()...)).want(e.t, 201).decode(e.t, &d)
	return d
}

// objectKeys lists the keys in the env's bucket.
func (e *env) objectKeys() []string {
	e.t.Helper()
	var keys []string
	it := e.bucket.List(&blob.ListOptions{})
	for {
		obj, err := it.Next(e.t.Context())
		if err == io.EOF {
			return keys
		}
		if err != nil {
			e.t.Fatal(err)
		}
		keys = append(keys, obj.Key)
	}
}

// hexSHA256 is the hex checksum of b.
func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
