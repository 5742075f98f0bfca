package httpapi

import (
	"github.com/ispstack/crm/customer"
)

// subscriptionOwned are the fields of a service that only the server writes.
var subscriptionOwned = []string{"id", "customer_id", "version", "created_at", "updated_at"}

// subscriptionResource is a service as a child of its customer: POST (backdated
// start dates are accepted), GET and PATCH.
func subscriptionResource(svc *customer.Service) child[*customer.Subscription, customer.SubscriptionInput] {
	return child[*customer.Subscription, customer.SubscriptionInput]{
		param: "service_id", owned: subscriptionOwned,
		get:     svc.GetSubscription,
		version: func(s *customer.Subscription) int64 { return s.Version },
		replace: svc.ReplaceSubscription,
		update:  svc.UpdateSubscription,
		path:    func(s *customer.Subscription) string { return servicePath(s.CustomerID, s.ID) },
	}
}

// servicePath is the URL path of a service.
func servicePath(customerID, serviceID string) string {
	return customerPath(customerID) + "/services/" + serviceID
}
