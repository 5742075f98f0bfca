package httpapi

import (
	"context"
	"net/http"

	"github.com/ispstack/crm/app"
)

// churnModule serves a customer's churn risk and lifetime value, computed
// live from its facts by the analytics churn model; it is on when
// Services.Analytics is set.
var churnModule = module{
	on: func(svc *app.Services) bool { return svc.Analytics != nil },
	routes: func(s *server) []route {
		svc := s.services.Analytics
		return []route{
			{http.MethodGet, "/api/v1/customers/:id/churn-risk", RoleViewer, handleLive(svc.ChurnRisk),
				operation{id: "getChurnRisk", summary: "A customer's probability of leaving within the next month, its factors and the actions they call for",
					params: []any{pref("CustomerID")}, status: 200, result: "ChurnRisk", errors: []string{"400", "404"}}},
			{http.MethodGet, "/api/v1/customers/:id/lifetime-value", RoleViewer, handleLive(svc.LifetimeValue),
				operation{id: "getLifetimeValue", summary: "A customer's revenue so far and the revenue its services are expected to bring",
					params: []any{pref("CustomerID")}, status: 200, result: "LifetimeValue", errors: []string{"400", "404"}}},
		}
	},
	components: churnComponents,
}

// handleLive serves a GET of a figure computed for the customer of the
// path, which takes no query parameter: 200 with what compute returns.
func handleLive[T any](compute func(ctx context.Context, customerID string) (*T, error)) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		v, err := compute(r.Context(), pathParam(r, "id"))
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, v)
		return nil
	})
}

// churnComponents are the schemas of the churn risk and the lifetime
// value.
func churnComponents() components {
	return components{schemas: obj{
		"ChurnRisk":         churnRiskSchema(),
		"ChurnFactor":       churnFactorSchema(),
		"RecommendedAction": recommendedActionSchema(),
		"ChurnModel":        churnModelSchema(),
		"LifetimeValue":     lifetimeValueSchema(),
	}}
}
