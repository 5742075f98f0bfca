package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gabriel-vasile/mimetype"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/ispstack/crm"
)

// sniffLen is how much of a file is read to decide its type: enough for
// mimetype to walk past the first entries of a DOCX or XLSX archive (a zip
// whose telling "word/" or "xl/" entry may follow a few others), and small
// enough to hold per request.
const sniffLen = 64 << 10

var sniffOnce sync.Once

// configureSniffing raises mimetype's read limit (4 KiB by default) to
// sniffLen. mimetype offers only this process-wide setting; every Service
// wants the same value, so setting it once is enough.
func configureSniffing() { sniffOnce.Do(func() { mimetype.SetLimit(sniffLen) }) }

// allowedTypes are the content types accepted, as mimetype names them.
// Markup and scripts (HTML, SVG, XML, JavaScript), archives and executables
// are refused: a document store is no place to serve them from. CSV and TSV
// are plain text that mimetype names more precisely.
var allowedTypes = []string{
	"application/pdf",
	"image/png",
	"image/jpeg",
	"image/tiff",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/plain",
	"text/csv",
	"text/tab-separated-values",
}

// sniff returns the type of content that starts with prefix and whether it
// is allowed.
func sniff(prefix []byte) (string, bool) {
	m := mimetype.Detect(prefix)
	for _, a := range allowedTypes {
		if m.Is(a) {
			return m.String(), true
		}
	}
	return m.String(), false
}

// Extension returns the usual file extension (".pdf") of a stored
// mime_type, for naming downloads; "" when there is none.
func Extension(mimeType string) string {
	if m := mimetype.Lookup(mimeType); m != nil {
		return m.Extension()
	}
	base, _, _ := strings.Cut(mimeType, ";")
	if m := mimetype.Lookup(strings.TrimSpace(base)); m != nil {
		return m.Extension()
	}
	return ""
}

// keyPrefix is the part of the bucket this package owns.
const keyPrefix = "customers/"

// objectKey is the generated key of a document's content. Both parts are
// UUIDs issued here, so no client input reaches the key.
func objectKey(customerID, documentID string) string {
	return keyPrefix + customerID + "/" + documentID
}

// Content is a file stored in the bucket but not yet recorded: what
// StoreContent returns, to be passed to Create (which records it) or
// Discard (which removes it).
type Content struct {
	CustomerID string
	DocumentID string // the id the document will get
	Key        string
	Size       int64
	SHA256     string // hex
	MimeType   string // sniffed
}

// StoreContent streams a file of the customer to the bucket: it reads a
// bounded prefix to sniff the type against the allow-list, then copies the
// prefix and the rest to a new object while counting and hashing, never
// holding the whole file. Errors: not_found (customer, also when it is
// deleted while the file streams and writing the object fails), invalid (empty
// file, unreadable body), unsupported_media_type (a type not allowed),
// payload_too_large (over MaxSize; nothing is kept). An error from r that
// is a *crm.Error is returned as it is, so a transport can report its own
// limits.
func (s *Service) StoreContent(ctx context.Context, customerID string, r io.Reader) (*Content, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.Errorf(crm.CodeNotFound, "customer not found")
	}
	// Refuse before reading a byte of the file.
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	prefix := make([]byte, min(sniffLen, s.maxSize+1))
	n, err := io.ReadFull(r, prefix)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, readError(err)
	}
	prefix = prefix[:n]
	if n == 0 {
		return nil, &crm.Error{Code: crm.CodeInvalid, Message: "The file is empty.",
			Fields: []crm.FieldError{{Field: "file", Message: "must not be empty"}}}
	}
	mime, ok := sniff(prefix)
	if !ok {
		return nil, crm.Errorf(crm.CodeUnsupportedMediaType,
			"The file's content is %s, which is not accepted; upload a PDF, PNG, JPEG, TIFF, DOCX, XLSX or plain-text file.", mime)
	}

	c := &Content{CustomerID: customerID, DocumentID: crm.NewID(), MimeType: mime}
	c.Key = objectKey(customerID, c.DocumentID)
	// Cancelling wctx before Close aborts the write, so a refused or broken
	// upload leaves no object behind.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, c.Key, &blob.WriterOptions{ContentType: mime})
	if err != nil {
		return nil, fmt.Errorf("document: open %s for writing: %w", c.Key, err)
	}
	hash := sha256.New()
	src := &io.LimitedReader{R: io.MultiReader(bytes.NewReader(prefix), sourceReader{r}), N: s.maxSize + 1}
	c.Size, err = io.Copy(io.MultiWriter(w, hash), src)
	if err == nil && c.Size > s.maxSize {
		err = crm.Errorf(crm.CodePayloadTooLarge, "The file exceeds the limit of %d bytes.", s.maxSize)
	}
	if err != nil {
		cancel()
		_ = w.Close()
		var se sourceError
		var ce *crm.Error
		switch {
		case errors.As(err, &se):
			return nil, readError(se.err)
		case errors.As(err, &ce):
			return nil, ce
		}
		return nil, s.writeError(ctx, c, err)
	}
	if err := w.Close(); err != nil {
		return nil, s.writeError(ctx, c, err)
	}
	c.SHA256 = hex.EncodeToString(hash.Sum(nil))
	return c, nil
}

