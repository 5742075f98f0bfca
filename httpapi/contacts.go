package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/contact"
)

// contactsModule serves the contact persons of customers; it is on when
// Services.Contacts is set.
var contactsModule = module{
	on:         func(svc *app.Services) bool { return svc.Contacts != nil },
	routes:     contactRoutes,
	components: contactComponents,
}

// contactRoutes are the routes of the contacts module.
func contactRoutes(s *server) []route {
	svc := s.services.Contacts
	contacts := contactResource(svc)
	return []route{
		{http.MethodGet, "/api/v1/customers/:id/contacts", RoleViewer, handleContactList(svc), // oldest first
			operation{id: "listContacts", summary: "Contacts of a customer, oldest first",
				params: []any{pref("CustomerID"), queryParam("contact_type", enumOf("Only contacts of this type.", contact.Types)), pref("Limit"), pref("Cursor")},
				status: 200, result: "ContactList", errors: []string{"400", "404"}}},
		{http.MethodPost, "/api/v1/customers/:id/contacts", RoleAgent, contacts.handleCreate(svc.Create, s.basePath),
			operation{id: "createContact", summary: "Add a contact to a customer (a primary one demotes the previous primary of its type)",
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "ContactInput", status: 201, result: "Contact", etag: true, location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id/contacts/:contact_id", RoleViewer, contacts.handleGet(),
			operation{id: "getContact", summary: "Get a contact of a customer",
				params: []any{pref("CustomerID"), pref("ContactID")}, status: 200, result: "Contact", etag: true, errors: []string{"400", "404"}}},
		{http.MethodPut, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contacts.handleReplace(),
			operation{id: "replaceContact", summary: "Replace the writable fields of a contact",
				params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, body: "ContactInput", status: 200, result: "Contact", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
		{http.MethodPatch, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contacts.handlePatch(),
			operation{id: "patchContact", summary: "Update a contact with a JSON merge patch",
				params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, body: "ContactPatch", patch: true, status: 200, result: "Contact", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
		{http.MethodDelete, "/api/v1/customers/:id/contacts/:contact_id", RoleAgent, contacts.handleDelete(svc.Delete), // hard delete; the audit keeps a masked trail
			operation{id: "deleteContact", summary: "Delete a contact (the audit trail keeps a masked record)",
				params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, status: 204, errors: []string{"400", "404", "412"}}},
	}
}

// contactOwned are the fields of a contact that only the server writes; a
// request body naming one is 400.
var contactOwned = []string{"id", "customer_id", "version", "created_at", "updated_at"}

// handleContactList serves GET /customers/{id}/contacts: oldest first,
// paged with limit and cursor, filtered by contact_type.
func handleContactList(svc *contact.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "contact_type", "limit", "cursor")
		p := contact.ListParams{Type: enum(q, "contact_type", contact.Types), Cursor: q.cursor(), Limit: q.limit()}
		if err := q.err(); err != nil {
			return err
		}
		page, err := svc.List(r.Context(), pathParam(r, "id"), p)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, pageBody[contact.Contact]{"contacts", page})
		return nil
	})
}

// contactResource is a contact as a child of its customer: POST, GET, PUT,
// PATCH and DELETE.
func contactResource(svc *contact.Service) child[*contact.Contact, contact.Input] {
	return child[*contact.Contact, contact.Input]{
		param: "contact_id", owned: contactOwned,
		get:     svc.Get,
		version: func(c *contact.Contact) int64 { return c.Version },
		replace: svc.Replace,
		update:  svc.Update,
		path:    func(c *contact.Contact) string { return contactPath(c.CustomerID, c.ID) },
	}
}

// contactPath is the URL path of a contact.
func contactPath(customerID, contactID string) string {
	return customerPath(customerID) + "/contacts/" + contactID
}
