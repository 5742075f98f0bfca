package document

import (
	"context"
	"io"
	"time"

	"github.com/ispstack/crm"
)

// cleanupTimeout bounds deleting objects after the caller has gone.
const cleanupTimeout = time.Minute

// Upload stores a file with its metadata: the one call for callers that
// have the metadata before the file. It validates in first, then streams r
// as StoreContent does and records it as Create does. Errors: those of
// StoreContent and Create.
func (s *Service) Upload(ctx context.Context, customerID string, in UploadInput, r io.Reader) (*Document, error) {
	if _, err := normalizeUpload(in); err != nil {
		return nil, err
	}
	c, err := s.StoreContent(ctx, customerID, r)
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, c, in)
}

// Create records stored content as a document with the metadata in. On
// any failure (invalid metadata, the customer deleted meanwhile, a store
// error) the object is deleted, so no file outlives a failed upload. With
// a Scanner the content is scanned before Create returns; a scanner error
// leaves the document pending for ScanPending. Errors: invalid, not_found.
func (s *Service) Create(ctx context.Context, c *Content, in UploadInput) (*Document, error) {
	d, err := s.create(ctx, c, in)
	if err != nil {
		s.Discard(ctx, c)
		return nil, err
	}
	if s.scanner != nil {
		return s.scan(ctx, d), nil
	}
	return d, nil
}

func (s *Service) create(ctx context.Context, c *Content, in UploadInput) (*Document, error) {
	in, err := normalizeUpload(in)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	d := &Document{
		ID: c.DocumentID, CustomerID: c.CustomerID, Name: in.Name, Type: in.Type,
		FileSize: c.Size, MimeType: c.MimeType, SHA256: c.SHA256,
		UploadDate: now, UploadedBy: crm.ActorFrom(ctx).ID, ExpirationDate: in.ExpirationDate,
		IsActive: true, RequiresSignature: in.RequiresSignature, SignatureStatus: SignatureNotRequired,
		Tags: in.Tags, ScanStatus: ScanNotScanned, ObjectKey: c.Key, Version: 1, UpdatedAt: now,
	}
	if in.RequiresSignature {
		d.SignatureStatus = SignaturePending
	}
	if s.scanner != nil {
		d.ScanStatus = ScanPending
	}
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		if _, err := r.LockCustomer(ctx, d.CustomerID); err != nil {
			return err
		}
		if err := r.CreateDocument(ctx, d); err != nil {
			return err
		}
		if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, d.CustomerID, "document", d.ID, "create", diff(nil, d), now)); err != nil {
			return err
		}
		return r.InsertEvent(ctx, newEvent(EventUploaded, d, now))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
