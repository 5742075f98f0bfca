package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/document"
)

// documentsModule serves document metadata, uploads and downloads; it is
// on when Services.Documents is set (app.New sets it when given a bucket).
var documentsModule = module{
	on:         func(svc *app.Services) bool { return svc.Documents != nil },
	routes:     documentRoutes,
	components: documentComponents,
}

// documentRoutes are the routes of the documents module.
func documentRoutes(s *server) []route {
	svc := s.services.Documents
	docs := documentResource(svc, s.basePath)
	return []route{
		{http.MethodGet, "/api/v1/customers/:id/documents", RoleViewer, handleDocumentList(svc, s.basePath), // oldest first; active_only defaults to true
			operation{id: "listDocuments", summary: "Documents of a customer, oldest first (active only by default)",
				params: []any{pref("CustomerID"), queryParam("document_type", enumOf("", document.Types)),
					queryParam("active_only", obj{"type": "boolean", "default": true, "description": "false lists deactivated documents too."}),
					queryParam("expiring_before", date("Documents whose expiration_date is strictly before this date.")),
					pref("Limit"), pref("Cursor")},
				status: 200, result: "DocumentList", errors: []string{"400", "404"}}},
		{http.MethodPost, "/api/v1/customers/:id/documents", RoleAgent, handleDocumentUpload(svc, s.basePath, s.once), // multipart, streamed
			operation{id: "uploadDocument", summary: "Upload a document (multipart/form-data, streamed; type sniffed from the content)",
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, form: "DocumentUpload", upload: uploadTypes, maxBody: s.maxUpload, status: 201, result: "Document", etag: true, location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id/documents/:document_id", RoleViewer, docs.handleGet(),
			operation{id: "getDocument", summary: "Get a document's metadata (deactivated ones too)",
				params: []any{pref("CustomerID"), pref("DocumentID")}, status: 200, result: "Document", etag: true, errors: []string{"404"}}},
		{http.MethodPatch, "/api/v1/customers/:id/documents/:document_id", RoleAgent, docs.handlePatch(),
			operation{id: "patchDocument", summary: "Update a document's metadata with a JSON merge patch",
				params: []any{pref("CustomerID"), pref("DocumentID"), pref("IfMatch")}, body: "DocumentPatch", patch: true, status: 200, result: "Document", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
		{http.MethodDelete, "/api/v1/customers/:id/documents/:document_id", RoleAgent, docs.handleDelete(svc.Deactivate), // deactivates: listed again with active_only=false
			operation{id: "deactivateDocument", summary: "Deactivate a document (listed again with active_only=false; content no longer served)",
				params: []any{pref("CustomerID"), pref("DocumentID"), pref("IfMatch")}, status: 204, errors: []string{"404", "412"}}},
		{http.MethodGet, "/api/v1/customers/:id/documents/:document_id/content", RoleViewer, handleDocumentContent(svc),
			operation{id: "getDocumentContent", summary: "Download a document's file (Range supported; 404 once deactivated; 409 until scanned clean)",
				params: []any{pref("CustomerID"), pref("DocumentID"), obj{"name": "Range", "in": "header", "schema": obj{"type": "string"},
					"description": "A byte range (bytes=0-99): 206 with Content-Range, or 416 when it cannot be satisfied or names more than " + itoa(maxRanges) + " ranges."}},
				status: 200, binary: true, etag: true, errors: []string{"404", "409"}}},
	}
}

// documentOwned are the fields of a document that only the server writes.
var documentOwned = []string{"id", "customer_id", "file_url", "file_size", "mime_type", "sha256",
	"upload_date", "uploaded_by", "is_active", "scan_status", "version", "updated_at"}

// documentView is a document as the API shows it: its metadata plus the
// path its content is downloaded from.
type documentView struct {
	*document.Document
	FileURL string `json:"file_url"`
}

// viewDocument returns the API form of d; basePath is the mount prefix.
func viewDocument(basePath string, d *document.Document) documentView {
	return documentView{Document: d, FileURL: basePath + documentPath(d.CustomerID, d.ID) + "/content"}
}

// documentListParams are the query parameters of GET /documents.
var documentListParams = []string{"document_type", "active_only", "expiring_before", "limit", "cursor"}

// handleDocumentList serves GET /customers/{id}/documents: oldest first,
// active documents only unless active_only=false, filtered by
// document_type and expiring_before (a date; strictly before).
func handleDocumentList(svc *document.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, documentListParams...)
		p := document.ListParams{
			Type:       enum(q, "document_type", document.Types),
			ActiveOnly: q.flag("active_only", true),
			Limit:      q.limit(),
			Cursor:     q.cursor(),
		}
		if q.has("expiring_before") {
			d, err := crm.ParseDate(q.str("expiring_before"))
			if err != nil {
				q.p.Add("expiring_before", err.Error())
			}
			p.ExpiringBefore = &d
		}
		if err := q.err(); err != nil {
			return err
		}
		page, err := svc.List(r.Context(), pathParam(r, "id"), p)
		if err != nil {
			return err
		}
		views := &crm.Page[documentView]{Items: make([]documentView, len(page.Items)), NextCursor: page.NextCursor, HasMore: page.HasMore}
		for i := range page.Items {
			views.Items[i] = viewDocument(basePath, &page.Items[i])
		}
		encode(w, r, http.StatusOK, pageBody[documentView]{"documents", views})
		return nil
	})
}

// documentResource is a document as a child of its customer: GET, PATCH of
// its metadata and DELETE (deactivation), shown with its file_url below
// basePath. Uploads have a handler of their own (multipart, streamed).
func documentResource(svc *document.Service, basePath string) child[*document.Document, document.MetadataInput] {
	return child[*document.Document, document.MetadataInput]{
		param: "document_id", owned: documentOwned,
		get:     svc.Get,
		version: func(d *document.Document) int64 { return d.Version },
		replace: svc.Replace,
		update:  svc.Update,
		view:    func(d *document.Document) any { return viewDocument(basePath, d) },
	}
}

// documentPath is the URL path of a document.
func documentPath(customerID, documentID string) string {
	return customerPath(customerID) + "/documents/" + documentID
}
