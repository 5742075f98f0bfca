package httpapi

import (
	"github.com/ispstack/crm/customer"
)

// serviceOwned are the fields of a service that only the server writes.
var serviceOwned = []string{"id", "customer_id", "version", "created_at", "updated_at"}

// serviceResource is a service as a child of its customer: POST (backdated
// start dates are accepted), GET and PATCH.
func serviceResource(svc *customer.Service) child[*customer.Subscription, customer.ServiceInput] {
	return child[*customer.Subscription, customer.ServiceInput]{
		param: "service_id", owned: serviceOwned,
		get:     svc.GetService,
		version: func(s *customer.Subscription) int64 { return s.Version },
		inputOf: customer.ServiceInputOf,
		replace: svc.ReplaceService,
		path:    func(s *customer.Subscription) string { return servicePath(s.CustomerID, s.ID) },
	}
}

// servicePath is the URL path of a service.
func servicePath(customerID, serviceID string) string {
	return customerPath(customerID) + "/services/" + serviceID
}
