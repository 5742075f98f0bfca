package httpapi

import (
	"context"
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

// handleContactGet serves GET /customers/{id}/contacts/{contact_id} with
// ETag; a contact of another customer is 404.
func handleContactGet(svc *contact.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		c, err := svc.Get(r.Context(), pathParam(r, "id"), pathParam(r, "contact_id"))
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
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
		version, err := pre.ifVersion(currentContactVersion(r.Context(), svc, id, contactID))
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

// handleContactPatch serves PATCH /customers/{id}/contacts/{contact_id}: a
// JSON merge patch of the writable fields (contact.InputOf), validated as
// a replace, with If-Match as for customers.
func handleContactPatch(svc *contact.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, contactID := pathParam(r, "id"), pathParam(r, "contact_id")
		pre, err := writePrecondition(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		patch, err := readMergePatch(r, &contact.Input{}, contactOwned, nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		c, err := applyPatch(pre,
			func() (*contact.Contact, error) { return svc.Get(r.Context(), id, contactID) },
			func(c *contact.Contact) int64 { return c.Version },
			func(cur *contact.Contact) (*contact.Contact, error) {
				var in contact.Input
				if err := patch.apply(contact.InputOf(cur), &in); err != nil {
					return nil, err
				}
				return svc.Replace(r.Context(), id, contactID, in, cur.Version)
			})
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
		version, err := pre.ifVersion(currentContactVersion(r.Context(), svc, id, contactID))
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

// currentContactVersion reads the version of a contact when a
// precondition needs it.
func currentContactVersion(ctx context.Context, svc *contact.Service, customerID, id string) func() (int64, error) {
	return func() (int64, error) {
		c, err := svc.Get(ctx, customerID, id)
		if err != nil {
			return 0, err
		}
		return c.Version, nil
	}
}

// contactPath is the URL path of a contact.
func contactPath(customerID, contactID string) string {
	return customerPath(customerID) + "/contacts/" + contactID
}
