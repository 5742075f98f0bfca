package document_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
)

// newService returns a document service over a memory store and bucket,
// with one customer.
func newService(t *testing.T, opts document.Options) (*document.Service, *blob.Bucket, string) {
	t.Helper()
	return newServiceOn(t, memstore.New(), memblob.OpenBucket(nil), opts)
}

// newServiceOn is newService over st and bucket, which it closes when t
// ends.
func newServiceOn(t *testing.T, st store.Store, bucket *blob.Bucket, opts document.Options) (*document.Service, *blob.Bucket, string) {
	t.Helper()
	t.Cleanup(func() { bucket.Close() })
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{}).Create(t.Context(), customer.Input{
		Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+12125550142", Type: customer.TypeResidential, BillingAddress: &addr,
	})
	if err != nil {
		t.Fatal(err)
	}
	return document.NewService(st, store.Tx[document.Repository](st), bucket, opts), bucket, c.ID
}

// countObjects counts the bucket's objects.
func countObjects(t *testing.T, b *blob.Bucket) int {
	t.Helper()
	n := 0
	it := b.List(nil)
	for {
		_, err := it.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}

// TestUploadSizeLimit accepts a file of exactly MaxSize bytes and refuses
// one byte more, keeping nothing of it.
func TestUploadSizeLimit(t *testing.T) {
	const limit = 100
	svc, bucket, id := newService(t, document.Options{MaxSize: limit})
	in := document.UploadInput{Name: "Notes", Type: document.TypeTechnicalSpecs}
	d, err := svc.Upload(t.Context(), id, in, bytes.NewReader(bytes.Repeat([]byte("a"), limit)))
	if err != nil || d.FileSize != limit || d.MimeType != "text/plain; charset=utf-8" {
		t.Fatalf("Upload of %d bytes = %+v, %v", limit, d, err)
	}
	_, err = svc.Upload(t.Context(), id, in, bytes.NewReader(bytes.Repeat([]byte("a"), limit+1)))
	if crm.ErrorCode(err) != crm.CodePayloadTooLarge {
		t.Errorf("Upload of %d bytes: %v, want payload_too_large", limit+1, err)
	}
	if n := countObjects(t, bucket); n != 1 {
		t.Errorf("objects = %d, want 1", n)
	}
	if svc.MaxSize() != limit {
		t.Errorf("MaxSize = %d", svc.MaxSize())
	}
}

// TestUploadValidatesFirst refuses bad metadata before reading the file.
func TestUploadValidatesFirst(t *testing.T) {
	svc, bucket, id := newService(t, document.Options{})
	r := &countingReader{r: bytes.NewReader([]byte("%PDF-1.4\n%%EOF\n"))}
	_, err := svc.Upload(t.Context(), id, document.UploadInput{Name: "x", Type: "passport"}, r)
	if f := crm.ErrorFields(err); len(f) != 1 || f[0].Field != "document_type" {
		t.Errorf("Upload with a bad type: %v", err)
	}
	if r.n != 0 || countObjects(t, bucket) != 0 {
		t.Errorf("read %d bytes and stored %d objects for refused metadata", r.n, countObjects(t, bucket))
	}
	if err := (document.UploadInput{Tags: []string{" "}}).Precheck(); crm.ErrorCode(err) != crm.CodeInvalid {
		t.Errorf("Precheck of an empty tag: %v", err)
	}
	if err := (document.UploadInput{}).Precheck(); err != nil {
		t.Errorf("Precheck of nothing yet: %v", err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
