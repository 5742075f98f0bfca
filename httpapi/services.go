package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/customer"
)

// serviceOwned are the fields of a service that only the server writes.
var serviceOwned = []string{"id", "customer_id", "version", "created_at", "updated_at"}

// handleServiceCreate serves POST /customers/{id}/services: 201 with
// Location, ETag and the service. Backdated start dates are accepted.
func handleServiceCreate(svc *customer.Service, basePath string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		var in customer.ServiceInput
		if err := decode(r, &in, serviceOwned...); err != nil {
			writeError(w, r, err)
			return
		}
		sub, err := svc.AddService(r.Context(), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Location", basePath+servicePath(id, sub.ID))
		setETag(w, sub.Version)
		encode(w, r, http.StatusCreated, sub)
	})
}

// serviceResource is a service as a child of its customer: GET and PATCH.
func serviceResource(svc *customer.Service) child[*customer.Subscription, customer.ServiceInput] {
	return child[*customer.Subscription, customer.ServiceInput]{
		param: "service_id", owned: serviceOwned,
		get:     svc.GetService,
		version: func(s *customer.Subscription) int64 { return s.Version },
		inputOf: customer.ServiceInputOf,
		replace: svc.ReplaceService,
	}
}

// servicePath is the URL path of a service.
func servicePath(customerID, serviceID string) string {
	return customerPath(customerID) + "/services/" + serviceID
}
