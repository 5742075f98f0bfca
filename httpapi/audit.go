package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// auditList is the body of GET /customers/{id}/audit.
type auditList struct {
	AuditEntries []crm.AuditEntry `json:"audit_entries"`
	NextCursor   *string          `json:"next_cursor"`
	HasMore      bool             `json:"has_more"`
}

// handleAuditList serves GET /customers/{id}/audit (admin): the audit
// trail, newest first, with personal data masked; readable after delete.
func handleAuditList(svc *customer.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := parseQuery(r, "limit", "cursor")
		limit, cursor := q.limit(), q.cursor()
		if err := q.err(); err != nil {
			writeError(w, r, err)
			return
		}
		page, err := svc.Audit(r.Context(), pathParam(r, "id"), cursor, limit)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out := auditList{AuditEntries: page.Entries, HasMore: page.HasMore}
		if out.AuditEntries == nil {
			out.AuditEntries = []crm.AuditEntry{}
		}
		if page.NextCursor != "" {
			out.NextCursor = &page.NextCursor
		}
		encode(w, r, http.StatusOK, out)
	})
}
