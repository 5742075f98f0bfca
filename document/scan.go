package document

import (
	"context"

	"github.com/ispstack/crm"
)

// scanBatch is how many pending documents ScanPending reads at once.
const scanBatch = 50

// ScanPending scans the documents still pending (their scan after upload
// failed, or the process stopped before it) and returns how many got a
// verdict. Without a Scanner it does nothing. Several servers may run it at
// once: a verdict is stored only over a pending document, so the second one
// to finish changes nothing.
func (s *Service) ScanPending(ctx context.Context) (int, error) {
	if s.scanner == nil {
		return 0, nil
	}
	done, after := 0, ""
	for {
		docs, err := s.repo.PendingScans(ctx, after, scanBatch)
		if err != nil {
			return done, err
		}
		for i := range docs {
			if d := s.scan(ctx, &docs[i]); d.ScanStatus != ScanPending {
				done++
			}
		}
		if len(docs) < scanBatch || ctx.Err() != nil {
			return done, ctx.Err()
		}
		after = docs[len(docs)-1].ID
	}
}

// scan runs the Scanner over d's content, read back from the bucket, and
// stores the verdict. It returns d as it now stands: still pending when
// the scanner or the store failed (logged; ScanPending retries).
func (s *Service) scan(ctx context.Context, d *Document) *Document {
	clean, err := s.runScanner(ctx, d)
	if err != nil {
		s.logger.WarnContext(ctx, "document: scan failed; the document stays pending", "document_id", d.ID, "err", err)
		return d
	}
	verdict := ScanInfected
	if clean {
		verdict = ScanClean
	}
	out, err := s.setScanStatus(ctx, d.CustomerID, d.ID, verdict)
	if err != nil {
		s.logger.WarnContext(ctx, "document: cannot store the scan verdict; the document stays pending", "document_id", d.ID, "err", err)
		return d
	}
	return out
}

func (s *Service) runScanner(ctx context.Context, d *Document) (bool, error) {
	rd, err := s.bucket.NewReader(ctx, d.ObjectKey, nil)
	if err != nil {
		return false, err
	}
	defer rd.Close()
	return s.scanner.Scan(ctx, rd)
}

// setScanStatus stores a verdict over a pending document, with its audit
// entry and event; a document no longer pending is returned unchanged.
func (s *Service) setScanStatus(ctx context.Context, customerID, id string, verdict ScanStatus) (*Document, error) {
	var out *Document
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := r.GetDocument(ctx, customerID, id)
		if err != nil {
			return err
		}
		if before.ScanStatus != ScanPending {
			out = before
			return nil
		}
		now := s.clock()
		after := *before
		after.ScanStatus = verdict
		after.Version++
		after.UpdatedAt = now
		if err := r.UpdateDocument(ctx, &after); err != nil {
			return err
		}
		if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, customerID, "document", id, "scan", diff(before, &after), now)); err != nil {
			return err
		}
		out = &after
		return r.InsertEvent(ctx, newEvent(EventUpdated, &after, now))
	})
	return out, err
}
