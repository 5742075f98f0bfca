package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
			writeError(w, r, err)
			return
		}
		page, err := svc.List(r.Context(), pathParam(r, "id"), p)
		if err != nil {
			writeError(w, r, err)
			return
		}
		views := &crm.Page[documentView]{Items: make([]documentView, len(page.Items)), NextCursor: page.NextCursor, HasMore: page.HasMore}
		for i := range page.Items {
			views.Items[i] = viewDocument(basePath, &page.Items[i])
		}
		encode(w, r, http.StatusOK, pageBody[documentView]{"documents", views})
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
		inputOf: document.MetadataOf,
		replace: svc.Replace,
		view:    func(d *document.Document) any { return viewDocument(basePath, d) },
	}
}

// documentPath is the URL path of a document.
func documentPath(customerID, documentID string) string {
	return customerPath(customerID) + "/documents/" + documentID
}
