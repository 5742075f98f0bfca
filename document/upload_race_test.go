package document_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocloud.dev/blob/fileblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestUploadRacingCustomerDelete deletes a customer, purges its files and
// removes its directory of a file bucket while an upload of it streams:
// the upload is not_found (not an internal error) and leaves no object.
// Both stores are used, since the answer comes from reading the customer
// back.
func TestUploadRacingCustomerDelete(t *testing.T) {
	teststore.Run(t, testUploadRacingCustomerDelete)
}

func testUploadRacingCustomerDelete(t *testing.T, st store.Store) {
	ctx := t.Context()
	root := t.TempDir()
	bucket, err := fileblob.OpenBucket(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bucket.Close() })
	svcs, err := app.New(st, app.Options{Bucket: bucket})
	if err != nil {
		t.Fatal(err)
	}
	addr := customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}
	c, err := svcs.Customers.Create(ctx, customer.Input{
		Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+12125550142", Type: customer.TypeResidential, BillingAddress: &addr,
	})
	if err != nil {
		t.Fatal(err)
	}

	// The file arrives through a pipe: a write returns once the upload has
	// read it, so after the second write the upload has its object open.
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := svcs.Documents.Upload(ctx, c.ID, document.UploadInput{Name: "Contract", Type: document.TypeContract}, pr)
		pr.CloseWithError(err) // unblock the writes below if the upload stopped early
		done <- err
	}()
	line := []byte("installation notes\n")
	if _, err := pw.Write(bytes.Repeat(line, 64<<10/len(line)+1)); err != nil {
		t.Fatalf("first part: %v", err)
	}
	if _, err := pw.Write(line); err != nil {
		t.Fatalf("second part: %v", err)
	}

	if err := svcs.Customers.Delete(ctx, c.ID, customer.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(root, "customers", c.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write(line); err != nil {
		t.Fatalf("last part: %v", err)
	}
	pw.Close()

	if err := <-done; crm.ErrorCode(err) != crm.CodeNotFound {
		t.Fatalf("upload racing the delete: %v (code %q), want not_found", err, crm.ErrorCode(err))
	}
	var left []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, strings.TrimPrefix(path, root))
		}
		return err
	})
	if err != nil || len(left) != 0 {
		t.Errorf("bucket holds %v (%v) after the refused upload, want nothing", left, err)
	}
}
