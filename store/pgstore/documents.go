package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

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
	return documents.create(ctx, s, d)
}

// GetDocument returns a document of the customer, active or not; not_found
// when it does not exist or belongs to another customer.
func (s *Store) GetDocument(ctx context.Context, customerID, id string) (*document.Document, error) {
	return getRecord[document.Document, documentRow](ctx, s, "document", getDocumentSQL, customerID, id)
}

// UpdateDocument stores d over the row whose version is d.Version-1;
// not_found when the customer has no such document, precondition_failed
// when the stored version differs.
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	return documents.update(ctx, s, d)
}

// ListDocuments returns up to f.Limit (all when <= 0) documents of the
// customer matching f, ordered by id, strictly after f.After.
func (s *Store) ListDocuments(ctx context.Context, customerID string, f document.Filter) ([]document.Document, error) {
	var before any // NULL: no expiry filter
	if f.ExpiringBefore != nil {
		before = f.ExpiringBefore.Time()
	}
	return listRecords[document.Document, documentRow](ctx, s, "list documents", listDocumentsSQL,
		customerID, f.After, string(f.Type), f.ActiveOnly, before, limitArg(f.Limit))
}

// PendingScans returns up to limit (all when <= 0) documents of any
// customer awaiting a scan, ordered by id, strictly after afterID.
func (s *Store) PendingScans(ctx context.Context, afterID string, limit int) ([]document.Document, error) {
	return listRecords[document.Document, documentRow](ctx, s, "pending scans", pendingScansSQL, afterID, limitArg(limit))
}

// ExistingObjectKeys returns those of keys that a document row names.
func (s *Store) ExistingObjectKeys(ctx context.Context, keys []string) ([]string, error) {
	return s.queryStrings(ctx, "existing object keys", existingObjectKeysSQL, keys)
}

// documents is the documents table, for the methods of child.go.
var documents = childTable[document.Document, *documentRow]{
	what: "document", table: "documents",
	insertSQL: insertDocumentSQL, updateSQL: updateDocumentSQL,
	row: documentToRow,
	key: func(d *document.Document) (string, string, int64) { return d.CustomerID, d.ID, d.Version },
}

// documentColumns are the columns of a document, in the order of
// documentRow.dest and documentRow.values.
const documentColumns = `id, customer_id, name, document_type, object_key, file_size, mime_type, sha256,
	upload_date, uploaded_by, expiration_date, is_active, requires_signature, signature_status, tags,
	scan_status, version, updated_at`

// documentRow is one row of the documents table.
type documentRow struct {
	ID, CustomerID, Name, Type, ObjectKey string
	FileSize                              int64
	MimeType, SHA256                      string
	UploadDate                            time.Time
	UploadedBy                            string
	ExpirationDate                        sql.NullTime
	IsActive, RequiresSignature           bool
	SignatureStatus                       string
	Tags                                  []byte
	ScanStatus                            string
	Version                               int64
	UpdatedAt                             time.Time
}

// dest returns scan destinations in documentColumns order.
func (r *documentRow) dest() []any {
	return []any{&r.ID, &r.CustomerID, &r.Name, &r.Type, &r.ObjectKey, &r.FileSize, &r.MimeType, &r.SHA256,
		&r.UploadDate, &r.UploadedBy, &r.ExpirationDate, &r.IsActive, &r.RequiresSignature, &r.SignatureStatus, &r.Tags,
		&r.ScanStatus, &r.Version, &r.UpdatedAt}
}

// values returns query arguments in documentColumns order.
func (r *documentRow) values() []any {
	return []any{r.ID, r.CustomerID, r.Name, r.Type, r.ObjectKey, r.FileSize, r.MimeType, r.SHA256,
		r.UploadDate, r.UploadedBy, r.ExpirationDate, r.IsActive, r.RequiresSignature, r.SignatureStatus, r.Tags,
		r.ScanStatus, r.Version, r.UpdatedAt}
}

// documentToRow converts d for writing.
func documentToRow(d *document.Document) (*documentRow, error) {
	tags := d.Tags
	if tags == nil {
		tags = []string{}
	}
	raw, err := json.Marshal(tags)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode tags: %w", err)
	}
	return &documentRow{
		ID: d.ID, CustomerID: d.CustomerID, Name: d.Name, Type: string(d.Type), ObjectKey: d.ObjectKey,
		FileSize: d.FileSize, MimeType: d.MimeType, SHA256: d.SHA256,
		UploadDate: ts(d.UploadDate), UploadedBy: d.UploadedBy, ExpirationDate: nullDate(d.ExpirationDate),
		IsActive: d.IsActive, RequiresSignature: d.RequiresSignature, SignatureStatus: string(d.SignatureStatus),
		Tags: raw, ScanStatus: string(d.ScanStatus), Version: d.Version, UpdatedAt: ts(d.UpdatedAt),
	}, nil
}

// decode converts a scanned row.
func (r *documentRow) decode() (*document.Document, error) {
	d := &document.Document{
		ID: r.ID, CustomerID: r.CustomerID, Name: r.Name, Type: document.Type(r.Type), ObjectKey: r.ObjectKey,
		FileSize: r.FileSize, MimeType: r.MimeType, SHA256: r.SHA256,
		UploadDate: r.UploadDate.UTC(), UploadedBy: r.UploadedBy, ExpirationDate: datePtr(r.ExpirationDate),
		IsActive: r.IsActive, RequiresSignature: r.RequiresSignature,
		SignatureStatus: document.SignatureStatus(r.SignatureStatus), ScanStatus: document.ScanStatus(r.ScanStatus),
		Version: r.Version, UpdatedAt: r.UpdatedAt.UTC(),
	}
	if err := json.Unmarshal(r.Tags, &d.Tags); err != nil {
		return nil, fmt.Errorf("pgstore: decode tags of document %s: %w", r.ID, err)
	}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	return d, nil
}
