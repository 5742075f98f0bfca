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

// handleServiceGet serves GET /customers/{id}/services/{service_id} with
// ETag; a service of another customer is 404.
func handleServiceGet(svc *customer.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		sub, err := svc.GetService(r.Context(), pathParam(r, "id"), pathParam(r, "service_id"))
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, sub.Version)
		encode(w, r, http.StatusOK, sub)
	})
}

// handleServicePatch serves PATCH /customers/{id}/services/{service_id}: a
// JSON merge patch of the writable fields (customer.ServiceInputOf), with
// If-Match, as for customers.
func handleServicePatch(svc *customer.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, serviceID := pathParam(r, "id"), pathParam(r, "service_id")
		pre, err := writePrecondition(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		patch, err := readMergePatch(r, &customer.ServiceInput{}, serviceOwned, nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		sub, err := applyPatch(pre,
			func() (*customer.Subscription, error) { return svc.GetService(r.Context(), id, serviceID) },
			func(s *customer.Subscription) int64 { return s.Version },
			func(cur *customer.Subscription) (*customer.Subscription, error) {
				var in customer.ServiceInput
				if err := patch.apply(customer.ServiceInputOf(cur), &in); err != nil {
					return nil, err
				}
				return svc.ReplaceService(r.Context(), id, serviceID, in, cur.Version)
			})
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, sub.Version)
		encode(w, r, http.StatusOK, sub)
	})
}

// servicePath is the URL path of a service.
func servicePath(customerID, serviceID string) string {
	return customerPath(customerID) + "/services/" + serviceID
}
