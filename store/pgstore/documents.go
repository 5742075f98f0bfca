package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// Documents are keyed by (customer_id, id) like services; only the
// background work (the scan queue, the orphan sweep) reads across
// customers, never a request.

const (
	// As insertSubscriptionSQL: a missing customer or a duplicate id is
	// "0 rows" rather than an error that would abort the transaction.
	insertDocumentSQL = `INSERT INTO documents (` + documentColumns + `)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint, $7::text, $8::text,
			$9::timestamptz, $10::text, $11::date, $12::boolean, $13::boolean, $14::text, $15::jsonb,
			$16::text, $17::bigint, $18::timestamptz
		WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::text)
		ON CONFLICT DO NOTHING`
	getDocumentSQL    = `SELECT ` + documentColumns + ` FROM documents WHERE customer_id = $1 AND id = $2`
	updateDocumentSQL = `UPDATE documents SET
		name = $3, document_type = $4, object_key = $5, file_size = $6, mime_type = $7, sha256 = $8,
		upload_date = $9, uploaded_by = $10, expiration_date = $11, is_active = $12,
		requires_signature = $13, signature_status = $14, tags = $15, scan_status = $16,
		version = $17::bigint, updated_at = $18
	WHERE id = $1 AND customer_id = $2 AND version = $17::bigint - 1`
	documentVersionSQL = `SELECT version FROM documents WHERE customer_id = $1 AND id = $2`
	// The optional filters are written so one statement (one cached plan)
	// serves every combination.
	listDocumentsSQL = `SELECT ` + documentColumns + ` FROM documents
		WHERE customer_id = $1 AND id > $2
		  AND ($3 = '' OR document_type = $3)
		  AND (NOT $4::boolean OR is_active)
		  AND ($5::date IS NULL OR expiration_date < $5::date)
		ORDER BY id LIMIT $6`
	pendingScansSQL = `SELECT ` + documentColumns + ` FROM documents
		WHERE scan_status = 'pending' AND id > $1 ORDER BY id LIMIT $2`
	existingObjectKeysSQL = `SELECT object_key FROM documents WHERE object_key = ANY($1::text[])`
)

// CreateDocument inserts d. not_found when the customer never existed;
// conflict when the customer already has a document with that id.
func (s *Store) CreateDocument(ctx context.Context, d *document.Document) error {
	r, err := documentToRow(d)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, insertDocumentSQL, r.values()...)
	if err != nil {
		return s.mapErr(err, "create document")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var exists bool
	if err := h.q.QueryRowContext(ctx, customerExistsSQL, d.CustomerID).Scan(&exists); err != nil {
		return s.mapErr(err, "create document")
	}
	if !exists {
		return crm.NotFound("customer")
	}
	return conflictError(nil, "document "+d.ID)
}

// GetDocument returns a document of the customer, active or not; not_found
// when it does not exist or belongs to another customer.
func (s *Store) GetDocument(ctx context.Context, customerID, id string) (*document.Document, error) {
	var r documentRow
	if err := s.queryRow(ctx, getDocumentSQL, []any{customerID, id}, r.dest()); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, crm.NotFound("document")
		}
		return nil, s.mapErr(err, "get document")
	}
	return r.document()
}

// UpdateDocument stores d over the row whose version is d.Version-1;
// not_found when the customer has no such document, precondition_failed
// when the stored version differs.
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	r, err := documentToRow(d)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	res, err := h.q.ExecContext(ctx, updateDocumentSQL, r.values()...)
	if err != nil {
		return s.mapErr(err, "update document")
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var version int64
	err = h.q.QueryRowContext(ctx, documentVersionSQL, d.CustomerID, d.ID).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound("document")
	case err != nil:
		return s.mapErr(err, "update document")
	}
	return stale("document", d.ID, version, d.Version-1)
}

// ListDocuments returns up to f.Limit (all when <= 0) documents of the
// customer matching f, ordered by id, strictly after f.After.
func (s *Store) ListDocuments(ctx context.Context, customerID string, f document.Filter) ([]document.Document, error) {
	var before any // NULL: no expiry filter
	if f.ExpiringBefore != nil {
		before = f.ExpiringBefore.Time()
	}
	return s.documents(ctx, "list documents", listDocumentsSQL,
		customerID, f.After, string(f.Type), f.ActiveOnly, before, limitArg(f.Limit))
}

// PendingScans returns up to limit (all when <= 0) documents of any
// customer awaiting a scan, ordered by id, strictly after afterID.
func (s *Store) PendingScans(ctx context.Context, afterID string, limit int) ([]document.Document, error) {
	return s.documents(ctx, "pending scans", pendingScansSQL, afterID, limitArg(limit))
}

// ExistingObjectKeys returns those of keys that a document row names.
func (s *Store) ExistingObjectKeys(ctx context.Context, keys []string) ([]string, error) {
	out := []string{}
	err := s.query(ctx, existingObjectKeysSQL, []any{keys}, func(rows rowScanner) error {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "existing object keys")
	}
	return out, nil
}

// documents runs a query of documentColumns and converts the rows.
func (s *Store) documents(ctx context.Context, op, query string, args ...any) ([]document.Document, error) {
	out := []document.Document{}
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var r documentRow
		if err := rows.Scan(r.dest()...); err != nil {
			return err
		}
		d, err := r.document()
		if err != nil {
			return err
		}
		out = append(out, *d)
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, op)
	}
	return out, nil
}

// limitArg is a LIMIT parameter: NULL (LIMIT ALL) for limit <= 0.
func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}