// writeError reports a failure to write c's object. A customer deleted
// while its file streamed is the likely cause (purging its files may
// remove the directory a file bucket writes into), and then the answer is
// the customer's not_found; otherwise the failure is the bucket's.
func (s *Service) writeError(ctx context.Context, c *Content, err error) error {
	if _, gerr := s.repo.GetCustomer(ctx, c.CustomerID); crm.ErrorCode(gerr) == crm.CodeNotFound {
		s.deleteObject(ctx, c.Key)
		return gerr
	}
	return fmt.Errorf("document: write %s: %w", c.Key, err)
}

// sourceReader marks the errors of the client's stream, so they are told
// apart from the bucket's.
type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = sourceError{err}
	}
	return n, err
}

// sourceError is a failure to read the uploaded file.
type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }
func (e sourceError) Unwrap() error { return e.err }

// readError reports a failure to read the upload: a *crm.Error of the
// transport as it is, anything else as an unreadable file.
func readError(err error) error {
	var ce *crm.Error
	if errors.As(err, &ce) {
		return ce
	}
	return crm.Wrap(err, crm.CodeInvalid, "The file could not be read completely.")
}

// Discard removes stored content that will not be recorded, for example
// because the metadata that followed the file was invalid. It works even
// when ctx is already cancelled; a failure is left to SweepOrphans.
func (s *Service) Discard(ctx context.Context, c *Content) {
	s.deleteObject(ctx, c.Key)
}

// deleteObject deletes a key outside the caller's cancellation (a client
// that hung up must not leave an orphan) and logs a failure, which the
// orphan sweep repairs later.
func (s *Service) deleteObject(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if err := s.bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		s.logger.WarnContext(ctx, "document: cannot delete object; the orphan sweep will retry", "key", key, "err", err)
	}
}

// Open returns an active document with a reader of its content, which the
// caller closes. The reader seeks, so range requests can be served from it.
// Errors: not_found (also for a deactivated document: its content is no
// longer served), conflict (with a Scanner: not yet scanned, or infected).
func (s *Service) Open(ctx context.Context, customerID, id string) (*Document, io.ReadSeekCloser, error) {
	d, err := s.Get(ctx, customerID, id)
	if err != nil {
		return nil, nil, err
	}
	if !d.IsActive {
		return nil, nil, crm.NotFound("document")
	}
	switch d.ScanStatus {
	case ScanPending:
		return nil, nil, crm.Errorf(crm.CodeConflict, "The document has not been scanned for malware yet; try again shortly.")
	case ScanInfected:
		return nil, nil, crm.Errorf(crm.CodeConflict, "The document failed the malware scan and is not served.")
	}
	rd, err := s.bucket.NewReader(ctx, d.ObjectKey, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("document: open content of %s: %w", d.ID, err)
	}
	return d, rd, nil
}
