package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/contact"
)

// contactOwned are the fields of a contact that only the server writes; a
// request body naming one is 400.
var contactOwned = []string{"id", "customer_id", "version", "created_at", "updated_at"}

// handleContactList serves GET /customers/{id}/contacts: oldest first,
// paged with limit and cursor, filtered by contact_type.
func handleContactList(svc *contact.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := parseQuery(r, "contact_type", "limit", "cursor")
		p := contact.ListParams{Type: enum(q, "contact_type", contact.Types), Cursor: q.cursor(), Limit: q.limit()}
		if err := q.err(); err != nil {
			writeError(w, r, err)
			return
		}
		page, err := svc.List(r.Context(), pathParam(r, "id"), p)
		if err != nil {
			writeError(w, r, err)
			return
		}
		encode(w, r, http.StatusOK, pageBody[contact.Contact]{"contacts", page})
	})
}

// contactResource is a contact as a child of its customer: POST, GET, PUT,
// PATCH and DELETE.
func contactResource(svc *contact.Service) child[*contact.Contact, contact.Input] {
	return child[*contact.Contact, contact.Input]{
		param: "contact_id", owned: contactOwned,
		get:     svc.Get,
		version: func(c *contact.Contact) int64 { return c.Version },
		inputOf: contact.InputOf,
		replace: svc.Replace,
		path:    func(c *contact.Contact) string { return contactPath(c.CustomerID, c.ID) },
	}
}

// contactPath is the URL path of a contact.
func contactPath(customerID, contactID string) string {
	return customerPath(customerID) + "/contacts/" + contactID
}
