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

// handleContactCreate serves POST /customers/{id}/contacts: 201 with
// Location, ETag and the contact.
func handleContactCreate(svc *contact.Service, basePath string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		var in contact.Input
		if err := decode(r, &in, contactOwned...); err != nil {
			writeError(w, r, err)
			return
		}
		c, err := svc.Create(r.Context(), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Location", basePath+contactPath(id, c.ID))
		setETag(w, c.Version)
		encode(w, r, http.StatusCreated, c)
	})
}

// handleContactReplace serves PUT /customers/{id}/contacts/{contact_id}:
// the full writable representation, validated as on create, with If-Match
// checked inside the transaction.
func handleContactReplace(svc *contact.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, contactID := pathParam(r, "id"), pathParam(r, "contact_id")
		pre, err := writePrecondition(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in contact.Input
		if err := decode(r, &in, contactOwned...); err != nil {
			writeError(w, r, err)
			return
		}
		version, err := pre.ifVersion(contactResource(svc).currentVersion(r.Context(), id, contactID))
		if err != nil {
			writeError(w, r, err)
			return
		}
		c, err := svc.Replace(r.Context(), id, contactID, in, version)
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
	})
}

// handleContactDelete serves DELETE /customers/{id}/contacts/{contact_id}:
// removes the contact; 204. If-Match, when sent, must name the current
// version.
func handleContactDelete(svc *contact.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, contactID := pathParam(r, "id"), pathParam(r, "contact_id")
		pre, err := writePrecondition(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		version, err := pre.ifVersion(contactResource(svc).currentVersion(r.Context(), id, contactID))
		if err != nil {
			writeError(w, r, err)
			return
		}
		if err := svc.Delete(r.Context(), id, contactID, version); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// contactResource is a contact as a child of its customer: GET, PATCH and
// the version lookup of If-Match.
func contactResource(svc *contact.Service) child[*contact.Contact, contact.Input] {
	return child[*contact.Contact, contact.Input]{
		param: "contact_id", owned: contactOwned,
		get:     svc.Get,
		version: func(c *contact.Contact) int64 { return c.Version },
		inputOf: contact.InputOf,
		replace: svc.Replace,
	}
}

// contactPath is the URL path of a contact.
func contactPath(customerID, contactID string) string {
	return customerPath(customerID) + "/contacts/" + contactID
}
